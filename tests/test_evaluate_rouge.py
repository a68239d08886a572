"""The ROUGE wrapper against hand-computed scores and rouge-score's own, with the rougeLsum one-sentence-per-line
trap."""

from __future__ import annotations

import pytest
from rouge_score import rouge_scorer

from highlights.evaluate.rouge import as_lines, rouge


def test_rouge1_and_rouge2_match_hand_computation():
    # unigrams: 2 of 3 predicted in the reference, 2 of 4 reference found -> F = 2·(2/3)(1/2)/(2/3+1/2) = 4/7
    # bigrams: "cat dog" of {cat dog, dog sun}; reference {cat dog, dog red, red big} -> F = 2·(1/2)(1/3)/(5/6) = 2/5
    scores = rouge(["cat dog sun"], ["cat dog red big"])
    assert scores["rouge1"] == pytest.approx(400 / 7)
    assert scores["rouge2"] == pytest.approx(40.0)


def test_stemming_is_on():
    # Porter: dogs -> dog, running/runs -> run; without the stemmer only nothing would match.
    assert rouge(["dog runs"], ["dogs running"])["rouge1"] == pytest.approx(100.0)


def test_rougelsum_needs_one_sentence_per_line():
    reference, prediction = ["cat dog", "red big"], ["red big", "cat dog"]
    # One bullet per line: each reference sentence's LCS union with the prediction lines is complete -> 100.
    assert rouge(prediction, reference)["rougeLsum"] == pytest.approx(100.0)
    # The trap: the same words joined with spaces are one "sentence"; LCS("cat dog red big", "red big cat dog")
    # is 2 of 4 words -> P = R = F = 1/2.
    assert rouge(" ".join(prediction), " ".join(reference))["rougeLsum"] == pytest.approx(50.0)
    scorer = rouge_scorer.RougeScorer(["rougeLsum"], use_stemmer=True)
    assert scorer.score("cat dog red big", "red big cat dog")["rougeLsum"].fmeasure == pytest.approx(0.5)


def test_newline_string_and_list_are_the_same_and_blank_lines_drop():
    assert as_lines(["  a b ", "", "c"]) == "a b\nc"
    assert rouge("red big\n\ncat dog", "cat dog\nred big") == rouge(["red big", "cat dog"], ["cat dog", "red big"])


def test_disjoint_and_empty_predictions_score_zero():
    assert rouge(["sun moon"], ["cat dog"]) == {"rouge1": 0.0, "rouge2": 0.0, "rougeLsum": 0.0}
    assert rouge([], ["cat dog"])["rouge1"] == 0.0


def rouge_score_scores(prediction: list[str], reference: list[str]) -> dict[str, float]:
    """rouge-score's own tokenizer, stemmer and scorer, as GUIDE §2 states the protocol."""
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    scores = scorer.score(as_lines(reference), as_lines(prediction))
    return {name: score.fmeasure * 100.0 for name, score in scores.items()}


@pytest.mark.parametrize(
    ("prediction", "reference"),
    [
        (
            ["The mayor said on Tuesday that 3,000 homes flooded.", "Rescuers ran out of boats -- again."],
            ["Mayor: 3,000 homes were flooded", "Rescue teams running low on boats ."],
        ),
        (
            ["İstanbul's mayor met Путин in Zürich; 20m people watched.", "Ünïcödé naïve café!"],
            ["istanbul mayor meets putin", "the cafe was naive", "20 million watched"],
        ),
        (
            ["he did n't go -lrb- cnn -rrb- , '' he said .", "the 35 - year - old suspect"],
            ["He didn't go (CNN), he said.", "A 35-year-old suspect was held."],
        ),
        (["dying skies flies generously"], ["die sky fly generous"]),
        (["!!!"], ["nothing matches"]),
    ],
)
def test_scores_are_rouge_scores_own(prediction: list[str], reference: list[str]) -> None:
    assert rouge(prediction, reference) == rouge_score_scores(prediction, reference)


@pytest.mark.data
def test_scores_are_rouge_scores_own_on_validation_articles() -> None:
    from conftest import CNNDM, shared_file
    from highlights.evaluate.data import load_dataset, prepare

    for item in load_dataset(shared_file(CNNDM / "validation-raw.jsonl.gz"), limit=40).articles:
        lead = [s.text for s in prepare(item.text).sentences[:3]]
        assert rouge(lead, item.references) == rouge_score_scores(lead, item.references)
