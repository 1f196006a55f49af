"""trustgraph.plot."""
