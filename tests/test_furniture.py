"""Page furniture: the learned line model on pages written for the test, its decode, title and byline."""

from __future__ import annotations

import json

import numpy as np
import pytest

from highlights import summarize
from highlights.article import Span
from highlights.ingest import ingest
from highlights.ingest.furniture import (
    FORMAT,
    META_FILE,
    MIN_PAGE_LINES,
    FurnitureModel,
    feature_count,
    furniture_reason,
    judge_page,
    likeliest_run,
    line_features,
    load_model,
    model_meta,
    page_lines,
    shift_log_odds,
    viterbi,
)
from highlights.ingest.title import page_title, without_site_name

STORY = [
    "MADRID — The city council voted on Tuesday to rebuild the old stone bridge over the river, ending a debate "
    "that had divided residents for more than a decade.",
    "The work will start in May and should take two years, the council said in a statement, adding that a "
    "temporary footbridge would keep the two banks connected while the crews are on site.",
    "Engineers said the new bridge would carry twice as many cars as the old one and would have a wide lane for "
    "bicycles, which many residents had asked for during the public hearings last spring.",
    '"This is the most important decision we have taken in years," the mayor told reporters after the vote, '
    "adding that the city had set aside money for the project in its budget.",
    "Opponents of the plan had argued that the old bridge could be repaired for a fraction of the cost, and some "
    "of them said on Tuesday that they would ask a court to review the decision.",
    "The council rejected that argument, saying that an inspection last year had found cracks in two of the "
    "bridge's arches that could not be repaired safely.",
]
HEADLINE = "Council votes to rebuild the old stone bridge"
MENU = [
    "Home",
    "News",
    "Sport",
    "Business",
    "Culture",
    "Travel",
    "Weather",
    "Video",
    "Podcasts",
    "Sign In",
    "Subscribe",
    "Search",
]
PAGE = "\n".join([
    f"{HEADLINE} - The Riverside Gazette",
    "",
    "We use cookies to personalise content and ads. By continuing to use our site, you agree to our use of cookies.",
    "Accept all cookies",
    *MENU,
    "",
    "Local News",
    HEADLINE,
    "By Maria Chen, Staff Writer",
    "Published 9:02 AM EST Nov 19, 2019",
    "Share this article",
    "Facebook",
    "Twitter",
    "",
    *[line for paragraph in STORY for line in (paragraph, "")],
    "The old bridge seen from the east bank. (Jane Roe/Riverside Gazette)",
    "",
    "Related stories",
    "Mayor unveils new budget",
    "Library to open on Sundays",
    "Most popular",
    "Five things to do this weekend",
    "Comments",
    "© 2019 The Riverside Gazette. All rights reserved.",
    "Privacy Policy",
    "Terms of Use",
    "Contact us",
])  # fmt: skip


@pytest.fixture(scope="module")
def page_article():
    if load_model() is None:
        pytest.skip("no furniture model in src/highlights/models (build it with `highlights train-furniture`)")
    return ingest(PAGE, format="text")


def test_the_story_is_the_body_and_the_furniture_is_kept_out(page_article):
    body = page_article.body_text()
    for paragraph in STORY[1:]:
        assert paragraph in body
    assert STORY[0].removeprefix("MADRID — ") in body
    for furniture in (
        "cookies",
        "Sign In",
        "Related stories",
        "Most popular",
        "All rights reserved",
        "Privacy Policy",
        "Share this article",
        "Published 9:02",
    ):
        assert furniture not in body, furniture


def test_every_kept_out_region_indexes_the_input_and_says_why(page_article):
    reasons = {removed.reason for removed in page_article.removed}
    assert {"title", "dateline", "byline", "cookie-notice"} <= reasons
    for removed in page_article.removed:
        assert PAGE[removed.span.start : removed.span.end].strip()
    for span in page_article.body:
        assert PAGE[span.start : span.end] == span.of(page_article.text)


def test_the_title_is_the_printed_headline_and_the_byline_names_the_author(page_article):
    assert page_article.title == HEADLINE
    assert page_article.author == "Maria Chen"


def test_bullets_come_from_the_story():
    if load_model() is None:
        pytest.skip("no furniture model")
    summary = summarize(PAGE)
    joined = " ".join(STORY)
    for highlight in summary.highlights:
        for span in highlight.spans:
            assert summary.text[span.start : span.end] in joined


