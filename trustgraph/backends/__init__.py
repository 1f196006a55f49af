"""Optional scale-out engines that compute the same results as :mod:`trustgraph.core`.

:mod:`trustgraph.backends.spark` runs personalized PageRank / TrustRank, EigenTrust and
SybilRank on Apache Spark (extra ``[spark]``). Nothing here is imported by
``import trustgraph``; import the backend module itself::

    from trustgraph.backends import spark
"""
