"""The learned scorer's feature rows, from sentences in the training corpus's form (PTB tokens)."""

from __future__ import annotations

import numpy as np
import pytest

from highlights.ingest import ingest
from highlights.score.centrality import pagerank
from highlights.score.features import (
    FEATURE_NAMES,
    NO_PHRASES,
    Lexicon,
    PhraseModel,
    TermPrior,
    article_features,
    phrases,
    sentence_features,
)
from highlights.segment import segment
from highlights.tokens import content_terms_of, ptb_tokens

PHRASES = PhraseModel({"mayor said": 2.0, "said": 0.5, "sensors": -1.0}, -3.0)
PRIOR = Lexicon(TermPrior({"sensor": 0.5, "council": 0.3}, 0.1), PHRASES)


def test_feature_rows_describe_each_sentence() -> None:
    article = segment(
        ingest(
            "(CNN) -- The river council approved new flood sensors on Tuesday. "
            '"We have waited ten years for this," the mayor said. '
            "The sensors cost $2 million and the river council will install 40 of them. "
            "Is it enough?"
        )
    )
    rows = article_features(article, PRIOR)
    column = {name: rows[:, k] for k, name in enumerate(FEATURE_NAMES)}
    assert rows.shape == (4, len(FEATURE_NAMES)) and np.isfinite(rows).all()
    assert list(column["index"]) == [0, 1, 2, 3]
    assert list(column["is_first"]) == [1, 0, 0, 0]
    assert list(column["sentences_in_article"]) == [4] * 4
    assert column["agency_dateline"].all()  # ingest cut the (CNN) dateline out of the first sentence
    assert not column["opinion"].any()
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


def test_an_opinion_piece_is_marked_on_every_row() -> None:
    article = segment(
        ingest(
            "Ann Lee is a historian. The opinions expressed in this commentary are solely hers.\n\n"
            "We lost the city because help came too late. Nobody planned for the winter."
        )
    )
    assert article.kind == "opinion"
    rows = article_features(article, PRIOR)
    assert rows[:, FEATURE_NAMES.index("opinion")].tolist() == [1.0] * len(article.sentences)


def test_phrases_are_the_words_and_their_adjacent_pairs() -> None:
    assert phrases(["the", "mayor", "said"]) == ["the", "mayor", "said", "the mayor", "mayor said"]
    assert phrases([]) == []
    # A repeated phrase counts once; unknown ones not at all.
    assert PHRASES.score(["said", "said", "and", "said"]) == pytest.approx(-3.0 + 0.5)


def test_features_of_no_sentences_and_of_wordless_ones() -> None:
    assert sentence_features([], PRIOR).shape == (0, len(FEATURE_NAMES))
    rows = sentence_features([ptb_tokens("..."), ptb_tokens("!!")], PRIOR)
    assert np.isfinite(rows).all()


# A sentence-by-sentence reading of the token-level features, against which the article-at-once numpy code
# is checked: quotes open and close, "?" counts in the last two tokens, "(" or "[" marks a bracket.
def _reference_token_features(tokens: list[str]) -> dict[str, float]:
    inside, quoted, words = False, 0, 0
    for token in tokens:
        if token == '"':
            inside = not inside
        elif token[0].isalnum():
            words += 1
            quoted += inside
    return {
        "words": words,
        "quoted_share": quoted / words if words else 0.0,
        "digits": sum(t[0].isdigit() for t in tokens),
        "has_quote": '"' in tokens,
        "starts_with_quote": bool(tokens) and tokens[0] == '"',
        "said": any(t in ("said", "says", "told", "say", "according") for t in tokens),
        "first_person": sum(t in ("i", "me", "my", "we", "us", "our") for t in tokens),
        "question": "?" in tokens[-2:],
        "colon": ":" in tokens,
        "bracketed": "(" in tokens or "[" in tokens,
        "furniture": any(t in ("published", "updated", "reporter", "|") for t in tokens),
    }


