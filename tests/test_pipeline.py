"""summarize(): offsets, options, attribution, every bad input of GUIDE §5."""

from __future__ import annotations

import types

import numpy as np
import pytest

from highlights import (
    Budget,
    Document,
    EmptyInputError,
    HighlightsError,
    InputError,
    Options,
    Scorer,
    Summarizer,
    UnknownMethodError,
    methods,
    render,
    summarize,
    to_dict,
)
from highlights.compress import apply_fixups
from highlights.score import register
from highlights.score.base import _FACTORIES, _INSTANCES

OPINION = (
    "Why bridges matter\n\n"
    "Story highlights\n\n  • Maria de la Cruz: Bridges hold towns together\n\n"
    "Maria de la Cruz is a civil engineer. "
    "The opinions expressed in this commentary are solely those of the author.\n\n"
    "(CNN)Bridges hold towns together in ways we rarely notice. When one closes, shops lose customers within weeks. "
    "Children spend an hour more on the bus every day. Yet repair budgets have fallen for a decade. "
    "Engineers warn that hundreds of bridges need work now. The cost of waiting grows every year.\n"
)


def assert_spans_valid(summary):
    for h in summary.highlights:
        assert h.spans, h
        assert apply_fixups(" ".join(s.of(summary.text) for s in h.spans), h.fixups) == h.text
        for span in h.spans:
            assert 0 <= span.start < span.end <= len(summary.text)


@pytest.mark.parametrize("method", ["lead", "centrality"])
def test_every_method_gives_valid_offsets(example_text, method):
    summary = summarize(example_text, method=method)
    assert 1 <= len(summary.highlights) <= 4
    assert_spans_valid(summary)
    assert summary.method == method


def test_methods_are_registered():
    assert {"lead", "centrality"} <= set(methods())
    with pytest.raises(UnknownMethodError, match="choose one of"):
        summarize("Some text here.", method="nope")


def test_lead_takes_first_sentences_in_order(example_text):
    summary = summarize(example_text, method="lead", bullets=2)
    assert [h.sentence_index for h in summary.highlights] == [0, 1]
    assert summary.highlights[0].text.startswith("When the Ashwater River rose")


def test_bullet_count_and_word_limits(example_text):
    assert len(summarize(example_text, bullets=1).highlights) == 1
    summary = summarize(example_text, bullets=4, max_words_per_bullet=15)
    assert all(h.words <= 15 for h in summary.highlights)
    summary = summarize(example_text, bullets=4, max_words=40)
    assert sum(h.words for h in summary.highlights) <= 40


def test_a_sentence_no_cut_fits_stays_whole_with_a_warning_not_cut_mid_sentence():
    text = "The council " + "very " * 80 + "long sentence ended here."
    for compress in (True, False):
        summary = summarize(text, max_words_per_bullet=10, compress=compress)
        (bullet,) = summary.highlights
        assert bullet.text == text  # no cut keeps a sentence, and a prefix of it is a fragment
        assert any("No sentence of the article fits in 10 words" in w for w in summary.warnings)
        assert_spans_valid(summary)


def test_a_long_sentence_is_cut_to_the_budget_rather_than_passed_over():
    text = (
        "The city council voted on Monday to rebuild the old river bridge, which was closed in March after "
        "engineers found cracks in two of its piers, police said. "
        "Work will start in spring. "
        "A ferry runs meanwhile."
    )
    summary = summarize(text, method="lead", bullets=1, max_words_per_bullet=15)
    (bullet,) = summary.highlights
    assert bullet.sentence_index == 0 and bullet.deleted
    assert bullet.words <= 15 and not summary.warnings
    assert bullet.text.startswith("Police: The city council voted") and bullet.text.endswith(".")
    assert_spans_valid(summary)


def test_no_two_bullets_say_the_same_thing():
    text = (
        "The council voted to rebuild the old river bridge on Monday. "
        "On Monday the council voted to rebuild the old river bridge. "
        "Work will start in spring. Residents welcomed the news. A ferry will run meanwhile."
    )
    bullets = summarize(text, method="lead", bullets=3).bullets
    assert not ("The council voted" in bullets[0] and "On Monday the council" in bullets[1])


