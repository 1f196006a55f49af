"""trustgraph.core.uniques gives numpy.unique's results (the oracle), by hashing."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from trustgraph.core import uniques


@settings(max_examples=60, deadline=None)
@given(
    size=st.sampled_from([0, 5, uniques._HASH_MIN_SIZE - 1, uniques._HASH_MIN_SIZE, 200_000]),
    distinct=st.integers(1, 100_000),
    dtype=st.sampled_from([np.int64, np.int32, np.uint8]),
    seed=st.integers(0, 2**32 - 1),
)
def test_unique_and_its_inverse_are_numpys(size, distinct, dtype, seed):
    rng = np.random.default_rng(seed)
    high = min(distinct, np.iinfo(dtype).max)
    values = rng.integers(-high if np.issubdtype(dtype, np.signedinteger) else 0, high, size)
    values = values.astype(dtype)
    want, want_inverse = np.unique(values, return_inverse=True)
    got, got_inverse = uniques.unique_inverse(values)
    assert got.dtype == want.dtype and np.array_equal(got, want)
    assert np.array_equal(got_inverse, want_inverse.ravel())
    assert np.array_equal(uniques.unique(values), want)


def test_float_arrays_go_to_numpy():
    values = np.array([0.5, np.nan, 0.5] * 30_000)
    assert np.array_equal(uniques.unique(values), np.unique(values), equal_nan=True)
