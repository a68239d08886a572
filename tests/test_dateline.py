"""Datelines, bylines and the author of an editor's note: each style on made-up text, what is not one, offsets
that stay inside the paragraph, and linear time on pathological input."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys

import pytest

from conftest import CNNDM, shared_file
from highlights.ingest.dateline import DATELINE_LOOKAHEAD, Byline, author_from_note, match_byline, match_dateline


def story(paragraph: str) -> str | None:
    """The paragraph's story after its dateline, or None when it opens with none."""
    start = match_dateline(paragraph, 0, len(paragraph))
    return None if start is None else paragraph[start:]


# --- datelines --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "paragraph, rest",
    [
        ("MADRID — The council met on Monday.", "The council met on Monday."),
        ("MADRID -- The council met on Monday.", "The council met on Monday."),
        ("MADRID - The council met on Monday.", "The council met on Monday."),
        ("MADRID: The council met on Monday.", "The council met on Monday."),
        ("MADRID—The council met on Monday.", "The council met on Monday."),
        ("HARBOR CITY, Maine — A ferry ran aground.", "A ferry ran aground."),
        ("ST. JOSEPH, Mich. (AP) — Health officials said.", "Health officials said."),
        ("WASHINGTON (AP) — The bill passed.", "The bill passed."),
        ("LONDON, Nov 19 (Reuters) - Oil prices fell.", "Oil prices fell."),
        ("BEIJING, Nov. 19 (Xinhua) -- Trade grew.", "Trade grew."),
        ("NEW DELHI, India (CNN) -- Thousands marched.", "Thousands marched."),
        ("(CNN)In the summer, the river rose.", "In the summer, the river rose."),
        ("(CNN) -- In the summer, the river rose.", "In the summer, the river rose."),
        ("London (CNN) -- The queen spoke.", "The queen spoke."),
        ("Washington (CNN)The Senate voted.", "The Senate voted."),
        ("Kano, Nigeria (CNN)Gunmen attacked.", "Gunmen attacked."),
        ("Rio de Janeiro (CNN) Crowds gathered.", "Crowds gathered."),
        ("BEIJING (Xinhua) -- China said.", "China said."),
        ("PARIS (AFP) - France said.", "France said."),
        ("Washington, D.C. -- The mayor said.", "The mayor said."),
        ("CLEVELAND, Ohio – The band will tour.", "The band will tour."),
        ("DUBAI, United Arab Emirates — The airline ordered jets.", "The airline ordered jets."),
        ("THE HAGUE, Netherlands (AP) — The court ruled.", "The court ruled."),
        ("Springfield – Several thousand teachers rallied.", "Several thousand teachers rallied."),
        ("(Reuters) — The company said.", "The company said."),
        ("Nov. 19 (UPI) -- The company said.", "The company said."),
        ("March 10, 2015 . Today we travel to the coast.", "Today we travel to the coast."),
        ("(Rolling Stone)The band split.", "The band split."),
        ("(Gadget Weekly) -- The phone shipped.", "The phone shipped."),
        ("Omaha, Nebraska (the Plains Project)When the storm came.", "When the storm came."),
        ("SAN FRANCISCO--(BUSINESS WIRE)--Acme Corp. said.", "Acme Corp. said."),
        ("NEW YORK, Nov. 19, 2019 /PRNewswire/ -- Acme Corp. said.", "Acme Corp. said."),
        ('BERLIN -- "We are ready," the minister said.', '"We are ready," the minister said.'),
        ("  \n  MADRID — The council met.", "The council met."),
        # lowercased corpora, as text.py's rule read them, and with PTB's spaced comma
        ("new delhi ( cnn ) -- thousands stormed a jail.", "thousands stormed a jail."),
        ("new delhi (cnn) -- thousands stormed a jail.", "thousands stormed a jail."),
        ("sao paulo , brazil ( cnn ) crowds marched.", "crowds marched."),
        ("( cnn ) the river rose.", "the river rose."),
    ],
)
def test_dateline_styles(paragraph, rest):
    assert story(paragraph) == rest