def test_a_clean_article_of_many_paragraphs_loses_nothing():
    if load_model() is None:
        pytest.skip("no furniture model")
    text = "\n\n".join(STORY + STORY[:3])
    assert len(page_lines(text)) >= MIN_PAGE_LINES
    verdict = judge_page(text)
    assert verdict is not None and all(verdict)
    article = ingest(text, format="text")
    assert [r.reason for r in article.removed] == ["dateline"]


def test_short_texts_are_not_judged_as_pages():
    assert judge_page("\n".join(STORY[:3])) is None


def test_line_features_have_one_row_per_line_and_a_fixed_width():
    lines = page_lines(PAGE)
    features = line_features(PAGE, lines)
    assert features.shape == (len(lines), feature_count())
    assert np.isfinite(features).all()
    assert line_features("", []).shape == (0, feature_count())


def test_line_features_read_scripts_without_spaces():
    text = "先日、不正に改造したスマートフォンを販売したとして男性が逮捕された。\nHome\n"
    features = line_features(text, page_lines(text))
    assert features[0, 1] > features[1, 1]  # the sentence counts as many words, the menu entry as one


def test_the_decode_keeps_a_run_unless_a_line_is_clearly_out():
    probabilities = np.array([0.1, 0.9, 0.45, 0.9, 0.9, 0.02, 0.9, 0.1])
    # Without a cost, each line on its own; with one, the unsure line joins the run, the clear furniture line
    # ends it, and a lone body line after it is not worth two switches.
    assert viterbi(probabilities, switch_cost=0.0) == [False, True, False, True, True, False, True, False]
    assert viterbi(probabilities, switch_cost=2.0) == [False, True, True, True, True, False, False, False]
    assert viterbi(np.zeros(0), 1.0) == []


class _Fixed:
    """A booster stand-in that gives the same probabilities whatever it is asked."""

    def __init__(self, probabilities):
        self.probabilities = np.asarray(probabilities, dtype=np.float64)

    def predict(self, features, num_threads=1):
        return self.probabilities


def test_a_page_where_no_line_looks_like_body_still_gets_the_likeliest_run():
    # Nothing reaches 0.5: the story is the run whose summed log-odds are highest, never the whole page.
    probabilities = [0.01, 0.02, 0.3, 0.45, 0.4, 0.05, 0.35, 0.01]
    assert likeliest_run(np.asarray(probabilities)) == (3, 3)
    assert likeliest_run(np.asarray([0.1, 0.7, 0.6, 0.4, 0.9])) == (1, 4)  # a weak line inside a run joins it
    assert likeliest_run(np.asarray([0.1, 0.7, 0.6, 0.2, 0.9])) == (4, 4)  # a clear one splits it
    model = FurnitureModel(_Fixed(probabilities), _Fixed(probabilities), switch_cost=0.0)
    text = "\n".join(f"line {i}" for i in range(len(probabilities)))
    assert model.body_lines(text, page_lines(text)) == [i == 3 for i in range(len(probabilities))]


def test_an_extractors_main_text_loses_only_what_is_clearly_furniture():
    assert shift_log_odds(np.array([0.5, 0.25]), np.log(3.0)) == pytest.approx([0.75, 0.5])
    probabilities = [0.9, 0.3, 0.9, 0.9, 0.05, 0.9, 0.9, 0.9]
    model = FurnitureModel(_Fixed(probabilities), _Fixed(probabilities), switch_cost=0.0, extracted_offset=2.0)
    text = "\n".join(f"line {i}" for i in range(len(probabilities)))
    lines = page_lines(text)
    assert model.body_lines(text, lines) == [p > 0.5 for p in probabilities]
    # From HTML, trafilatura already took most furniture out: the unsure line stays, the clear one goes.
    assert model.body_lines(text, lines, extracted=True) == [p > 0.1 for p in probabilities]


