"""Grusky et al. (2018) extractive fragments and novel n-grams on hand-worked cases."""

from __future__ import annotations

import math

import pytest

from highlights.evaluate.fragments import fragment_stats, fragments, novel_ngram_rate

ARTICLE = "The cat sat on the mat today."


def test_greedy_fragments_take_the_longest_match():
    article = "the cat sat on the mat today".split()
    summary = "the cat sat on a mat".split()
    # "the" occurs twice; the first occurrence gives the longer run. "a" is novel; "mat" is its own fragment.
    assert fragments(article, summary) == [["the", "cat", "sat", "on"], ["mat"]]


def test_coverage_density_compression_by_hand():
    stats = fragment_stats(ARTICLE, "The cat sat on a mat.")
    # |S| = 6 summary words, fragments of 4 and 1 words, |A| = 7 article words.
    assert stats.coverage == pytest.approx(5 / 6)
    assert stats.density == pytest.approx((16 + 1) / 6)
    assert stats.compression == pytest.approx(7 / 6)


def test_a_copied_sentence_has_full_coverage_and_density_equal_to_its_length():
    stats = fragment_stats(ARTICLE + " Dogs barked loudly.", "Dogs barked loudly.")
    assert (stats.coverage, stats.density) == (1.0, 3.0)


def test_abstractive_summary_has_no_coverage_and_empty_summary_is_nan():
    assert fragment_stats(ARTICLE, "Felines rest.").coverage == 0.0
    assert math.isnan(fragment_stats(ARTICLE, "").compression)


def test_novel_ngrams_by_hand_and_never_across_bullets():
    # Bigrams: the-cat, cat-sat, sat-on, on-a, a-mat -> on-a and a-mat are new.
    assert novel_ngram_rate(ARTICLE, ["The cat sat on a mat."], 2) == pytest.approx(2 / 5)
    assert novel_ngram_rate(ARTICLE, ["The cat sat on a mat."], 1) == pytest.approx(1 / 6)
    # "sat on" spans the two bullets: not a bigram of the summary. Grams: cat-sat, on-the: none new.
    assert novel_ngram_rate(ARTICLE, ["cat sat", "on the"], 2) == 0.0
    assert math.isnan(novel_ngram_rate(ARTICLE, ["cat"], 2))