@pytest.mark.parametrize(
    "paragraph",
    [
        "Boston is cold — colder than last year.",
        "HOUSTON, we have a problem — the engine failed.",
        '"We won," he said — and he meant it.',
        "Police Say The Man Fled — And Was Caught Later.",
        "Police Say — The Man Fled.",
        "Meanwhile — The council met.",
        "A HUNTER — who killed a rabbit — fell ill.",
        "MADRID — and then the rain came.",  # a dash dateline is followed by a sentence's capital
        "The mayor told CNN (CNN) on Friday that she would run.",
        "(Laughter) Thank you all for coming.",
        "(Updated) The council met.",
        "UPDATE: The council met.",
        "DEAR ABBY: My husband bought tickets.",
        "Note: the council met.",
        "Madrid: The council met.",  # a colon dateline is in capitals
        "MADRID:The council met.",
        "Nov. 19 — The council met.",  # a date dateline without its year
        "March 10, 2015 was a Tuesday.",
        "In 2015 . The end.",
        "new delhi -- thousands stormed a jail.",  # lowercased text keeps only the agency form
        "LONDON-based banks fell.",
        "WASHINGTON/LONDON The talks went on.",
        "BAAR, SWITZERLAND",
        "(CNN)",
        "MADRID — ",
        "",
        "   ",
        "The council met on Monday. It voted.",
    ],
)
def test_not_a_dateline(paragraph):
    assert story(paragraph) is None


def test_offsets_index_the_whole_text_and_stay_in_the_paragraph():
    text = "Title\n\nWASHINGTON (AP) — The bill passed.\nNext paragraph."
    start = text.index("WASHINGTON")
    end = text.index("\nNext")
    assert text[match_dateline(text, start, end) : end] == "The bill passed."
    # The story must follow inside the span: a dateline that fills it, or runs past its end, is not cut.
    assert match_dateline(text, start, text.index(" The bill")) is None
    assert match_dateline(text, start, start + len("WASHINGTON (A")) is None


def test_dateline_is_read_within_its_lookahead():
    padded = "NEW YORK" + " " * DATELINE_LOOKAHEAD + "(AP) — The bill passed."
    assert story(padded) is None
    assert story("  " + "NEW YORK (AP) — The bill passed.") == "The bill passed."


def test_never_edits_the_text():
    text = "LONDON, Nov 19 (Reuters) - Oil prices fell."
    before = str(text)
    match_dateline(text, 0, len(text))
    assert text == before


