"""Scores → which sentences become bullets: bullet count, word budgets, no two bullets saying the same thing."""

from __future__ import annotations

import numpy as np

from highlights.article import Article
from highlights.options import DEFAULT_MAX_WORDS_PER_BULLET as DEFAULT_MAX_WORDS_PER_BULLET  # train.py reads it here
from highlights.options import Budget
from highlights.segment import bullet_candidates

DEFAULT_REDUNDANCY = 0.6  # greedy selection's overlap limit when the user sets none


def auto_bullet_count(sentence_count: int) -> int:
    """Bullets for an article of this many sentences when the user does not say: CNN prints 2–4."""
    if sentence_count <= 2:
        return max(sentence_count, 1)
    if sentence_count <= 6:
        return 2
    return 3


def overlap(a: set[str], b: set[str]) -> float:
    """Overlap coefficient of two term sets: |a ∩ b| / min(|a|, |b|)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def select(
    article: Article,
    scores: np.ndarray,
    budget: Budget,
    bullets: int | None = None,
    words: list[int] | None = None,
    eligible: list[bool] | None = None,
) -> list[int]:
    """Indices of the chosen sentences of `article`, in article order.

    Greedy by score: take the best candidate sentence (`bullet_candidates`) that fits the word budgets and is
    not redundant with what is already chosen, until the bullet count or the total word budget is reached.
    `bullets` overrides the budget's count (a scorer may know better than the length rule); `words` gives each
    sentence's length as a bullet (once fitted to the budget: `compress/fit.py`), its own length when None;
    `eligible` which sentences may be bullets (`bullet_candidates` when None).
    """
    sentences = article.sentences
    if not sentences:
        return []
    candidate = eligible if eligible is not None else bullet_candidates(sentences)
    target = bullets or budget.bullets or auto_bullet_count(len(sentences))
    order = np.argsort(-np.asarray(scores, dtype=np.float64), kind="stable")
    redundancy = DEFAULT_REDUNDANCY if budget.redundancy is None else budget.redundancy
    chosen: list[int] = []
    chosen_terms: list[set[str]] = []
    total = 0
    for i in order:
        sentence = sentences[int(i)]
        if not candidate[int(i)]:
            continue
        length = words[int(i)] if words is not None else sentence.words
        if budget.max_words_per_bullet is not None and length > budget.max_words_per_bullet:
            continue
        if budget.max_words is not None and total + length > budget.max_words:
            continue
        terms = set(article.tokens.terms(int(i)))
        if redundancy < 1.0 and any(overlap(terms, seen) >= redundancy for seen in chosen_terms):
            continue
        if sentence.text.casefold() in (sentences[j].text.casefold() for j in chosen):
            continue
        chosen.append(int(i))
        chosen_terms.append(terms)
        total += length
        if len(chosen) >= target:
            break
    if not chosen:
        # Every sentence is over the word limits: the best one is still better than nothing (whole: the pipeline
        # says it is over the limit rather than cut it mid-sentence).
        chosen = [next(int(i) for i in order if candidate[int(i)])]
    return sorted(chosen)
