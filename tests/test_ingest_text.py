"""Scraped-text cleanup: each rule on a small page written for the test, and on the real seed page."""

from __future__ import annotations

import gzip
import json

import pytest

from conftest import CNNDM, shared_file
from highlights.ingest.text import parse_text
from highlights.segment import segment

BODY = (
    "The city council voted on Monday to rebuild the old bridge. The work will take two years.\n"
    "Engineers said the new bridge would carry twice as many cars.\n"
)


def reasons(article):
    return [(r.reason, r.span.of(article.text)) for r in article.removed]


def body(article):
    return article.body_text()


def test_title_is_first_short_line_and_kept_out_of_body():
    article = parse_text("Bridge to be rebuilt\n\n" + BODY)
    assert article.title == "Bridge to be rebuilt"
    assert article.title_span.of(article.text) == "Bridge to be rebuilt"
    assert "Bridge to be rebuilt" not in body(article)


def test_a_first_line_that_is_a_sentence_is_not_a_title():
    article = parse_text(BODY)
    assert article.title is None
    assert body(article).startswith("The city council")


def test_single_line_article_has_no_title():
    article = parse_text("Short headline-like text without a period")
    assert article.title is None and article.body


def test_video_teaser_and_its_duplicated_title_line_are_removed():
    page = (
        "Bridge to be rebuilt\n\n"
        + BODY
        + "Inside the bridge plans\n\nInside the bridge plans 03:15\nMore text follows here.\n"
    )
    article = parse_text(page)
    assert ("video-teaser", "Inside the bridge plans 03:15") in reasons(article)
    assert ("video-teaser", "Inside the bridge plans") in reasons(article)
    assert "Inside the bridge plans" not in body(article)
    assert "More text follows here." in body(article)


def test_teaser_without_duplicate_keeps_previous_line():
    article = parse_text("Title here\n\nA real sentence about the bridge.\nBridge tour 1:02:03\n" + BODY)
    assert "A real sentence about the bridge." in body(article)
    assert "Bridge tour" not in body(article)


def test_story_highlights_block_becomes_reference_highlights():
    page = (
        "Bridge to be rebuilt\n\nStory highlights\n\n  • Council votes to rebuild the bridge\n"
        "  • Work will take two years\n\n" + BODY
    )
    article = parse_text(page)
    assert article.reference_highlights == ["Council votes to rebuild the bridge", "Work will take two years"]
    for text, span in zip(article.reference_highlights, article.reference_spans):
        assert span.of(article.text) == text
    assert "Council votes" not in body(article)


def test_bullets_without_highlights_header_stay_in_body():
    article = parse_text("- first point of a list in the article.\n- second point.\n" + BODY)
    assert "first point" in body(article) and not article.reference_highlights


def test_opinion_bio_and_disclaimer_mark_opinion_and_author():
    page = (
        "Why the bridge matters\n\n"
        "Maria de la Cruz is a civil engineer and writer. The opinions expressed in this commentary are solely "
        "those of the author.\n\n(CNN)The bridge is a lifeline. " + BODY
    )
    article = parse_text(page)
    assert article.kind == "opinion"
    assert article.author == "Maria de la Cruz"
    assert "civil engineer" not in body(article)
    assert "opinions expressed" not in body(article)
    assert body(article).startswith("The bridge is a lifeline.")


def test_author_from_attributed_reference_bullet_when_bio_has_none():
    page = (
        "Story highlights\n\n  • Sam Ortiz: Bridges are worth the money\n\n"
        "The opinions expressed in this commentary are solely those of the author.\n\n" + BODY
    )
    article = parse_text(page)
    assert article.kind == "opinion" and article.author == "Sam Ortiz"


def test_news_article_is_not_opinion():
    article = parse_text(BODY)
    assert article.kind == "news" and article.author is None