# --- bylines ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, authors, agency, dated",
    [
        ("By Jane Doe", ("Jane Doe",), None, False),
        ("by Jane Doe", ("Jane Doe",), None, False),
        ("By: Jane Doe", ("Jane Doe",), None, False),
        ("By Jane Doe, Reuters", ("Jane Doe",), "Reuters", False),
        ("By Jane Doe and John Roe", ("Jane Doe", "John Roe"), None, False),
        ("By Jane Doe, John Roe and Ann Poe", ("Jane Doe", "John Roe", "Ann Poe"), None, False),
        ("By JANE DOE", ("JANE DOE",), None, False),
        ("By JANE DOE and JOHN ROE", ("JANE DOE", "JOHN ROE"), None, False),
        ("By Jane Q. Doe Jr.", ("Jane Q. Doe Jr.",), None, False),
        ("By Anna van der Berg", ("Anna van der Berg",), None, False),
        ("By Theresa May", ("Theresa May",), None, False),  # a month that is a name
        ("Jane Doe, CNN", ("Jane Doe",), "CNN", False),
        ("Jane Doe Associated Press", ("Jane Doe",), "Associated Press", False),
        ("Jane Doe and John Roe USA TODAY", ("Jane Doe", "John Roe"), "USA TODAY", False),
        ("Associated Press November 19, 2019, 9:02 AM", (), "Associated Press", True),
        ("Reuters Nov. 18, 2019 11:03 PM", (), "Reuters", True),
        ("The Associated Press", (), "The Associated Press", False),
        ("REUTERS", (), "REUTERS", False),
        ("By Reuters", (), "Reuters", False),
        ("By Jane Doe | Nov. 19, 2019", ("Jane Doe",), None, True),
        ("By Jane Doe - 11/18/19 11:04 PM EST", ("Jane Doe",), None, True),
        ("By Jane Doe Updated Nov 13, 2019, 10:28am EST", ("Jane Doe",), None, True),
        ("By Jane Doe On 11/13/19 at 4:00 PM EST", ("Jane Doe",), None, True),
        ("By Jane Doe, John Roe on Monday, November 18th, 2019 at 11:08 a.m.", ("Jane Doe", "John Roe"), None, True),
        ("By Jane Doe 2019-11-18T20:51:19Z Science & Space", ("Jane Doe",), None, True),
        ("By Jane Doe | Fox News", ("Jane Doe",), "Fox News", False),
        ("By Jane Doe, Hometown.com", ("Jane Doe",), "Hometown.com", False),
        ("By Jane Doe | Valley Advance Media for Valley.com", ("Jane Doe",), "Valley.com", False),
        ("by Plains Research Agency", (), "Plains Research Agency", False),
        ("Jane Doe | Staff writer", ("Jane Doe",), None, False),
        ("Jane Doe, AP Sports Writer", ("Jane Doe",), "AP", False),
        ("Jane Q. Doe Senior Contributor", ("Jane Q. Doe",), None, False),
        ("Jane Doe @janedoe", ("Jane Doe",), None, False),
        ("Jane Doe - Nov 19, 2019, 8:15 pm CST", ("Jane Doe",), None, True),
        ("November 20, 2019 Jane Doe", ("Jane Doe",), None, True),
        ("Written by Jane Doe, MS, RD on November 14, 2019", ("Jane Doe",), None, True),
        ("Posted by Sam", ("Sam",), None, False),
        ("by Sam December 6, 2017", ("Sam",), None, True),
        ("By Jane Doe Jane Doe", ("Jane Doe",), None, False),  # name shown twice (avatar and link)
        ("Von Hans Müller", ("Hans Müller",), None, False),
        ("Von Hans Müller publiziert am 30. Juli 2018", ("Hans Müller",), None, True),
        ("Par Jean Dupont", ("Jean Dupont",), None, False),
        ("Por Ana Souza", ("Ana Souza",), None, False),
        ("05/10/2018 - Publicado por: Ana Souza - Categoria: Saúde - Tags: carros", ("Ana Souza",), None, True),
        ("Текст: Анна Иванова · 24 сентября 2018", ("Анна Иванова",), None, True),
        ("Author: Jane Doe", ("Jane Doe",), None, False),
        ("Source: Reuters", (), "Reuters", False),
        ("Last Updated : Nov 20, 2019 01:41 PM IST | Source: Example.com", (), "Example.com", True),
    ],
)
def test_byline_styles(line, authors, agency, dated):
    byline = match_byline(line)
    assert byline == Byline(authors=authors, agency=agency, dated=dated)
    assert byline.kind == "byline"


@pytest.mark.parametrize(
    "line",
    [
        "Published 11:34 PM EST Nov 19, 2019",
        "Updated: Nov. 19, 2019, 10:02 a.m.",
        "Updated Nov 19, 6:55 AM; Posted Nov 19, 6:51 AM",
        "PUBLISHED: 10:48, Tue, Nov 19, 2019 | UPDATED: 11:05, Tue, Nov 19, 2019",
        "Published Wed, Nov 20 2019 4:29 AM EST Updated an hour ago",
        "Published 22 hours ago",
        "1 day ago",
        "Nov 18, 2019 at 9:24 pm ET • 2 min read",
        "Monday, November 18, 2019, 04:05 pm PT (07:05 pm ET)",
        "November 19, 2019 / 12:21 AM / Updated 14 hours ago",
        "| November 18, 2019 12:26 PM",
        "Nov. November 18, 2019 12:02 PM",
        "18 NOV 2019",
        "18 Nov 2019, 19:09",
        "Nov 20 2019, 11:06am ist",
        "11.14.2019 09:00 AM",
        "2018-08-16",
        "Today 12:01 AM",
        "sexta-feira, 22 de outubro de 2010 às 20:13",
        "Mis à jour le 19 novembre 2019",
        "기사입력 :[ 2018-08-25 15:24 ]",
    ],
)
def test_timestamp_lines(line):
    byline = match_byline(line)
    assert byline == Byline(dated=True)
    assert byline.kind == "timestamp"


