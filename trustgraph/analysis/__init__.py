"""trustgraph.analysis."""
