"""Bullet count, word budgets and redundancy control."""

from __future__ import annotations

import numpy as np
import pytest

from highlights.article import Article, Sentence, Span
from highlights.options import Budget
from highlights.segment import bullet_candidates
from highlights.select import auto_bullet_count, select


def make(texts: list[str]) -> list[Sentence]:
    out, pos = [], 0
    for i, text in enumerate(texts):
        out.append(Sentence(i, Span(pos, pos + len(text)), text, 0))
        pos += len(text) + 1
    return out


def article(texts: list[str]) -> Article:
    """The sentences of `make(texts)` in an article of their text."""
    sentences = make(texts)
    return Article(" ".join(texts), [s.span for s in sentences], sentences=sentences)


TEXTS = [
    "The council voted to rebuild the old river bridge on Monday.",
    "Engineers expect the new bridge to carry twice as many cars.",
    "The council voted on Monday to rebuild the old bridge over the river.",  # says what 0 says
    "Work will start in spring and take two years.",
    "Residents welcomed the decision at a packed meeting.",
    "A temporary ferry will run while the bridge is closed.",
    "The mayor thanked the state for its funding.",
]


def test_bullet_count_and_article_order():
    scores = np.array([0.1, 0.9, 0.2, 0.8, 0.3, 0.7, 0.0])
    assert select(article(TEXTS), scores, Budget(bullets=3, redundancy=1.0)) == [1, 3, 5]


def test_redundant_sentence_is_skipped():
    scores = np.array([0.9, 0.1, 0.8, 0.2, 0.3, 0.0, 0.0])
    chosen = select(article(TEXTS), scores, Budget(bullets=2))
    assert 0 in chosen and 2 not in chosen
    assert select(article(TEXTS), scores, Budget(bullets=2, redundancy=1.0)) == [0, 2]


def test_exact_duplicates_never_both_chosen():
    texts = ["Same sentence here.", "Same sentence here.", "Another one entirely."]
    assert select(article(texts), np.array([0.9, 0.8, 0.1]), Budget(bullets=2, redundancy=1.0)) == [0, 2]


def test_max_words_per_bullet_skips_long_sentences():
    texts = ["word " * 30 + "end.", "Short one.", "Another short one here."]
    chosen = select(article(texts), np.array([0.9, 0.5, 0.4]), Budget(bullets=1, max_words_per_bullet=10))
    assert chosen == [1]


def test_total_word_budget():
    chosen = select(article(TEXTS), np.arange(7, 0, -1, dtype=float), Budget(bullets=5, max_words=25, redundancy=1.0))
    assert sum(len(TEXTS[i].split()) for i in chosen) <= 25
    assert len(chosen) >= 2


def test_nothing_fits_returns_best_sentence():
    texts = ["word " * 30 + "end.", "word " * 40 + "end."]
    assert select(article(texts), np.array([0.2, 0.9]), Budget(max_words_per_bullet=5)) == [1]


def test_auto_count_fits_the_article():
    assert auto_bullet_count(1) == 1
    assert auto_bullet_count(2) == 2
    assert auto_bullet_count(5) == 2
    assert auto_bullet_count(40) == 3


@pytest.mark.parametrize("kwargs", [{"bullets": 0}, {"max_words": 0}, {"max_words_per_bullet": 0}, {"redundancy": 0.0}])
def test_invalid_budget(kwargs):
    with pytest.raises(ValueError):
        Budget(**kwargs)


@pytest.mark.parametrize(
    "text",
    [
        "Council votes to rebuild the old stone bridge",  # a subheading or related headline
        "The old bridge seen from the east bank (Jane Roe/Riverside Gazette)",  # a caption and its credit
        "Credit: 20th Century Fox",
        "The plan must include:",  # a lead-in to a list
        "Advertisement",
    ],
)
def test_what_does_not_end_like_a_sentence_is_no_bullet(text):
    texts = [text, *TEXTS[:3]]
    assert bullet_candidates(make(texts)) == [False, True, True, True]
    scores = np.array([9.0, 1.0, 2.0, 3.0])  # the heading scores best
    assert 0 not in select(article(texts), scores, Budget(bullets=2))


@pytest.mark.parametrize(
    "text",
    [
        'The mayor said: "We will build it."',
        "Will the bridge open on time?",
        "The council (which met on Monday) agreed.)",
        "市议会周二投票决定重建这座老石桥。",
        "क्या पुल समय पर खुलेगा।",
        "the bridge will open in may , he said . ''",  # tokenized text: closers stand apart
        "work starts monday -lrb- weather permitting . -rrb-",
    ],
)
def test_sentences_of_any_script_ending_with_their_mark_may_be_bullets(text):
    assert bullet_candidates(make([text])) == [True]


def test_when_nothing_ends_like_a_sentence_every_sentence_may_be_a_bullet():
    texts = ["Council votes to rebuild the bridge", "Work to start in May"]
    assert bullet_candidates(make(texts)) == [True, True]
    assert select(article(texts), np.array([1.0, 2.0]), Budget(bullets=1)) == [1]
