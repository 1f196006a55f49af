"""trustgraph.report."""
