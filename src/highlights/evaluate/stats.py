"""Uncertainty over articles: bootstrap confidence intervals and the paired bootstrap test.

Every function takes a seed and draws from its own `numpy.random.Generator`, so a report is reproducible.
Resampling is over articles (the unit that varies); a paired test resamples the same articles for both
systems, which is what makes small but consistent differences visible (Koehn 2004; Berg-Kirkpatrick 2012).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DEFAULT_RESAMPLES = 1000
DEFAULT_SEED = 0
# Below this many articles the intervals and p-values are not to be trusted. The bootstrap can only resample the
# differences it was given: with a handful of articles it misses how far the mean could really move (its
# percentile interval comes out too narrow), and once one system wins on every article the paired test reports
# its floor, 2 / (resamples + 1) = 0.002, whether there are 3 articles (an exact sign test: p = 0.25) or 300.
# 30 is the usual minimum for the mean of skewed per-article scores to be near normal, the premise of the
# percentile interval.
MIN_BOOTSTRAP_ARTICLES = 30


@dataclass(frozen=True, slots=True)
class Interval:
    mean: float
    low: float
    high: float


# Resample indices are drawn in blocks so memory stays bounded for any --bootstrap; numpy draws the same stream
# in blocks as in one call, so results do not depend on the block size.
_BLOCK_VALUES = 4_000_000


def _resampled_means(values: np.ndarray, resamples: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    block = max(1, _BLOCK_VALUES // len(values))
    means = np.empty(resamples)
    for start in range(0, resamples, block):
        rows = min(block, resamples - start)
        means[start : start + rows] = values[rng.integers(0, len(values), size=(rows, len(values)))].mean(axis=1)
    return means


def bootstrap_ci(
    values, *, resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED, level: float = 0.95
) -> Interval:
    """Mean of `values` and its percentile bootstrap interval."""
    values = np.asarray(values, dtype=np.float64)
    if values.size == 0:
        return Interval(float("nan"), float("nan"), float("nan"))
    means = _resampled_means(values, resamples, seed)
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(means, [tail, 100 - tail])
    return Interval(float(values.mean()), float(low), float(high))


def paired_bootstrap_p(a, b, *, resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED) -> float:
    """Two-sided p-value that systems `a` and `b` (scores on the same articles, same order) differ in mean.

    Resample articles, take the mean difference each time; p = 2 × the smaller share of resamples on either
    side of zero, with +1 smoothing so it is never 0 (smallest possible: 2 / (resamples + 1)). Identical
    systems give 1.
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError("paired scores must cover the same articles")
    if a.size == 0:
        return float("nan")
    diffs = _resampled_means(b - a, resamples, seed)
    below = int(np.sum(diffs <= 0)) + 1
    above = int(np.sum(diffs >= 0)) + 1
    return float(min(1.0, 2 * min(below, above) / (resamples + 1)))


def small_sample_warning(articles: int) -> str | None:
    """What to tell a reader of intervals and p-values bootstrapped from `articles` articles; None when enough."""
    if articles >= MIN_BOOTSTRAP_ARTICLES:
        return None
    counted = f"{articles} article{'' if articles == 1 else 's'}"
    return (
        f"only {counted}: too few for the bootstrap (it needs at least {MIN_BOOTSTRAP_ARTICLES}), so the 95% "
        "intervals and the p-values are not reliable; score more articles before reading them"
    )