@pytest.mark.parametrize(
    "line",
    [
        "By the end of the year, prices rose.",
        "By 2030 the city will have doubled.",
        "By Monday, officials said the road would reopen.",
        "By Christmas Eve, the shops were closed.",
        "By Design",  # a heading: one word after a plain `By`, with nothing else that marks a byline
        "By The Numbers",
        "Written by hand, the letter arrived.",
        "Photo by Jane Doe/Getty Images",
        "Jane Doe/Reuters",
        "© REUTERS / POOL",
        "Source: Regional Defense Ministry, October 25, 2019",
        "Jane Doe",  # a lone name: could be a heading, a caption, a list item
        "Fox News",  # an outlet alone is a logo or a menu item
        "Sign In",
        "Share this story",
        "Hong Kong Protests | Reuters",  # a page title
        "Opening Bell 11.18.19",  # a headline with its date
        "— Jane Doe (@janedoe) November 1, 2019",  # signs a quote or an embedded post
        "Palm Bay 18 22 13 17 — 70",
        "Monday",
        "Publish date:",
        "Author:",
        "Edited by Jane Doe",
        "21:17 18.11.2019 Get short URL",
        "The council met on Monday, Nov. 18, at 9 a.m.",
        "",
        "x" * 300,
    ],
)
def test_not_a_byline(line):
    assert match_byline(line) is None


# --- the author of an editor's note or a bio --------------------------------------------------------------------


@pytest.mark.parametrize(
    "paragraph, author",
    [
        ("Editor's Note: Maria Chen is a professor at a state university.", "Maria Chen"),
        ("Editor's note: Maria Chen is a professor.", "Maria Chen"),
        ("Editor’s note: Maria Chen, a professor, writes about cities.", "Maria Chen"),
        ("Editors' note: Maria Chen teaches history.", "Maria Chen"),
        ("Editor note: Maria Chen covers science.", "Maria Chen"),
        ("EDITOR'S NOTE — Maria Chen writes about cities.", "Maria Chen"),
        ("(Editor's note: Maria Chen (@mchen) is a writer.)", "Maria Chen"),
        ("Editor's note: By Maria Chen, a professor.", "Maria Chen"),
        ("Editor's note: Dr. Maria Chen was a surgeon.", "Dr. Maria Chen"),
        ("Editor's note: Maria Chen and John Roe are economists.", "Maria Chen and John Roe"),
        ("Maria de la Cruz is a civil engineer and writer.", "Maria de la Cruz"),
        ("Abdul Jabbar al Aqidi was commander of a rebel group.", "Abdul Jabbar al Aqidi"),
        ("Sam Ortiz, a former mayor, writes about bridges.", "Sam Ortiz"),
    ],
)
def test_author_from_note(paragraph, author):
    assert author_from_note(paragraph) == author


@pytest.mark.parametrize(
    "paragraph",
    [
        "Editor's Note: CNN Marketplace Africa covers the trends shaping the region.",
        "Editor's Note: Each week, Africa View explores the trends.",
        "Editor's note: In our Behind the Scenes series, correspondents share their experiences.",
        "Editor's note: This story contains graphic descriptions.",
        "Editor's note: The opinions expressed in this commentary are solely those of the author.",
        "The council met on Monday, and it voted.",
        "",
    ],
)
def test_no_author_in_note(paragraph):
    assert author_from_note(paragraph) is None


# --- bounded, linear work ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        '"A " * 5_000_000',
        '"(" * 10_000_000',
        '"MADRID" + " " * 10_000_000 + "— The council met."',
        '"WASHINGTON, " * 1_000_000 + "(AP) — The bill passed."',
        '"Jane Doe and " * 1_000_000',
        '" " * 10_000_000',
        '"By " * 3_000_000',
    ],
    ids=["words", "parens", "spaces-before-dash", "commas", "names", "blank", "by"],
)
def test_pathological_openings_take_linear_time(make):
    # A hang guard, not a timing test: each function reads a bounded window, so 10 MB takes what 100 bytes does.
    code = (
        "from highlights.ingest.dateline import author_from_note, match_byline, match_dateline\n"
        f"text = {make}\n"
        "for _ in range(100):\n"
        "    match_dateline(text, 0, len(text)); match_byline(text); author_from_note(text)\n"
        "print(match_dateline(text, 0, len(text)))\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120, capture_output=True)


# --- on real CNN stories ----------------------------------------------------------------------------------------


@pytest.mark.data
def test_cnn_validation_datelines_are_found():
    """The raw CNN stories open with `(CNN)`, `London (CNN) --` or a date; all but the one opinion bio are cut."""
    path = shared_file(CNNDM / "validation-raw.jsonl.gz")
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        articles = [json.loads(line)["article"] for line in handle]
    cut = 0
    for text in articles:
        end = text.find("\n") if "\n" in text else len(text)
        start = match_dateline(text, 0, end)
        if start is not None:
            cut += 1
            assert 0 < start <= 60 and not text[start].isspace()
    assert cut >= 995
