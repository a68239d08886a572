"""The learned scorer's view of a sentence: training-corpus normalization and the feature rows."""

from __future__ import annotations

import numpy as np
import pytest

from highlights.ingest import ingest
from highlights.score.features import (
    FEATURE_NAMES, Lexicon, PhraseModel, TermPrior, article_features, normalize, phrases, sentence_features,
)
from highlights.segment import segment

PHRASES = PhraseModel({"mayor said": 2.0, "said": 0.5, "sensors": -1.0}, -3.0)
PRIOR = Lexicon(TermPrior({"sensor": 0.5, "council": 0.3}, 0.1), PHRASES)


@pytest.mark.parametrize(
    ("raw", "tokens"),
    [
        ("He didn't go.", ["he", "did", "n't", "go", "."]),
        ("It's the council's plan", ["it", "'s", "the", "council", "'s", "plan"]),
        ("A 35-year-old man", ["a", "35", "-", "year", "-", "old", "man"]),
        ("It cost £20m in the U.S. on Jan. 3", ["it", "cost", "£", "20m", "in", "the", "u.s.", "on", "jan", ".", "3"]),
        ("(CNN) -- Rain fell", ["(", "cnn", ")", "--", "rain", "fell"]),
        ("“We won,” she said.", ['"', "we", "won", ",", '"', "she", "said", "."]),
        ("Rates rose 3.5% to 1,000", ["rates", "rose", "3.5", "%", "to", "1,000"]),
    ],
)
def test_normalize_gives_the_training_corpus_tokens(raw: str, tokens: list[str]) -> None:
    assert normalize(raw) == tokens


@pytest.mark.parametrize(
    "tokenized",
    [
        "new delhi -lrb- cnn -rrb- -- in an unusual raid , thousands stormed a jail .",
        "`` there were thousands of them , '' doungal said , referring to the mob 's anger .",
        "the 35 - year - old suspect do n't know about £ 20m in the u.s. .",
    ],
)
def test_normalize_leaves_corpus_text_as_it_is(tokenized: str) -> None:
    tokens = normalize(tokenized)
    assert normalize(" ".join(tokens)) == tokens
    assert "-lrb-" not in tokens and "``" not in tokens  # brackets and quotes in one form on both sides


def test_feature_rows_describe_each_sentence() -> None:
    article = segment(ingest(
        "(CNN) -- The river council approved new flood sensors on Tuesday. "
        '"We have waited ten years for this," the mayor said. '
        "The sensors cost $2 million and the river council will install 40 of them. "
        "Is it enough?"
    ))
    rows = article_features(article, PRIOR)
    column = {name: rows[:, k] for k, name in enumerate(FEATURE_NAMES)}
    assert rows.shape == (4, len(FEATURE_NAMES)) and np.isfinite(rows).all()
    assert list(column["index"]) == [0, 1, 2, 3]
    assert list(column["is_first"]) == [1, 0, 0, 0]
    assert list(column["sentences_in_article"]) == [4] * 4
    assert column["agency_dateline"].all()  # ingest cut the (CNN) dateline out of the first sentence
    assert list(column["has_quote"]) == [0, 1, 0, 0] and column["starts_with_quote"][1] == 1
    assert column["said"][1] == 1 and column["digits"][2] == 2 and column["question"][3] == 1
    # The third sentence repeats the first one's terms; the question shares nothing.
    assert column["overlap_with_first"][2] > column["overlap_with_first"][3] == 0
    assert column["pagerank"][2] > column["pagerank"][3]
    # The term prior: the sentences naming sensors and the council rate above the one naming neither.
    assert column["term_prior_max"][2] == 0.5 and column["term_prior_max"][1] == 0.1
    assert column["term_prior_mean"][0] > column["term_prior_mean"][1]
    # The phrase model: "the mayor said" knows two phrases, (2.0 + 0.5) / sqrt(2) above the bias.
    assert column["phrase_score"][1] == pytest.approx(-3.0 + 2.5 / np.sqrt(2), abs=1e-6)
    assert column["phrase_score"][3] == -3.0  # no known phrase: the bias


def test_phrases_are_the_words_and_their_adjacent_pairs() -> None:
    assert phrases(["the", "mayor", "said"]) == ["the", "mayor", "said", "the mayor", "mayor said"]
    assert phrases([]) == []
    # A repeated phrase counts once; unknown ones not at all.
    assert PHRASES.score(["said", "said", "and", "said"]) == pytest.approx(-3.0 + 0.5)


def test_features_of_no_sentences_and_of_wordless_ones() -> None:
    assert sentence_features([], PRIOR).shape == (0, len(FEATURE_NAMES))
    rows = sentence_features([normalize("..."), normalize("!!")], PRIOR)
    assert np.isfinite(rows).all()
