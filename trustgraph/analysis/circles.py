"""Ego-network circles: Dunbar-like layers found in contact frequencies, not imposed.

For each contact of an ego we know how often they talk (contacts per year). Dunbar's social
brain hypothesis predicts that these frequencies fall into a few nested layers of
cumulative sizes about 5, 15, 50 and 150 (scaling ratio about 3). This module *measures*
the layering of one ego's data and sets it beside those reference sizes without forcing it:

1. the number of layers is the fewest Jenks classes that explain 95% of the variance of the
   log frequencies, or, on request, the number of modes of a Gaussian kernel density
   estimate (:func:`count_modes`; egonetworks uses Mean Shift for that). The mode count is
   always reported: on skewed frequencies with overlapping layers it is often 1, which is
   itself a finding (the layering may be an artefact of clustering a skewed distribution);
2. the boundaries are the exact Jenks natural breaks for that many classes
   (:func:`jenks_breaks`, dynamic programming over the sorted distinct values);
3. layer sizes are reported cumulatively (each layer contains the inner ones) with the
   ratio between consecutive cumulative sizes;
4. the quality of the split is Jenks' goodness of variance fit (GVF), compared with the GVF
   of the same number of classes on frequencies resampled from one log-normal with the
   data's mean and spread (:func:`circles`, ``n_null``): a layering is called real when the
   data's GVF beats at least 95% of the null draws.

Frequencies are clustered on a log scale: contact frequencies are heavy-tailed and the
reference layers are geometric (weekly, monthly, yearly), so equal distances in log
frequency are equal ratios.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field

import numpy as np

from trustgraph.exceptions import ParameterError

__all__ = [
    "DUNBAR_REFERENCE",
    "Circles",
    "circles",
    "count_modes",
    "goodness_of_variance_fit",
    "jenks_breaks",
]

#: Dunbar's cumulative reference layer sizes (support clique ... active network).
DUNBAR_REFERENCE = (5, 15, 50, 150)


# Up to this many distinct values the DP holds the full cost table (8 d^2 bytes).
_DENSE_LIMIT = 2500


def _weighted_breaks(values: np.ndarray, weights: np.ndarray, k: int) -> np.ndarray:
    """Optimal split of sorted distinct `values` (with multiplicities) into `k` classes.

    Returns the index (into `values`) of the first value of classes 2..k. The cost of a
    class holding values i..j is its weighted sum of squared deviations, computed from
    prefix sums; the dynamic programme is vectorised over the split point.
    """
    n = values.size
    w = np.concatenate([[0.0], np.cumsum(weights)])
    s1 = np.concatenate([[0.0], np.cumsum(weights * values)])
    s2 = np.concatenate([[0.0], np.cumsum(weights * values * values)])

    def cost(starts: np.ndarray, end: int) -> np.ndarray:
        # Values starts..end-1 (half-open) as one class.
        ww = w[end] - w[starts]
        m1 = s1[end] - s1[starts]
        return s2[end] - s2[starts] - m1 * m1 / ww

    best = np.full((k + 1, n + 1), np.inf)
    back = np.zeros((k + 1, n + 1), dtype=np.int64)
    best[0, 0] = 0.0
    ends = np.arange(n + 1)
    if n <= _DENSE_LIMIT:
        # Cost of every class starts..end-1 at once; invalid (end <= start) pairs are inf.
        starts = ends[:, None]
        valid = ends[None, :] > starts
        ww = np.where(valid, w[None, :] - w[starts], 1.0)
        m1 = s1[None, :] - s1[starts]
        table = np.where(valid, s2[None, :] - s2[starts] - m1 * m1 / ww, np.inf)
        for classes in range(1, k + 1):
            total = best[classes - 1][:, None] + table
            back[classes] = np.argmin(total, axis=0)
            best[classes] = total[back[classes], ends]
    else:
        for classes in range(1, k + 1):
            for end in range(classes, n + 1):
                starts = np.arange(classes - 1, end)
                total = best[classes - 1, starts] + cost(starts, end)
                pick = int(np.argmin(total))
                best[classes, end] = total[pick]
                back[classes, end] = starts[pick]
    cuts = []
    end = n
    for classes in range(k, 1, -1):
        end = int(back[classes, end])
        cuts.append(end)
    return np.array(sorted(cuts), dtype=np.int64)


def jenks_breaks(values, k: int) -> list[float]:
    """Exact Jenks natural breaks: the lower bound of each of `k` classes.

    Minimises the total within-class sum of squared deviations over every split of the
    sorted values into `k` contiguous classes (Fisher's exact optimisation, by dynamic
    programming). Equal values never land in different classes.

    Parameters
    ----------
    values : array-like of float
        One value per item (ties allowed).
    k : int
        Number of classes, at least 1 and at most the number of distinct values.

    Returns
    -------
    list of float
        ``k`` ascending lower bounds; the first is ``min(values)``. An item with value
        ``x`` belongs to the last class whose bound is ``<= x``.

    Raises
    ------
    ParameterError
        Empty or non-finite values, or `k` outside ``[1, distinct values]``.

    See Also
    --------
    goodness_of_variance_fit : the quality of a split.

    Notes
    -----
    O(k d^2) time for d distinct values, O(k d) memory.

    References
    ----------
    .. [1] W. D. Fisher, "On grouping for maximum homogeneity", JASA 53, 1958.
    .. [2] G. F. Jenks, "The data model concept in statistical mapping", International
       Yearbook of Cartography 7, 1967.

    Examples
    --------
    >>> jenks_breaks([1, 2, 3, 10, 11, 12, 30], 3)
    [1.0, 10.0, 30.0]
    """
    x = np.asarray(values, dtype=np.float64).ravel()
    if x.size == 0 or not np.all(np.isfinite(x)):
        raise ParameterError("jenks_breaks needs at least one finite value")
    distinct, counts = np.unique(x, return_counts=True)
    if not isinstance(k, (int, np.integer)) or isinstance(k, bool) or not 1 <= k <= distinct.size:
        raise ParameterError(f"k must be an integer in [1, {distinct.size}], got {k!r}")
    cuts = _weighted_breaks(distinct, counts.astype(np.float64), int(k))
    return [float(distinct[0])] + [float(distinct[c]) for c in cuts]


def _assign(x: np.ndarray, bounds: list[float]) -> np.ndarray:
    """Class index 0..k-1 (ascending values) of each value."""
    return np.searchsorted(np.asarray(bounds), x, side="right") - 1


def goodness_of_variance_fit(values, bounds) -> float:
    """Jenks' goodness of variance fit of a split: ``1 - SDCM / SDAM``.

    SDAM is the sum of squared deviations from the overall mean; SDCM the sum over classes
    of squared deviations from each class mean. 1 is a perfect fit; 0 means the classes
    explain nothing.

    Parameters
    ----------
    values : array-like of float
    bounds : sequence of float
        Ascending class lower bounds (as :func:`jenks_breaks` returns).

    Returns
    -------
    float
        In [0, 1]; 1.0 when all values are equal.

    Examples
    --------
    >>> round(goodness_of_variance_fit([1, 2, 3, 10, 11, 12], [1, 10]), 4)
    0.9681
    """
    x = np.asarray(values, dtype=np.float64).ravel()
    sdam = float(((x - x.mean()) ** 2).sum()) if x.size else 0.0
    if sdam == 0.0:
        return 1.0
    labels = _assign(x, list(bounds))
    sdcm = 0.0
    for label in np.unique(labels):
        part = x[labels == label]
        sdcm += float(((part - part.mean()) ** 2).sum())
    return max(0.0, 1.0 - sdcm / sdam)


def count_modes(values, *, bandwidth: float | str | None = None, min_prominence: float = 0.05):
    """Number of modes of a 1-D sample, from a Gaussian kernel density estimate.

    Parameters
    ----------
    values : array-like of float
    bandwidth : float or {"scott", "silverman"}, optional
        Kernel width as a multiple of the sample standard deviation, or a rule (Scott's by
        default), as ``bw_method`` of :class:`scipy.stats.gaussian_kde`.
    min_prominence : float, default 0.05
        A peak counts when its prominence is at least this fraction of the highest
        density (``scipy.signal.find_peaks``), so that ripples in the tails are not modes.

    Returns
    -------
    int
        At least 1 for a non-empty sample; 0 for an empty one.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> two = np.concatenate([rng.normal(0, 0.3, 200), rng.normal(4, 0.3, 200)])
    >>> count_modes(two), count_modes(rng.normal(0, 1, 400))
    (2, 1)
    """
    # Imported here: scipy.signal loads scipy.stats, which the default layer rule never needs.
    from scipy.signal import find_peaks

    x = np.asarray(values, dtype=np.float64).ravel()
    if x.size == 0:
        return 0
    if x.size < 3 or np.ptp(x) == 0:
        return 1
    # Gaussian KDE written out (the same estimate as scipy.stats.gaussian_kde, whose import
    # alone costs seconds): bandwidth = factor * sample standard deviation, Scott's factor
    # n ** (-1/5) or Silverman's (3n/4) ** (-1/5).
    if bandwidth is None or bandwidth == "scott":
        factor = x.size ** (-1 / 5)
    elif bandwidth == "silverman":
        factor = (x.size * 3 / 4) ** (-1 / 5)
    else:
        factor = float(bandwidth)
    width = factor * x.std(ddof=1)
    span = np.ptp(x)
    grid = np.linspace(x.min() - 0.1 * span, x.max() + 0.1 * span, 512)
    density = np.zeros_like(grid)
    for chunk in np.array_split(x, max(1, x.size // 2048)):
        density += np.exp(-0.5 * ((grid[:, None] - chunk[None, :]) / width) ** 2).sum(axis=1)
    peaks, _ = find_peaks(density, prominence=min_prominence * density.max())
    return max(1, int(peaks.size))


@dataclass(frozen=True)
class Circles:
    """Layers of one ego network.

    Attributes
    ----------
    layers : dict
        ``{contact: layer}``, 1 = innermost (most frequent), for every layered contact.
    frequencies : dict
        ``{contact: contacts per year}`` of the layered contacts.
    boundaries : list of float
        Lowest frequency (contacts per year) of layer 1, 2, ... (descending).
    sizes : list of int
        Members of each layer alone.
    cumulative_sizes : list of int
        Members of layer 1..i together (Dunbar's sizes are cumulative).
    ratios : list of float
        ``cumulative_sizes[i] / cumulative_sizes[i - 1]`` for i >= 1.
    n_modes : int
        Modes of the log-frequency density (Scott's bandwidth), reported whatever rule
        chose the number of layers.
    gvf : float
        Goodness of variance fit of the layering (on log frequency).
    null_gvf : list of float
        GVF of the same number of classes on each null draw.
    p_value : float or None
        Share of null draws whose GVF is at least the data's (with the +1 correction);
        ``None`` with one layer or no null draws.
    reference : tuple of int
        Dunbar's reference cumulative sizes, for display beside ours.
    """

    layers: dict[Hashable, int]
    frequencies: dict[Hashable, float]
    boundaries: list[float]
    sizes: list[int]
    cumulative_sizes: list[int]
    ratios: list[float]
    n_modes: int
    gvf: float
    null_gvf: list[float] = field(default_factory=list)
    p_value: float | None = None
    reference: tuple[int, ...] = DUNBAR_REFERENCE

    @property
    def n_layers(self) -> int:
        return len(self.sizes)

    @property
    def real(self) -> bool | None:
        """Layering beats the null model at the 5% level (``None`` when untested)."""
        return None if self.p_value is None else self.p_value <= 0.05

    def as_dict(self) -> dict:
        """JSON-ready summary (no per-contact data)."""
        return {
            "n_layers": self.n_layers,
            "n_modes": self.n_modes,
            "boundaries_per_year": [round(b, 4) for b in self.boundaries],
            "sizes": list(self.sizes),
            "cumulative_sizes": list(self.cumulative_sizes),
            "ratios": [round(r, 4) for r in self.ratios],
            "gvf": round(self.gvf, 6),
            "null_gvf_mean": round(float(np.mean(self.null_gvf)), 6) if self.null_gvf else None,
            "p_value": None if self.p_value is None else round(self.p_value, 6),
            "real": self.real,
            "reference_cumulative_sizes": list(self.reference),
        }


def circles(
    frequencies: Mapping[Hashable, float],
    *,
    n_layers: int | str = "gvf",
    gvf_target: float = 0.95,
    max_layers: int = 6,
    min_frequency: float = 1.0,
    n_null: int = 100,
    seed: int | None = 0,
) -> Circles:
    """Assign contacts to nested layers from their contact frequencies.

    Parameters
    ----------
    frequencies : mapping
        ``{contact: contacts per year}`` (or any positive tie strength).
    n_layers : int or {"gvf", "modes"}, default "gvf"
        How many layers. ``"gvf"``: the fewest (up to `max_layers`) whose Jenks split
        explains at least `gvf_target` of the variance of the log frequencies (the usual
        natural-breaks stopping rule). ``"modes"``: the number of modes of the kernel
        density of the log frequencies (:func:`count_modes`, Scott's bandwidth), the
        egonetworks rule. An int forces the count.
    gvf_target : float in (0, 1], default 0.95
        Variance share a ``"gvf"`` layering must explain.
    max_layers : int, default 6
    min_frequency : float, default 1.0
        Contacts below this ("inactive", egonetworks' rule of at least one contact a year)
        get no layer.
    n_null : int, default 100
        Null-model draws: log frequencies resampled from one normal with the data's mean
        and standard deviation, split into the same number of classes. 0 skips the test.
    seed : int or None, default 0
        Randomness of the null model only.

    Returns
    -------
    Circles

    Raises
    ------
    ParameterError
        A non-finite or negative frequency, or `n_layers`/`max_layers` below 1.

    See Also
    --------
    jenks_breaks, count_modes, goodness_of_variance_fit

    Notes
    -----
    Mapping to egonetworks (Arnaboldi et al.): their Mean Shift cluster count is our mode
    count, their Jenks breaks are ours (exact, on log frequency rather than raw frequency),
    and their cumulative circle sizes are `cumulative_sizes`. The reference sizes are shown,
    never used to fit.

    References
    ----------
    .. [1] R. I. M. Dunbar, V. Arnaboldi, M. Conti, A. Passarella, "The structure of online
       social networks mirrors those in the offline world", Social Networks 43, 2015.
    .. [2] V. Arnaboldi, M. Conti, A. Passarella, F. Pezzoni, "Analysis of ego network
       structure in online social networks", SocialCom 2012.

    Examples
    --------
    >>> freq = {f"w{i}": 52.0 for i in range(3)} | {f"m{i}": 12.0 for i in range(9)}
    >>> freq |= {f"y{i}": 2.0 for i in range(30)}
    >>> c = circles(freq, n_null=0)
    >>> c.n_layers, c.cumulative_sizes, c.layers["w0"], c.layers["y5"]
    (3, [3, 12, 42], 1, 3)
    """
    if isinstance(n_layers, str):
        if n_layers not in ("gvf", "modes"):
            raise ParameterError(f"n_layers must be an int, 'gvf' or 'modes', got {n_layers!r}")
    elif isinstance(n_layers, bool) or n_layers < 1:
        raise ParameterError(f"n_layers must be at least 1, got {n_layers!r}")
    if not 0 < gvf_target <= 1:
        raise ParameterError(f"gvf_target must be in (0, 1], got {gvf_target!r}")
    if max_layers < 1:
        raise ParameterError(f"max_layers must be at least 1, got {max_layers!r}")
    nodes = list(frequencies)
    freq = np.array([float(frequencies[n]) for n in nodes], dtype=np.float64)
    if freq.size and (not np.all(np.isfinite(freq)) or freq.min() < 0):
        bad = next(f for f in freq if not np.isfinite(f) or f < 0)
        raise ParameterError(f"frequencies must be finite and non-negative, got {bad!r}")
    active = freq >= max(min_frequency, np.finfo(float).tiny)
    nodes = [n for n, a in zip(nodes, active) if a]
    freq = freq[active]
    if freq.size == 0:
        return Circles({}, {}, [], [], [], [], 0, 1.0)
    logs = np.log10(freq)
    distinct = np.unique(logs).size
    modes = count_modes(logs)
    if n_layers == "modes":
        k = min(modes, max_layers, distinct)
        bounds = jenks_breaks(logs, k)
    elif n_layers == "gvf":
        for k in range(1, min(max_layers, distinct) + 1):
            bounds = jenks_breaks(logs, k)
            if goodness_of_variance_fit(logs, bounds) >= gvf_target:
                break
    else:
        k = min(int(n_layers), distinct)
        bounds = jenks_breaks(logs, k)
    ascending = _assign(logs, bounds)  # 0 = least frequent
    layer_of = k - ascending  # 1 = most frequent
    sizes = [int(np.count_nonzero(layer_of == layer)) for layer in range(1, k + 1)]
    cumulative = np.cumsum(sizes).tolist()
    ratios = [cumulative[i] / cumulative[i - 1] for i in range(1, k)]
    gvf = goodness_of_variance_fit(logs, bounds)
    null: list[float] = []
    p_value = None
    if k > 1 and n_null > 0 and logs.std() > 0:
        rng = np.random.default_rng(seed)
        for _ in range(n_null):
            draw = rng.normal(logs.mean(), logs.std(), logs.size)
            null.append(goodness_of_variance_fit(draw, jenks_breaks(draw, k)))
        p_value = (1 + sum(g >= gvf for g in null)) / (1 + n_null)
    return Circles(
        layers={n: int(layer) for n, layer in zip(nodes, layer_of)},
        frequencies={n: float(f) for n, f in zip(nodes, freq)},
        boundaries=[float(10**b) for b in reversed(bounds)],
        sizes=sizes,
        cumulative_sizes=[int(c) for c in cumulative],
        ratios=ratios,
        n_modes=modes,
        gvf=gvf,
        null_gvf=null,
        p_value=p_value,
    )
