"""trustgraph.backends."""