def test_a_byline_the_model_keeps_inside_the_story_is_kept_out_and_names_the_author():
    if load_model() is None:
        pytest.skip("no furniture model")
    story = [line for paragraph in STORY for line in (paragraph, "")]
    page = "\n".join(
        [
            *PAGE.split("\n")[:7],
            HEADLINE,
            "",
            story[0],
            "",
            "By John Roe and Ann Poe, Reuters",
            "",
            *story[1:],
            "Privacy Policy",
            "Contact us",
        ]
    )
    article = ingest(page, format="text")
    assert "John Roe" not in article.body_text()
    assert any(r.reason == "byline" and "John Roe" in page[r.span.start : r.span.end] for r in article.removed)
    assert article.author == "John Roe and Ann Poe"


def test_a_model_built_for_other_features_is_refused_with_what_to_do(tmp_path):
    from highlights.errors import ModelFolderError
    from highlights.model_folder import ModelMeta, write_meta

    (tmp_path / META_FILE).write_text(json.dumps({"format": FORMAT, "features": 3, "switch_cost": 1.0}))
    for name in ("furniture-lines.lgb.txt", "furniture-context.lgb.txt"):
        (tmp_path / name).write_text("tree\n")
    with pytest.raises(ModelFolderError, match="no meta.json.*train-furniture"):  # built before meta.json
        load_model(tmp_path)
    load_model.cache_clear()
    shipped = model_meta()
    write_meta(tmp_path, ModelMeta(shipped.name, shipped.format, "0" * 64, shipped.rebuild))  # other features
    with pytest.raises(ModelFolderError, match="other features.*train-furniture"):
        load_model(tmp_path)
    load_model.cache_clear()
    assert load_model(tmp_path / "absent") is None


@pytest.mark.parametrize(
    "line, reason",
    [
        ("We use cookies to improve your experience", "cookie-notice"),
        ("Sign in to your account", "account"),
        ("Share on Facebook", "share"),
        ("Read more: Mayor unveils budget", "related"),
        ("© 2019 The Gazette", "copyright"),
        ("NBA Home", "navigation"),
    ],
)
def test_kept_out_lines_are_named(line, reason):
    assert furniture_reason(line) == reason


@pytest.mark.parametrize(
    "title, expected",
    [
        ("Nadal keeps Spain alive in Davis Cup - Sportsnet.ca", "Nadal keeps Spain alive in Davis Cup"),
        ("Classificação NASCAR | Autoracing | F1 | Indy | MotoGP | StockCar", "Classificação NASCAR"),
        ("Council votes to rebuild the bridge", "Council votes to rebuild the bridge"),
        (
            "Brexit - what the long negotiations with Brussels could mean for the farmers of Wales",
            "Brexit - what the long negotiations with Brussels could mean for the farmers of Wales",
        ),
    ],
)
def test_the_site_name_is_dropped_from_a_document_title(title, expected):
    assert without_site_name(title) == expected


def test_the_printed_headline_wins_over_the_document_title():
    lines = [f"{HEADLINE} | Gazette", "Home", "News", HEADLINE, STORY[1]]
    spans = [Span(i * 100, i * 100 + len(line)) for i, line in enumerate(lines)]
    assert page_title(lines, spans, first_body=4) == (HEADLINE, spans[3], 3)
    assert page_title(lines[:1] + lines[4:], spans[:1] + spans[4:], first_body=1)[0] == HEADLINE


def test_html_title_comes_from_the_page_without_its_site_name_and_the_first_line_stays_in_the_story():
    paragraphs = "".join(f"<p>{paragraph}</p>" for paragraph in STORY[1:])
    html = (
        f"<html><head><title>{HEADLINE} - The Riverside Gazette</title></head><body><article>"
        f"<p>RIVERSIDE, MAINE</p>{paragraphs}</article></body></html>"
    )
    article = ingest(html, format="html")
    assert article.title == HEADLINE
    assert "RIVERSIDE, MAINE" in article.body_text()


def test_html_larger_than_trafilatura_reads_in_linear_time_is_read_as_visible_text(monkeypatch):
    import trafilatura

    from highlights.ingest import html as html_module

    def refuse(*args, **kwargs):
        raise AssertionError("trafilatura must not be given a page this large")

    monkeypatch.setattr(trafilatura, "bare_extraction", refuse)
    monkeypatch.setattr(html_module, "MAX_EXTRACT_CHARS", 1_000)
    page = "<html><body>" + "".join(f"<p>{paragraph}</p>" for paragraph in STORY) + "</body></html>"
    text, extracted = html_module.main_text(page)
    assert extracted is None and STORY[1] in text
