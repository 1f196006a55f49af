"""``python -m trustgraph`` runs the command-line interface."""

from trustgraph.cli.app import run

if __name__ == "__main__":
    run()
