"""trustgraph.algorithms."""
