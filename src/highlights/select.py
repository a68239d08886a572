"""Scores → which sentences become bullets: bullet count, word budgets, no two bullets saying the same thing."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from highlights.article import Article, Sentence

DEFAULT_MAX_WORDS_PER_BULLET = 60
DEFAULT_REDUNDANCY = 0.6  # greedy selection's overlap limit when the user sets none
# How a sentence ends in the scripts news is written in: a mark, then any closing quotes or brackets, also as
# tokenized text writes them (`he said . "`, `-rrb-`).
_SENTENCE_END = re.compile(r"[.!?…。！？।؟](?:\s*(?:['\"”’»)\]」』]|-rrb-|-rsb-))*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Budget:
    """Length controls. Every knob is optional; `None` means no limit (or, for `bullets`, decide by article).

    bullets: how many bullets; `None` picks by article length (1 for a sentence or two, up to 3).
    max_words_per_bullet: sentences longer than this are not used as bullets (unless nothing else fits).
    max_words: total words over all bullets.
    redundancy: a candidate is dropped when this share of its content words (or of the other bullet's,
        whichever is shorter) already appears in a chosen bullet. 1.0 turns the check off; `None` lets the
        method decide (greedy selection uses `DEFAULT_REDUNDANCY`; the learned method's summary model weighs
        overlap itself and sets no hard limit).
    """

    bullets: int | None = None
    max_words_per_bullet: int | None = DEFAULT_MAX_WORDS_PER_BULLET
    max_words: int | None = None
    redundancy: float | None = None

    def __post_init__(self) -> None:
        if self.bullets is not None and self.bullets < 1:
            raise ValueError("bullets must be at least 1")
        for name in ("max_words_per_bullet", "max_words"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise ValueError(f"{name} must be at least 1")
        if self.redundancy is not None and not 0.0 < self.redundancy <= 1.0:
            raise ValueError("redundancy must be in (0, 1]")


def bullet_candidates(sentences: list[Sentence]) -> list[bool]:
    """Which sentences may become bullets: those that end like a sentence. What does not (a subheading, a
    caption, a photo credit, a menu entry or related headline the page cleaner let through, a lead-in to a list
    ending in ":") is not a statement of the story; when no sentence ends like one, every sentence may."""
    ends = [bool(_SENTENCE_END.search(sentence.text)) for sentence in sentences]
    return ends if any(ends) else [True] * len(sentences)


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


def select(article: Article, scores: np.ndarray, budget: Budget, bullets: int | None = None) -> list[int]:
    """Indices of the chosen sentences of `article`, in article order.

    Greedy by score: take the best candidate sentence (`bullet_candidates`) that fits the word budgets and is
    not redundant with what is already chosen, until the bullet count or the total word budget is reached.
    `bullets` overrides the budget's count (a scorer may know better than the length rule).
    """
    sentences = article.sentences
    if not sentences:
        return []
    candidate = bullet_candidates(sentences)
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
        words = sentence.words
        if budget.max_words_per_bullet is not None and words > budget.max_words_per_bullet:
            continue
        if budget.max_words is not None and total + words > budget.max_words:
            continue
        terms = set(article.tokens.terms(int(i)))
        if redundancy < 1.0 and any(overlap(terms, seen) >= redundancy for seen in chosen_terms):
            continue
        if sentence.text.casefold() in (sentences[j].text.casefold() for j in chosen):
            continue
        chosen.append(int(i))
        chosen_terms.append(terms)
        total += words
        if len(chosen) >= target:
            break
    if not chosen:
        # Every sentence is over the word limits: the best one is still better than nothing; the
        # pipeline shortens it to the limit.
        chosen = [next(int(i) for i in order if candidate[int(i)])]
    return sorted(chosen)