def test_opinion_attribution_on_first_bullet_only_and_switchable():
    summary = summarize(OPINION, bullets=2)
    assert summary.kind == "opinion" and summary.author == "Maria de la Cruz"
    assert summary.highlights[0].display.startswith("Maria de la Cruz: ")
    assert summary.highlights[0].text == summary.highlights[0].display.removeprefix("Maria de la Cruz: ")
    assert summary.highlights[1].attribution is None
    assert summary.reference_highlights == ["Maria de la Cruz: Bridges hold towns together"]
    plain = summarize(OPINION, bullets=2, attribute=False)
    assert all(h.attribution is None for h in plain.highlights)
    assert_spans_valid(summary)


def test_news_has_no_attribution(example_text):
    assert all(h.attribution is None for h in summarize(example_text).highlights)


def test_renderers(example_text):
    summary = summarize(example_text)
    data = to_dict(summary)
    assert data["title"] == "River town's homemade sensors beat the flood"
    assert len(data["reference_highlights"]) == 2
    for bullet in data["highlights"]:
        for start, end in bullet["spans"]:
            assert summary.text[start:end] in bullet["source_text"]
    assert render(summary, "markdown").startswith("# River town")
    assert render(summary, "text").count("• ") == len(summary.highlights)
    with pytest.raises(ValueError):
        render(summary, "xml")


def test_highlights_render_is_the_module_and_still_renders(example_text):
    import highlights
    import highlights.render as module

    assert isinstance(highlights.render, types.ModuleType) and highlights.render is module
    summary = summarize(example_text)
    assert highlights.render(summary, "markdown") == module.render(summary, "markdown")  # as the README calls it
    assert render(summary, "text", warnings=False) == module.render(summary, "text", warnings=False)


@pytest.mark.parametrize(
    "settings",
    [{"bullets": 4}, {"method": "lead"}, {"max_words_per_bullet": 60}, {"attribute": True, "compress": None}],
)
def test_settings_beside_options_are_refused_not_ignored(example_text, settings):
    with pytest.raises(TypeError, match=f"options= and {', '.join(settings)} were both given"):
        summarize(example_text, options=Options(), **settings)
    with pytest.raises(TypeError, match="not both"):
        Summarizer(options=Options(), **settings)


def test_a_summarizer_is_summarize_with_its_settings_kept(example_text):
    lead = Summarizer(method="lead", bullets=2, compress=False)
    assert lead.options == Options(method="lead", budget=Budget(bullets=2), compress=False)
    assert lead.summarize(example_text) == summarize(example_text, options=lead.options)
    assert Summarizer().summarize(example_text) == summarize(example_text)
    with pytest.raises(UnknownMethodError):
        Summarizer(method="nope")


def test_a_plug_in_scorer_subclasses_scorer_and_gets_the_defaults(example_text):
    class Last(Scorer):
        name = "last"

        def score(self, article):
            return np.arange(len(article.sentences), dtype=float)

    class NotAScorer:
        name = "not-a-scorer"

        def score(self, article):
            return np.zeros(len(article.sentences))

    register("last")(Last)
    register("not-a-scorer")(NotAScorer)
    try:
        summary = summarize(example_text, method="last", bullets=1, compress=False)
        assert summary.highlights[0].sentence_index == summary.sentence_count - 1
        with pytest.raises(TypeError, match="subclasses highlights.score.Scorer"):
            summarize(example_text, method="not-a-scorer")
    finally:
        for name in ("last", "not-a-scorer"):
            _FACTORIES.pop(name, None)
            _INSTANCES.pop((name, None), None)


def test_html_input():
    html = (
        "<html><head><title>Mayor quits</title></head><body><nav>Home | World</nav><article><h1>Mayor quits</h1>"
        "<p>The mayor of Springfield resigned on Tuesday after a long dispute with the council over schools.</p>"
        "<p>Council members said they would choose an interim mayor next week. Residents were surprised.</p>"
        "</article></body></html>"
    )
    summary = summarize(html)
    assert summary.title == "Mayor quits"
    assert any("resigned on Tuesday" in b for b in summary.bullets)
    assert "<p>" not in summary.text
    assert_spans_valid(summary)


def test_document_and_bytes_inputs(example_text):
    a = summarize(Document(example_text.encode(), "example.txt"))
    b = summarize(example_text.encode("utf-8"))
    assert a.bullets == b.bullets
    assert a.source == "example.txt"