def test_social_boilerplate_lines_removed_but_sentences_with_same_words_kept():
    page = BODY + "Follow CNN Travel\n\nJoin us on Twitter and Facebook\nFollow the money, the auditor said.\n"
    article = parse_text(page)
    assert ("boilerplate", "Follow CNN Travel") in reasons(article)
    assert ("boilerplate", "Join us on Twitter and Facebook") in reasons(article)
    assert "Follow the money, the auditor said." in body(article)


def test_inline_boilerplate_in_flattened_text_is_cut_to_its_sentence():
    text = "The museum opened on Friday. Follow @CNNPhotos on Twitter to see more. The exhibit runs until May."
    article = parse_text(text)
    assert "Follow @CNNPhotos" not in body(article)
    assert "The museum opened on Friday." in body(article) and "The exhibit runs until May." in body(article)


def test_read_more_glued_to_previous_word():
    text = "Scientists found the bones in 2012.READ MORE: Bones reveal diet. The king was 32."
    sentences = [s.text for s in segment(parse_text(text)).sentences]
    assert "Scientists found the bones in 2012." in sentences[0]
    assert not any("READ MORE" in s for s in sentences)


@pytest.mark.parametrize(
    "text, first",
    [
        ("(CNN)In the summer, the river rose. It fell again.", "In the summer"),
        ("London (CNN) -- The queen spoke on Monday. Crowds cheered.", "The queen spoke"),
        ("new delhi (cnn) -- thousands stormed a jail. police arrived.", "thousands stormed"),
        ("Washington (CNN)The Senate voted. It passed.", "The Senate voted"),
    ],
)
def test_dateline_is_kept_out_of_the_first_sentence(text, first):
    article = segment(parse_text(text))
    assert article.sentences[0].text.startswith(first)
    assert any(r.reason == "dateline" for r in article.removed)


def test_cnn_mentioned_later_is_not_a_dateline():
    article = segment(parse_text("The mayor told CNN (CNN) on Friday that she would run. She did."))
    assert article.sentences[0].text.startswith("The mayor told CNN")


def test_nothing_is_edited_only_marked():
    page = "Title\n\nStory highlights\n\n • One\n\n(CNN)Body text here. More body.\nFollow us on Twitter\n"
    article = parse_text(page)
    assert article.text == page
    for removed in article.removed:
        assert 0 <= removed.span.start <= removed.span.end <= len(page)


@pytest.mark.data
def test_seed_page(seed_page):
    article = segment(parse_text(seed_page))
    assert article.title == "Why we lost Aleppo"
    assert article.kind == "opinion"
    assert article.author == "Abdul Jabbar al Aqidi"
    assert len(article.reference_highlights) == 2
    assert article.reference_highlights[0].startswith("Abdul Jabbar al Aqidi: The involvement of Russia")
    assert article.reference_highlights[1].startswith("On top of trying to maintain our gains")
    text = body(article)
    for furniture in (
        "02:56",
        "01:29",
        "07:07",
        "Aleppo evacuations suspended",
        "Kerry: Assad regime",
        "Former top UN official",
        "Follow CNN Opinion",
        "Join us on Twitter",
        "The opinions expressed",
        "was commander of and spokesman",
        "Story highlights",
        "(CNN)",
    ):
        assert furniture not in text, furniture
    assert article.sentences[0].text.startswith("In the summer of 2012")
    last = "The fight is not over, but the tree of freedom can only be nurtured with blood."
    assert article.sentences[-1].text == last


@pytest.mark.data
def test_ordinary_articles_are_left_alone():
    """On 1,000 raw CNN validation articles, the cleaner only cuts datelines and clear boilerplate."""
    path = shared_file(CNNDM / "validation-raw.jsonl.gz")
    counts: dict[str, int] = {}
    removed_chars = total_chars = 0
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            article = parse_text(json.loads(line)["article"])
            assert article.title is None and not article.reference_highlights
            total_chars += len(article.text)
            for removed in article.removed:
                counts[removed.reason] = counts.get(removed.reason, 0) + 1
                removed_chars += len(removed.span)
                if removed.reason == "boilerplate":
                    assert removed.span.of(article.text).startswith(("Follow", "Join", "READ", "WATCH", "RELATED"))
    assert set(counts) <= {"dateline", "boilerplate", "disclaimer"}
    assert counts["dateline"] >= 950
    assert removed_chars / total_chars < 0.005


