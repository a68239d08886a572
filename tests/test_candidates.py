"""Candidate summaries of the learned method: which sets are formed, and what their features say."""

from __future__ import annotations

import numpy as np
import pytest
from rouge_score import rouge_scorer

from highlights.evaluate.rouge import as_lines, rouge_1_2
from highlights.score.candidates import CANDIDATE_FEATURES, TOP_SENTENCES, candidate_summaries
from highlights.score.features import (
    FEATURE_NAMES,
    NO_PHRASES,
    Lexicon,
    TermPrior,
    sentence_features,
    sentence_view,
)
from highlights.tokens import ptb_tokens, rouge_tokens

PRIOR = TermPrior({"flood": 0.6, "sensor": 0.4}, 0.1)
SENTENCES = [
    "the council approved flood sensors on tuesday .",
    "the council approved the flood sensors on tuesday night .",  # near repeat of the first
    "the sensors cost $ 2 million .",
    "residents welcomed the plan .",
    "the mayor said more work was needed .",
    "rain is expected next week .",
    "the river rose two metres in 2019 .",
]


def _candidates(scores, sizes=(2, 3, 4), max_words_per_bullet=None):
    tokens = [ptb_tokens(s) for s in SENTENCES]
    features = sentence_features(tokens, Lexicon(PRIOR, NO_PHRASES))
    words = [len(s.split()) for s in SENTENCES]
    return candidate_summaries(
        np.asarray(scores, dtype=float),
        features,
        sentence_view(tokens, PRIOR),
        3.0,
        words,
        sizes=sizes,
        max_words_per_bullet=max_words_per_bullet,
    )


def column(candidates, name):
    return candidates.features[:, CANDIDATE_FEATURES.index(name)]


def test_sets_are_drawn_from_the_best_sentences() -> None:
    scores = [5.0, 4.0, 3.0, 2.0, 1.0, 0.0, -1.0]
    candidates = _candidates(scores)
    assert len(candidates.sets) == 10 + 10 + 5  # 2, 3 and 4 of the five best
    assert all(set(s) <= set(range(TOP_SENTENCES)) and list(s) == sorted(s) for s in candidates.sets)
    assert candidates.features.shape == (25, len(CANDIDATE_FEATURES)) and np.isfinite(candidates.features).all()
    first = candidates.sets.index((0, 1))
    assert column(candidates, "sentences")[first] == 2
    assert column(candidates, "score_sum")[first] == 9.0
    assert column(candidates, "rank_max")[first] == 1 and column(candidates, "has_first")[first] == 1
    assert column(candidates, "score_margin")[first] == 4.0 - 3.0  # weakest member vs best left out
    assert column(candidates, "sentences_minus_predicted")[first] == -1.0
    # The near repeat shows: sentences 0 and 1 overlap far more than 0 and 3.
    assert column(candidates, "overlap_max")[first] > column(candidates, "overlap_max")[candidates.sets.index((0, 3))]
    np.testing.assert_allclose(candidates.overlap_max, column(candidates, "overlap_max"), rtol=1e-6)
    # The averaged sentence features are the members' own.
    words = FEATURE_NAMES.index("words")
    assert column(candidates, "mean_words")[first] == pytest.approx(
        (
            sentence_features([ptb_tokens(SENTENCES[0])], Lexicon(PRIOR, NO_PHRASES))[0, words]
            + sentence_features([ptb_tokens(SENTENCES[1])], Lexicon(PRIOR, NO_PHRASES))[0, words]
        )
        / 2
    )


def test_word_limit_exact_repeats_and_short_articles() -> None:
    scores = [5.0, 4.0, 3.0, 2.0, 1.0, 0.0, -1.0]
    limited = _candidates(scores, max_words_per_bullet=7)
    assert all(len(SENTENCES[i].split()) <= 7 for s in limited.sets for i in s)
    assert limited.words.tolist() == [sum(len(SENTENCES[i].split()) for i in s) for s in limited.sets]
    # Fewer candidates than any size: the one set is all of them.
    only = _candidates(scores, max_words_per_bullet=5)
    assert only.sets == [(3,)]
    assert _candidates(scores, max_words_per_bullet=1).sets == []


def rouge_score_1_2(prediction: list[str], reference: list[str]) -> tuple[float, float]:
    """ROUGE-1 and ROUGE-2 F1 × 100 from rouge-score itself, as the project's protocol runs it."""
    scores = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True).score(
        as_lines(reference), as_lines(prediction)
    )
    return scores["rouge1"].fmeasure * 100, scores["rouge2"].fmeasure * 100


def test_fast_rouge_is_rouge_score() -> None:
    prediction = ["The mayor said on Tuesday that 3,000 homes flooded.", "Rescuers ran out of boats -- again."]
    reference = ["Mayor: 3,000 homes were flooded", "Rescue teams running low on boats ."]
    expected = rouge_score_1_2(prediction, reference)
    r1, r2 = rouge_1_2([rouge_tokens(p) for p in prediction], rouge_tokens("\n".join(reference)))
    assert (r1, r2) == pytest.approx(expected)
    assert rouge_1_2([], rouge_tokens("a b")) == (0.0, 0.0)


@pytest.mark.data
def test_fast_rouge_matches_rouge_score_on_validation_articles() -> None:
    from conftest import CNNDM, shared_file
    from highlights.evaluate.data import load_dataset, prepare

    data = load_dataset(shared_file(CNNDM / "validation-raw.jsonl.gz"), limit=60)
    for item in data.articles:
        sentences = [s.text for s in prepare(item.text).sentences[1:5]]
        expected = rouge_score_1_2(sentences, item.references)
        got = rouge_1_2([rouge_tokens(s) for s in sentences], rouge_tokens("\n".join(item.references)))
        assert got == pytest.approx(expected, abs=1e-9)
