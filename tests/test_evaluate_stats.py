"""Bootstrap CIs and the paired bootstrap: deterministic given a seed, and sane."""

from __future__ import annotations

import numpy as np
import pytest

from highlights.evaluate.stats import bootstrap_ci, paired_bootstrap_p


def _scores(seed: int = 1, n: int = 300) -> np.ndarray:
    return np.random.default_rng(seed).uniform(10, 60, size=n)


def test_ci_is_deterministic_given_the_seed_and_depends_on_it():
    values = _scores()
    assert bootstrap_ci(values, seed=7) == bootstrap_ci(values, seed=7)
    assert bootstrap_ci(values, seed=7) != bootstrap_ci(values, seed=8)


def test_ci_brackets_the_mean_and_narrows_with_more_articles():
    small, large = _scores(n=50), _scores(n=2000)
    for values in (small, large):
        ci = bootstrap_ci(values)
        assert ci.mean == pytest.approx(values.mean())
        assert ci.low < ci.mean < ci.high
    width = lambda v: bootstrap_ci(v).high - bootstrap_ci(v).low  # noqa: E731
    assert width(large) < width(small) / 3
    # A 95% CI of a mean of uniform(10, 60) over 2000 articles: half-width ≈ 1.96 · 14.4 / √2000 ≈ 0.63.
    assert width(large) / 2 == pytest.approx(0.63, abs=0.1)


def test_constant_scores_have_a_zero_width_interval():
    ci = bootstrap_ci([42.0] * 20)
    assert (ci.mean, ci.low, ci.high) == (42.0, 42.0, 42.0)


def test_identical_systems_are_not_different():
    a = _scores()
    assert paired_bootstrap_p(a, a.copy()) == 1.0


def test_a_clearly_better_system_gets_the_smallest_p_either_way_round():
    a = _scores()
    b = a + 2.0 + np.random.default_rng(3).normal(0, 1, size=a.size)
    assert paired_bootstrap_p(a, b, resamples=1000) == pytest.approx(2 / 1001)
    assert paired_bootstrap_p(b, a, resamples=1000) == pytest.approx(2 / 1001)


def test_noise_only_difference_is_not_significant_and_p_is_deterministic():
    a = _scores()
    b = a + np.random.default_rng(4).normal(0, 5, size=a.size) - 0.0
    b = b - (b - a).mean()  # mean difference exactly zero
    p = paired_bootstrap_p(a, b, seed=11)
    assert p > 0.5
    assert p == paired_bootstrap_p(a, b, seed=11)


def test_pairing_matters():
    # Large per-article spread, small consistent gain: unpaired intervals overlap, the paired test sees it.
    a = _scores(n=400)
    b = a + 0.5
    ci_a, ci_b = bootstrap_ci(a), bootstrap_ci(b)
    assert ci_b.low < ci_a.high
    assert paired_bootstrap_p(a, b) < 0.01


def test_paired_scores_must_align():
    with pytest.raises(ValueError):
        paired_bootstrap_p([1.0, 2.0], [1.0])


def test_block_size_does_not_change_results(monkeypatch):
    from highlights.evaluate import stats

    a, b = _scores(n=500), _scores(seed=2, n=500)
    expected = (bootstrap_ci(a, seed=3), paired_bootstrap_p(a, b, seed=3))
    monkeypatch.setattr(stats, "_BLOCK_VALUES", 1234)  # two resamples per block
    assert (bootstrap_ci(a, seed=3), paired_bootstrap_p(a, b, seed=3)) == expected


def test_too_few_articles_for_the_bootstrap_are_flagged():
    from highlights.evaluate.stats import MIN_BOOTSTRAP_ARTICLES, small_sample_warning

    # 3 articles where b wins each time: the bootstrap says p = 0.002, an exact sign test 0.25.
    assert paired_bootstrap_p([1.0, 2.0, 3.0], [2.0, 3.0, 4.5]) < 0.01
    warning = small_sample_warning(3)
    assert warning and "3 articles" in warning and str(MIN_BOOTSTRAP_ARTICLES) in warning and "p-value" in warning
    assert small_sample_warning(1) and "1 article:" in small_sample_warning(1)
    assert small_sample_warning(MIN_BOOTSTRAP_ARTICLES - 1) is not None
    assert small_sample_warning(MIN_BOOTSTRAP_ARTICLES) is None
