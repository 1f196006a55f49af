"""Rank a large trust graph on a Spark cluster and write the scores as Parquet.

Submit it with ``spark-submit`` (the master URL given there wins)::

    spark-submit --master spark://spark-master.example.com:7077 \\
        --conf spark.sql.shuffle.partitions=64 \\
        examples/spark_submit.py \\
        hdfs://namenode.example.com/graphs/edges.parquet \\
        --trusted 42 --trusted 1337 --method ppr \\
        --checkpoint-dir hdfs://namenode.example.com/tmp/trustgraph-checkpoints \\
        --output hdfs://namenode.example.com/graphs/trust.parquet

Every executor must read the input and the checkpoint directory: keep them on shared
storage (HDFS, ``s3a://``, ``gs://``, ``abfss://`` or a file system mounted at the same path
on every machine), not on the driver's local disk. trustgraph must be installed on the
driver and the executors (``pip install 'trustgraph[spark]'`` in the cluster's Python
environment, or ship it with ``--py-files``). Locally, ``python examples/spark_submit.py
edges.csv --trusted A --master local[2] --output scores.parquet`` runs the same code.
"""

from __future__ import annotations

import argparse

from trustgraph.backends import spark as backend


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("edges", help="edge list (CSV/TSV) or Parquet path Spark can read")
    parser.add_argument("--trusted", action="append", required=True, help="a seed node id")
    parser.add_argument(
        "--method", choices=["ppr", "trustrank", "eigentrust", "sybilrank"], default="ppr"
    )
    parser.add_argument("--damping", type=float, default=0.85)
    parser.add_argument("--tol", type=float, default=1e-10)
    parser.add_argument("--max-iter", type=int, default=1000)
    parser.add_argument("--checkpoint-interval", type=int, default=10)
    parser.add_argument("--checkpoint-dir", default=None, help="shared path on a cluster")
    parser.add_argument("--master", default=None, help="only when not using spark-submit")
    parser.add_argument("--output", required=True, help="where to write (node, score) Parquet")
    args = parser.parse_args(argv)

    spark = backend.local_session(args.master or "local[*]", log_level="WARN")
    edges = backend.read_edges(args.edges, spark=spark)
    checkpointing = {
        "checkpoint_interval": args.checkpoint_interval,
        "checkpoint_dir": args.checkpoint_dir,
    }
    if args.method == "sybilrank":
        scores = backend.sybilrank(edges, args.trusted, **checkpointing)
    else:
        function = {
            "ppr": backend.personalized_pagerank,
            "trustrank": backend.trustrank,
            "eigentrust": backend.eigentrust,
        }[args.method]
        scores = function(
            edges,
            args.trusted,
            damping=args.damping,
            tol=args.tol,
            max_iter=args.max_iter,
            **checkpointing,
        )
    scores.write.mode("overwrite").parquet(args.output)
    spark.stop()


if __name__ == "__main__":
    main()