@pytest.mark.parametrize(
    "make",
    [
        'f"- a{chr(32) * 2_000_000}b\\nThe council met on Tuesday."',  # a bullet-like line with a long space run
        'f"Title\\nVideo{chr(32) * 2_000_000}b 02:5\\nThe council met."',  # a teaser-like line
        '"\\n".join(["abc def ghi"] * 200_000)',  # 2 MB of short lines that wrap into one paragraph
    ],
    ids=["bullet-spaces", "teaser-spaces", "short-lines"],
)
def test_pathological_lines_take_linear_time(make):
    # A hang guard, not a timing test: each took minutes to hours when a rule re-read the line or paragraph
    # for every position or line; linear, each takes about a second even on a loaded machine.
    import subprocess
    import sys

    code = (
        "from highlights.ingest.text import parse_text; from highlights.segment import segment; "
        f"segment(parse_text({make}))"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_table_rows_are_read_as_their_cells_without_bars_or_rule_rows():
    # trafilatura writes an HTML table as `| cell | cell |` rows; a story laid out in a table is one of them.
    text = (
        "Council votes to rebuild the bridge\n\n| Pos. | Driver | Points |\n|---|---|---|\n"
        "| 1 | Kyle Busch | 5040 |\n"
        "|  | The council voted on Tuesday. Work starts in May. |\nOpponents said they would go to court.\n"
    )
    article = parse_text(text)
    body = [span.of(text) for span in article.body]
    assert body == [
        "Pos.",
        "Driver",
        "Points",
        "1",
        "Kyle Busch",
        "5040",
        "The council voted on Tuesday. Work starts in May.",
        "Opponents said they would go to court.",
    ]
    assert all("|" not in piece for piece in body)
    assert "The council voted on Tuesday." in [s.text for s in segment(article).sentences]


# --- the story starts at its byline or dateline --------------------------------------------------------------

STANDFIRST_PAGE = (
    "Council votes to rebuild the old river bridge\n"
    "The vote ends a decade of argument over the crossing, and work could start in the spring.\n"
    "By Jane Doe, Reuters\n"
    "HARBOR CITY, Maine — The city council voted on Tuesday to rebuild the old river bridge.\n"
    "Work is expected to start in May and to last two years, the mayor said.\n"
)


def _story_start(page: str, kept_lines: list[int]) -> int:
    from highlights.ingest.text import _lines, _story_header

    return _story_header(page, _lines(page), kept_lines)


def test_lines_the_model_keeps_above_a_byline_are_the_standfirst():
    # The model took the standfirst (line 1) for story; the byline on line 2 says where the story starts.
    assert _story_start(STANDFIRST_PAGE, [1, 2, 3, 4]) == 1


def test_lines_the_model_keeps_above_a_dateline_are_the_standfirst():
    assert _story_start(STANDFIRST_PAGE, [1, 3, 4]) == 1  # no byline kept: the dateline still marks the start


def test_a_story_that_opens_with_its_byline_or_dateline_keeps_every_line():
    assert _story_start(STANDFIRST_PAGE, [2, 3, 4]) == 0  # the byline is the first line kept: nothing above it
    assert _story_start(STANDFIRST_PAGE, [3, 4]) == 0


def test_a_byline_far_into_the_story_starts_nothing():
    # A "By ..." line (or a dateline) deep in the model's story is a quoted credit or a second dispatch, not
    # where the story starts: only the first STANDFIRST_LINES lines may stand above one.
    from highlights.ingest.text import STANDFIRST_LINES

    page = "\n".join(f"Paragraph {k} of the story goes on about the bridge." for k in range(STANDFIRST_LINES + 1))
    page += "\nBy Jane Doe, Reuters\nThe end of the story.\n"
    assert _story_start(page, list(range(STANDFIRST_LINES + 3))) == 0
