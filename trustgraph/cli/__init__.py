"""trustgraph.cli."""
