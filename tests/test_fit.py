"""Fitting sentences into a word budget by compressing them (`fit.py`)."""

from __future__ import annotations

import numpy as np
import pytest

from highlights import summarize
from highlights.article import Span
from highlights.compress import Cut, candidate_cuts, guard_reason
from highlights.compress.deletions import RatedCuts, deletion_model
from highlights.compress.fit import _cut_set, fit_bullet, statements, words_after_fitting
from highlights.ingest import ingest
from highlights.segment import segment

SENTENCE = (
    "The city council voted on Monday to rebuild the old river bridge, which was closed in March after "
    "engineers found cracks in two of its piers, police said."
)


def rated(sentence: str, gains: dict[str, float], threshold: float = 0.25) -> RatedCuts:
    """Every candidate cut of `sentence`, rated by the first key of `gains` its deleted text starts with (else -3)."""
    cuts = candidate_cuts(sentence)

    def gain(cut: Cut) -> float:
        deleted = sentence[cut.start : cut.end].strip(" ,")
        return next((g for text, g in gains.items() if deleted.startswith(text)), -3.0)

    return RatedCuts(cuts, np.asarray([gain(c) for c in cuts]), threshold)


def test_cut_set_takes_what_is_worth_it_and_enough_words():
    cuts = [Cut(0, 10, "a"), Cut(5, 20, "b"), Cut(20, 30, "c"), Cut(30, 40, "d")]
    words = [2, 4, 3, 5]
    # Nothing needed: every cut with a positive value that does not overlap a better one.
    assert sorted(_cut_set(words, cuts, [1.0, 0.5, -1.0, 2.0], 0)) == [0, 3]
    # Six words needed: 0 (2) + 3 (5) is worth more than 1 (4) + 3 (5), and enough.
    assert sorted(_cut_set(words, cuts, [1.0, 0.5, -1.0, 2.0], 6)) == [0, 3]
    # Eleven words needed: only three cuts together delete that many; the best such set.
    assert sorted(_cut_set(words, cuts, [1.0, 0.5, -1.0, 2.0], 11)) == [1, 2, 3]
    assert sorted(_cut_set(words, cuts, [1.0, -5.0, -1.0, 2.0], 10)) == [0, 2, 3]
    assert _cut_set(words, cuts, [1.0, 0.5, -1.0, 2.0], 13) is None  # 0 and 1 overlap: 12 words at most


def test_a_long_tail_stands_in_for_the_cut_inside_it():
    # The attribution is the only cut worth making, but the budget needs the relative clause gone, which
    # takes the attribution with it.
    span = Span(0, len(SENTENCE))
    fitted = fit_bullet(SENTENCE, span, rated(SENTENCE, {"police said": 1.0, "which": -2.0}), 15)
    assert fitted.words <= 15
    # The tail took `, police said` with it: whose claim it is stays as CNN's label.
    assert (
        fitted.compressed.text(SENTENCE) == "Police: The city council voted on Monday to rebuild the old river bridge."
    )
    # Without a budget to meet, only the attribution goes.
    loose = fit_bullet(SENTENCE, span, rated(SENTENCE, {"police said": 1.0, "which": -2.0}), 40)
    assert loose.compressed.text(SENTENCE).endswith("two of its piers.")


def test_the_cuts_that_fit_are_the_least_harmful_ones():
    span = Span(0, len(SENTENCE))
    # Cutting from "in two" is rated less harmful than from "after", and fits 22 words (28 less 7, and the
    # speaker's label `Police:`).
    fitted = fit_bullet(SENTENCE, span, rated(SENTENCE, {"in two": -0.5, "after": -1.0}), 22)
    assert fitted.words == 22
    assert fitted.compressed.text(SENTENCE).endswith("after engineers found cracks.")
    # 20 words need one more: from "after" is the least harmful cut that takes enough.
    fitted = fit_bullet(SENTENCE, span, rated(SENTENCE, {"in two": -0.5, "after": -1.0}), 20)
    assert fitted.words <= 20
    assert fitted.compressed.text(SENTENCE).endswith("closed in March.")


def test_a_forced_cut_takes_the_fewest_words_the_highlights_keep():
    span = Span(0, len(SENTENCE))
    # The cut model alone would rather cut from "after" than from "in two" ...
    gains = rated(SENTENCE, {"after": -0.5, "in two": -1.0})
    assert fit_bullet(SENTENCE, span, gains, 22).compressed.text(SENTENCE).endswith("closed in March.")
    # ... but the word model expects "engineers found cracks" in the highlights: a cut that takes them costs more.
    chance = {"engineers": 0.9, "found": 0.9, "cracks": 0.9}
    loss = np.asarray([sum(chance.get(w, 0.05) for w in SENTENCE[c.start : c.end].split()) for c in gains.cuts])
    fitted = fit_bullet(SENTENCE, span, RatedCuts(gains.cuts, gains.gains, gains.threshold, loss), 22)
    assert fitted.words <= 22
    assert fitted.compressed.text(SENTENCE).endswith("after engineers found cracks.")


