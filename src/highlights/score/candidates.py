"""Candidate summaries for the learned method: every set of 2-4 of the best-scored sentences, described as a whole.

Sentences scored one at a time cannot see each other: two good sentences may say the same thing, and three
middling ones may cover the story better than the best two. So the learned method does not take the top
sentences greedily; it forms each set of 2-4 sentences out of the five best (25 sets), describes every set as
a whole (its sentence scores, length, position, how much its sentences repeat each other, how much of the
article's recurring terms it covers) and lets a third LightGBM model, trained to predict each set's ROUGE
against the reference highlights, pick one. This learns the bullet count and redundancy control together.

Everything here is numpy over the sets at once, so describing the 25 sets costs about as much as one sentence
feature pass.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from highlights.score.features import ARTICLE_FEATURES, FEATURE_NAMES, SentenceView

TOP_SENTENCES = 5  # sets are drawn from this many best-scored sentences
_COLUMN = {name: k for k, name in enumerate(FEATURE_NAMES)}

CANDIDATE_FEATURES: tuple[str, ...] = (
    # size, against what the bullet model predicts for the article
    "sentences",
    "sentences_minus_predicted",
    "predicted_bullets",
    # the sentence model's scores of the members, and their ranks among the candidates (0 = best)
    "score_sum",
    "score_mean",
    "score_min",
    "score_max",
    "probability_sum",
    "rank_max",
    "rank_sum",
    "score_margin",  # weakest member's score minus the best left-out candidate's
    # length and position
    "words",
    "words_mean",
    "words_max",
    "words_min",
    "first_index",
    "last_index",
    "in_first_three",
    "has_first",
    "relative_position_mean",
    # repetition among the members and coverage of the article
    "overlap_max",
    "overlap_mean",
    "cosine_max",
    "centroid_cosine",
    "distinct_terms_share",
    "term_prior_sum",
    "term_prior_mean",
    "recurring_terms_covered",
    # the article
    *ARTICLE_FEATURES,
) + tuple(f"mean_{name}" for name in FEATURE_NAMES)  # the members' sentence features, averaged


@dataclass(frozen=True, slots=True)
class Candidates:
    """The sets of an article: `sets[c]` are sentence indices (article order); `features[c]` describes set c."""

    sets: list[tuple[int, ...]]
    features: np.ndarray  # len(sets) × len(CANDIDATE_FEATURES), float32
    overlap_max: np.ndarray  # the largest overlap coefficient between two members, per set
    words: np.ndarray  # total words per set (the article's own word count of each sentence)


@lru_cache(maxsize=None)
def _patterns(k: int, sizes: tuple[int, ...]) -> tuple[tuple[tuple[int, ...], ...], np.ndarray, np.ndarray, list]:
    """For k candidates: every set of an allowed size (positions 0..k-1), its membership matrix, and which
    member pairs each set holds (0/1 over `pairs`)."""
    sets = tuple(c for m in sizes for c in itertools.combinations(range(k), m)) or (tuple(range(k)),)
    members = np.zeros((len(sets), k), dtype=np.float64)
    pairs = list(itertools.combinations(range(k), 2))
    pair_of = {p: j for j, p in enumerate(pairs)}
    held = np.zeros((len(sets), max(len(pairs), 1)), dtype=np.float64)
    for row, members_of in enumerate(sets):
        members[row, list(members_of)] = 1.0
        for p in itertools.combinations(members_of, 2):
            held[row, pair_of[p]] = 1.0
    return sets, members, held, pairs


def candidate_summaries(
    scores: np.ndarray,
    features: np.ndarray,
    view: SentenceView,
    predicted_bullets: float,
    word_counts: list[int],
    *,
    sizes: tuple[int, ...] = (2, 3, 4),
    max_words_per_bullet: int | None = None,
    eligible: list[bool] | None = None,
) -> Candidates:
    """The candidate sets of one article and their features (training and inference alike).

    Candidates are the `TOP_SENTENCES` best-scored sentences within `max_words_per_bullet` (and `eligible`, when
    given: `segment.bullet_candidates`), an exact repeat of a better one left out. With fewer candidates than the
    smallest size, the one set is all of them.
    """
    n = len(scores)
    order: list[int] = []
    seen: set[tuple[str, ...]] = set()
    for i in np.argsort(-np.asarray(scores, dtype=np.float64), kind="stable"):
        i = int(i)
        key = tuple(view.tokens[i])
        if (max_words_per_bullet is not None and word_counts[i] > max_words_per_bullet) or key in seen:
            continue
        if eligible is not None and not eligible[i]:
            continue
        seen.add(key)
        order.append(i)
        if len(order) == TOP_SENTENCES:
            break
    k = len(order)
    if k == 0:
        return Candidates([], np.zeros((0, len(CANDIDATE_FEATURES)), np.float32), np.zeros(0), np.zeros(0))
    sets, members, held, pairs = _patterns(k, tuple(m for m in sizes if m <= k))
    size = members.sum(axis=1)
    chosen = members > 0

    s = np.asarray(scores, dtype=np.float64)[order]
    rank = np.arange(k, dtype=np.float64)
    words = np.asarray([word_counts[i] for i in order], dtype=np.float64)
    index = np.asarray(order, dtype=np.float64)

    def masked(values: np.ndarray, fill: float) -> np.ndarray:
        return np.where(chosen, values[None, :], fill)

    left_out_best = np.where(chosen, -np.inf, s[None, :]).max(axis=1)
    weakest = masked(s, np.inf).min(axis=1)
    margin = np.where(np.isfinite(left_out_best), weakest - left_out_best, 5.0)

    # Repetition: overlap coefficient of content-term sets and tf-idf cosine, for each pair of candidates.
    incidence = view.incidence[order]  # candidates x the article's terms
    shared = incidence @ incidence.T
    term_count = np.diag(shared)
    overlap_pairs = np.asarray(
        [shared[a, b] / min(term_count[a], term_count[b]) if term_count[a] and term_count[b] else 0.0 for a, b in pairs]
        or [0.0]
    )
    vectors = view.vectors[order] if view.vectors.shape[1] else np.zeros((k, 1))
    cosine = vectors @ vectors.T
    cosine_pairs = np.asarray([cosine[a, b] for a, b in pairs] or [0.0])
    pair_count = held.sum(axis=1)
    overlap_max = np.where(held > 0, overlap_pairs[None, :], 0.0).max(axis=1)
    overlap_mean = np.divide(held @ overlap_pairs, pair_count, out=np.zeros(len(sets)), where=pair_count > 0)
    cosine_max = np.where(held > 0, cosine_pairs[None, :], 0.0).max(axis=1)
    summed = members @ vectors
    summed_norm = np.linalg.norm(summed, axis=1)
    centroid = view.centroid if view.vectors.shape[1] else np.zeros(1)
    centroid_cosine = np.divide(summed @ centroid, summed_norm, out=np.zeros(len(sets)), where=summed_norm > 0)

    # Coverage: the distinct terms of each set, their term prior, and the article's recurring terms among them.
    present = np.flatnonzero(incidence.any(axis=0))  # the terms of any candidate
    incidence = incidence[:, present]
    in_set = (members @ incidence) > 0
    distinct = in_set.sum(axis=1)
    total_terms = members @ term_count
    rates = view.term_rates[present]
    sentences_with_term = view.incidence.sum(axis=0)
    recurring = (sentences_with_term[present] >= 2).astype(np.float64)
    recurring_total = int((sentences_with_term >= 2).sum())
    prior_sum = in_set @ rates if len(present) else np.zeros(len(sets))

    article = features[0] if len(features) else np.zeros(len(FEATURE_NAMES))
    columns = [
        size,
        size - predicted_bullets,
        np.full(len(sets), predicted_bullets),
        members @ s,
        members @ s / size,
        weakest,
        masked(s, -np.inf).max(axis=1),
        members @ (1.0 / (1.0 + np.exp(-s))),
        masked(rank, -1).max(axis=1),
        members @ rank,
        margin,
        members @ words,
        members @ words / size,
        masked(words, -1).max(axis=1),
        masked(words, np.inf).min(axis=1),
        masked(index, np.inf).min(axis=1),
        masked(index, -1).max(axis=1),
        members @ (index < 3),
        chosen[:, order.index(0)] if 0 in order else np.zeros(len(sets)),
        members @ (index / n) / size,
        overlap_max,
        overlap_mean,
        cosine_max,
        centroid_cosine,
        np.divide(distinct, total_terms, out=np.zeros(len(sets)), where=total_terms > 0),
        prior_sum,
        np.divide(prior_sum, distinct, out=np.zeros(len(sets)), where=distinct > 0),
        (in_set @ recurring) / recurring_total if recurring_total else np.zeros(len(sets)),
        *(np.full(len(sets), article[_COLUMN[name]]) for name in ARTICLE_FEATURES),
    ]
    table = np.column_stack(columns + [(members / size[:, None]) @ features[order]]).astype(np.float32)
    return Candidates(
        sets=[tuple(sorted(map(order.__getitem__, members_of))) for members_of in sets],
        features=table,
        overlap_max=overlap_max,
        words=members @ words,
    )
