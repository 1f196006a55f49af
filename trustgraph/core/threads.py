"""Threads for the compact core: short-lived pairs for construction, shared pools for solvers.

numpy's ufuncs and ``take``, scipy's sparse kernels and numba's ``nogil`` loops release the
GIL, so the core splits large arrays over a few threads. Two lifetimes are needed:

* :func:`in_parallel` runs a handful of calls once (building a graph) on a pool that lives
  for that call only.
* :func:`shared_pool` serves the power iterations, which hand work to threads at every
  step: starting threads per step would cost about as much as a step on a small graph, so
  one pool per thread count is kept and reused. The pools are shut down by
  :func:`shutdown_pools`, which is registered with :mod:`atexit` when the first pool is made
  (nothing happens at import time) and may be called at any time: a later solve starts
  new pools.
"""

from __future__ import annotations

import atexit
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

__all__ = ["THREAD_NAME_PREFIX", "in_parallel", "shared_pool", "shutdown_pools"]

#: Work on at least this many values is split over two threads (numpy's take, ufuncs and
#: scipy's sparse kernels release the GIL); below it a thread costs more than it saves.
_PARALLEL_MIN_SIZE = 1_000_000

#: Name prefix of the shared pools' worker threads.
THREAD_NAME_PREFIX = "trustgraph"

_POOLS: dict[int, ThreadPoolExecutor] = {}
_POOLS_LOCK = threading.Lock()
_EXIT_HOOK: list[bool] = []  # non-empty once shutdown_pools is registered with atexit


def in_parallel(tasks: Sequence[Callable[[], Any]], *, size: int) -> list[Any]:
    """Run `tasks` (calls that mostly release the GIL) on two threads when `size`, the
    values they work on, makes it pay off; their results in task order.

    Examples
    --------
    >>> in_parallel([lambda: 1, lambda: 2], size=10)
    [1, 2]
    """
    if len(tasks) < 2 or size < _PARALLEL_MIN_SIZE or (os.cpu_count() or 1) < 2:
        return [task() for task in tasks]
    with ThreadPoolExecutor(max_workers=2) as pool:
        return [future.result() for future in [pool.submit(task) for task in tasks]]


def shared_pool(threads: int) -> ThreadPoolExecutor:
    """The pool of `threads` workers the solvers share (made on first use).

    Examples
    --------
    >>> shared_pool(2) is shared_pool(2)
    True
    >>> shutdown_pools()
    """
    with _POOLS_LOCK:
        pool = _POOLS.get(threads)
        if pool is None:
            pool = _POOLS[threads] = ThreadPoolExecutor(
                threads, thread_name_prefix=THREAD_NAME_PREFIX
            )
            if not _EXIT_HOOK:
                atexit.register(shutdown_pools)
                _EXIT_HOOK.append(True)
        return pool


def shutdown_pools() -> None:
    """Shut down every shared pool and wait for its workers to finish.

    Registered with :mod:`atexit`; calling it earlier releases the threads of a
    long-running process (the next threaded solve starts a new pool).

    Examples
    --------
    >>> shutdown_pools()
    >>> [t for t in threading.enumerate() if t.name.startswith(THREAD_NAME_PREFIX + "_")]
    []
    """
    with _POOLS_LOCK:
        pools = list(_POOLS.values())
        _POOLS.clear()
    for pool in pools:
        pool.shutdown(wait=True)