def test_rated_cuts_carry_the_words_each_cut_is_expected_to_take():
    article = segment(ingest(SENTENCE))
    (rated_cuts,) = deletion_model().rated_cuts(article, [(0, article.sentences[0].span)])
    assert rated_cuts.cuts and rated_cuts.expected_loss is not None
    assert len(rated_cuts.expected_loss) == len(rated_cuts.cuts)
    sentence = article.sentences[0].text
    for cut, loss in zip(rated_cuts.cuts, rated_cuts.expected_loss):
        assert 0.0 <= loss <= len(sentence[cut.start : cut.end].split())  # a chance per word, at most one each


def test_every_cut_made_to_fit_passes_the_guard_where_it_is_made():
    text = (
        'The mayor, who took office in 2019 after a close race, said on Tuesday that "we will not give up" on '
        "the plan to rebuild the old bridge, which was closed in March, according to a statement."
    )
    span = Span(0, len(text))
    fitted = fit_bullet(text, span, rated(text, {}), 12)
    kept = text
    for _, deleted in sorted(fitted.compressed.deletions, key=lambda d: -d[1].start):
        assert guard_reason(kept, deleted.start, deleted.end) is None
        kept = kept[: deleted.start] + kept[deleted.end :]
    assert '"we will not give up"' in fitted.compressed.text(text)  # never inside a quote


def test_a_sentence_no_cut_can_fit_is_left_whole_and_over():
    text = "Nobody expected the small town of Millbrook to win the regional science fair three years running."
    fitted = fit_bullet(text, Span(0, len(text)), rated(text, {}), 5)
    assert fitted.words > 5 and fitted.compressed.text(text) == text


@pytest.mark.parametrize("limit", [12, 15, 20])
def test_fitted_lengths_before_the_choice(limit):
    text = (
        f"{SENTENCE} Work will start in spring and last two years, the council's engineers said in a report. "
        "A ferry runs meanwhile."
    )
    article = segment(ingest(text))
    words, fitted = words_after_fitting(article, np.array([1.0, 0.5, 0.1]), limit, deletion_model(), 2)
    assert words[2] == article.sentences[2].words  # fits already: untouched
    for index, result in fitted.items():
        assert result.words == words[index] <= limit < article.sentences[index].words


@pytest.mark.parametrize("method", ["lead", "centrality", "learned"])
def test_every_method_fits_bullets_by_cutting_them(method, example_text):
    summary = summarize(example_text, method=method, max_words_per_bullet=15)
    assert summary.highlights and not summary.warnings
    assert all(h.words <= 15 for h in summary.highlights)
    assert any(h.deleted for h in summary.highlights)  # the example's sentences are longer than 15 words
    for h in summary.highlights:
        assert h.text[-1] in ".!?\"”'’"  # ends like a sentence: cut at clause boundaries, not mid-clause


@pytest.mark.parametrize("method", ["lead", "centrality", "learned"])
@pytest.mark.parametrize("max_words", [30, 40])
def test_a_total_budget_is_met_by_cutting_bullets_to_their_share(method, max_words, example_text):
    summary = summarize(example_text, method=method, max_words=max_words)
    assert summary.highlights and sum(h.words for h in summary.highlights) <= max_words
    assert all(h.text[-1] in ".!?\"”'’" for h in summary.highlights)


def test_a_line_without_a_verb_is_not_a_bullet_when_statements_exist():
    text = (
        "The world's busiest airports.\n\nHong Kong International Airport.\n\n"
        "Singapore's Changi Airport was named the best airport in the world for the third year running on Tuesday. "
        "Incheon International Airport near Seoul came second in the passengers' vote."
    )
    for method in ("lead", "centrality", "learned"):
        bullets = summarize(text, method=method, bullets=2, length="cnn").bullets
        assert bullets and not any("Hong Kong International Airport" in b for b in bullets), method
        assert not any(b.startswith("The world's busiest") for b in bullets), method
    # With no statement at all, the lines that end like a sentence still make bullets.
    assert summarize("Hong Kong International Airport.\n\nSingapore Changi Airport.", method="lead").bullets


@pytest.mark.parametrize(
    ("text", "statement"),
    [
        ("Hong Kong International Airport .", False),
        ("Taraji P. Henson .", False),
        ("The world's top 10 airports, according to SkyTrax: .", False),
        ("Henson has sunk her teeth into the role of Cookie.", True),
        ("It's over.", True),
        ("Police say the man was armed.", True),
    ],
)
def test_statements_are_sentences_with_a_verb(text, statement):
    article = segment(ingest(f"{text}\n\nThe council voted to close the library on Monday."))
    assert statements(article.sentences)[0] is statement