# --- bad input (GUIDE §5) ---------------------------------------------------------------------------


@pytest.mark.parametrize("content", ["", "   \n\t  ", b"", b"\n\n"])
def test_empty_input_is_a_clear_error(content):
    with pytest.raises(EmptyInputError, match="empty"):
        summarize(content)


def test_only_page_furniture_is_a_clear_error():
    with pytest.raises(EmptyInputError):
        summarize("Follow CNN Opinion\n\nJoin us on Twitter and Facebook\n")


def test_one_sentence_gives_one_bullet():
    summary = summarize("The mayor resigned on Tuesday.")
    assert summary.bullets == ["The mayor resigned on Tuesday."]


def test_text_without_any_punctuation():
    text = " ".join(f"word{i}" for i in range(5000))
    summary = summarize(text)
    assert 1 <= len(summary.highlights) <= 3
    assert all(h.words <= 60 for h in summary.highlights)
    assert_spans_valid(summary)


@pytest.mark.slow
def test_ten_megabytes(example_text):
    text = (example_text * (10_000_000 // len(example_text) + 1))[:10_000_000]
    summary = summarize(text)
    assert summary.highlights and summary.sentence_count <= 500
    assert_spans_valid(summary)


def test_invalid_utf8_is_decoded_with_replacement():
    summary = summarize(b"The mayor \xff resigned on Tuesday. Crowds cheered \xc3( loudly in the square.")
    assert "\ufffd" in summary.text
    assert summary.highlights


@pytest.mark.parametrize("blob", [bytes(range(256)) * 50, b"\x01\x02\x03\x04" * 500, "\x00abc" * 10])
def test_binary_is_refused(blob):
    with pytest.raises(InputError, match="binary"):
        summarize(blob)


@pytest.mark.parametrize(
    "text",
    [
        "北京（CNN）中国政府周二宣布新的经济刺激计划。分析人士表示，这将提振市场信心。该计划包括减税和基础设施投资。",
        "قال مسؤولون إن الحكومة ستعلن خطة جديدة يوم الثلاثاء. وأضافوا أن الخطة تشمل استثمارات كبيرة.",
        "Правительство объявило новый план во вторник. Аналитики говорят, что это поддержит рынок.",
    ],
)
def test_non_english_gets_bullets_from_its_own_text(text):
    summary = summarize(text)
    assert summary.highlights
    assert_spans_valid(summary)


def test_deeply_nested_html():
    html = (
        "<html><body>"
        + "<div>" * 3000
        + "<p>The mayor resigned on Tuesday. The council meets.</p>"
        + "</div>" * 3000
        + "</body></html>"
    )
    assert summarize(html).highlights


def test_html_without_body_is_a_clear_error():
    with pytest.raises(EmptyInputError, match="HTML"):
        summarize("<html><head><title>Nothing</title></head></html>")


def test_every_error_is_a_highlights_error():
    for cls in (EmptyInputError, InputError, UnknownMethodError):
        assert issubclass(cls, HighlightsError) and issubclass(cls, ValueError)


@pytest.mark.parametrize("method", ["lead", "centrality", "learned"])
def test_each_bullet_has_the_rank_of_its_sentence_by_the_methods_score(example_text, method):
    # A score's scale is the method's own (log-odds for learned, so mostly below 0); its rank reads the same in all.

    summary = summarize(example_text, method=method, compress=False)
    for h in summary.highlights:
        assert 1 <= h.rank <= summary.sentence_count
        assert to_dict(summary)["highlights"][summary.highlights.index(h)]["rank"] == h.rank
    by_score = sorted(summary.highlights, key=lambda h: -h.score)
    assert [h.rank for h in by_score] == sorted(h.rank for h in summary.highlights)
    if method == "lead":
        assert [h.rank for h in summary.highlights] == [h.sentence_index + 1 for h in summary.highlights]


def test_the_score_is_explained_where_the_json_is_documented():
    from highlights.render import RANK_HELP, SCORE_HELP

    assert "log-odds" in SCORE_HELP and "higher is better" in SCORE_HELP and "PageRank" in SCORE_HELP
    assert "1 =" in RANK_HELP