def test_token_features_of_a_whole_article_match_each_sentence_read_alone() -> None:
    sentences = [
        ptb_tokens('"We won," she said, "and we will win again."'),
        [],
        ptb_tokens("Is it over? Not yet ."),
        ptb_tokens('Police ( who arrived at 3 pm ) said: 40 people were hurt in 2014 " riots'),
        ptb_tokens('published : 10:00 , 3 june 2014 | updated : "i" "think" so'),
        ptb_tokens("?"),
    ]
    rows = sentence_features(sentences, PRIOR)
    column = {name: rows[:, k] for k, name in enumerate(FEATURE_NAMES)}
    for i, tokens in enumerate(sentences):
        for name, expected in _reference_token_features(tokens).items():
            assert column[name][i] == pytest.approx(float(expected)), (i, name)


def test_term_features_of_a_whole_article_match_set_arithmetic() -> None:
    texts = [
        "the council met the mayor",
        "the mayor said council sensors failed",
        "sensors failed again",
        "nothing new",
        "the council said sensors",
    ]
    sentences = [ptb_tokens(t) for t in texts]
    rows = sentence_features(sentences, PRIOR)
    column = {name: rows[:, k] for k, name in enumerate(FEATURE_NAMES)}
    term_sets = [set(content_terms_of(s)) for s in sentences]
    seen: set[str] = set()
    for i, terms in enumerate(term_sets):
        repeats = [sum(t in other for other in term_sets) - 1 for t in terms]
        assert column["content_words"][i] == len(terms)
        assert column["overlap_with_first"][i] == pytest.approx(
            1.0 if i == 0 else len(terms & term_sets[0]) / len(terms)
        )
        assert column["term_salience"][i] == pytest.approx(sum(repeats) / len(terms))
        assert column["term_salience_max"][i] == max(repeats)
        assert column["new_terms_share"][i] == pytest.approx(len(terms - seen) / len(terms))
        seen |= terms
    rates = [PRIOR.prior.of(content_terms_of(s)) for s in sentences]
    assert list(column["term_prior_sum"]) == pytest.approx([sum(r) for r in rates])
    assert list(column["term_prior_max"]) == pytest.approx([max(r) for r in rates])


def test_phrase_scores_of_an_article_are_each_sentence_scored_alone() -> None:
    model = PhraseModel({"the": 0.25, "mayor said": 2.0, "said": 0.5, "said the": -0.75, "council": 1.0}, -3.0)

    def by_sets(tokens: list[str]) -> float:  # the model's definition, one sentence at a time
        known = [model.weights[p] for p in set(phrases(tokens)) if p in model.weights]
        return model.bias + sum(known) / np.sqrt(len(known)) if known else model.bias

    sentences = [
        ["the", "mayor", "said", "the", "mayor", "said"],
        [],
        ["council"],
        ["mayor"],
        ["said", "the"],
        ["unknown", "words", "only"],
        ["mayor"],
    ]
    scores = model.score_all(sentences)
    assert list(scores) == pytest.approx([by_sets(s) for s in sentences])
    # "mayor" ending one sentence and "said" opening the next is no pair.
    assert model.score_all([["mayor"], ["said"]])[0] == model.bias
    assert NO_PHRASES.score_all(sentences).tolist() == [0.0] * len(sentences)
    assert model.score_all([]).shape == (0,)


def test_pagerank_is_the_fixed_point_of_the_random_walk() -> None:
    rng = np.random.default_rng(3)
    similarity = rng.random((9, 9)) * (rng.random((9, 9)) > 0.5)
    similarity = similarity + similarity.T
    similarity[4, :] = similarity[:, 4] = 0.0  # a sentence sharing nothing links everywhere
    rank = pagerank(similarity)
    weights = similarity.copy()
    np.fill_diagonal(weights, 0.0)
    degree = weights.sum(axis=1, keepdims=True)
    transition = np.where(degree > 0, weights / np.where(degree > 0, degree, 1), 1 / 9)
    assert rank.sum() == pytest.approx(1.0)
    assert rank == pytest.approx(0.15 / 9 + 0.85 * transition.T @ rank)
    assert pagerank(np.zeros((0, 0))).shape == (0,)
    assert pagerank(np.zeros((3, 3))) == pytest.approx([1 / 3] * 3)
