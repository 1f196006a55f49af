"""trustgraph.plot: figures from results (matplotlib is imported only when drawing).

Modules: ``core_map`` (core versus strangers), ``spread`` (how far trust travels),
``scores`` (rank plots and agreement between methods), ``explain`` (trust paths to one
person), ``overview`` (large graphs without a hairball), ``layout`` (the array layouts),
``style`` (palette, fonts, rc context) and ``export`` (reproducible PNG bytes). Every
drawing function takes ``ax=``, returns the Axes and never calls pyplot.
"""
