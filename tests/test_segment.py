"""Sentences with offsets into the original input."""

from __future__ import annotations

from highlights.article import Span
from highlights.ingest.text import parse_text
from highlights.segment import MAX_SENTENCE_CHARS, segment, sentence_spans


def sentences(text: str) -> list[str]:
    return [s.text for s in segment(parse_text(text)).sentences]


def test_offsets_index_the_original_text():
    text = (
        '  Title line\n\n(CNN)Mr. J.R. Smith paid $3.5 million on Jan. 5.  "It was great," he said.\n'
        "The U.S. Army agreed!\n"
    )
    article = segment(parse_text(text))
    for sentence in article.sentences:
        source = sentence.span.of(text)
        assert " ".join(source.split()) == sentence.text
        assert source == source.strip()


def test_news_abbreviations_initials_decimals_quotes():
    got = sentences(
        'Mr. J.R. Smith paid $3.5 million on Jan. 5 to Dr. Lee. "It was great," he said. The U.S. Army agreed!'
    )
    assert got == [
        "Mr. J.R. Smith paid $3.5 million on Jan. 5 to Dr. Lee.",
        '"It was great," he said.',
        "The U.S. Army agreed!",
    ]


def test_line_breaks_end_sentences_but_hard_wraps_do_not():
    text = (
        "The council met on Monday\nand voted to rebuild the bridge.\nA headline-like line without period\n"
        "The work starts soon."
    )
    got = sentences(text)
    assert got[0] == "The council met on Monday and voted to rebuild the bridge."
    assert "A headline-like line without period" in got
    assert got[-1] == "The work starts soon."


def test_chinese_full_stops_split():
    got = sentences("中国政府周二宣布新的计划。分析人士表示，这将提振信心！该计划包括减税。")
    assert len(got) == 3


def test_no_punctuation_is_capped_into_bounded_pieces():
    text = " ".join(f"word{i}" for i in range(3000))
    spans = sentence_spans(text, Span(0, len(text)))
    assert len(spans) > 1
    assert all(len(s) <= MAX_SENTENCE_CHARS for s in spans)
    assert " ".join(s.of(text) for s in spans) == text


def test_punctuation_only_pieces_are_not_sentences():
    assert sentences("The bridge opened.\n* * *\n...\nThe crowd left.") == ["The bridge opened.", "The crowd left."]


def test_paragraph_numbers_follow_lines():
    article = segment(parse_text("First para one. First para two.\nSecond para.\n\nThird para."))
    assert [s.paragraph for s in article.sentences] == [0, 0, 1, 2]


def test_max_sentences():
    article = segment(parse_text(" ".join(f"Sentence number {i}." for i in range(50))), max_sentences=10)
    assert len(article.sentences) == 10


def test_runs_full_of_sentence_end_marks_never_reach_the_splitter(monkeypatch):
    # nupunkt is quadratic in such a run (each mark scans the rest of it); the run becomes a piece of its own.
    import highlights.segment as segment_module

    seen: list[str] = []
    real = segment_module.nupunkt.sent_spans
    monkeypatch.setattr(segment_module.nupunkt, "sent_spans", lambda text: seen.append(text) or real(text))
    text = "The council met on Tuesday. " + "!?" * 5000 + " It approved the bridge. " + "!" * 3000
    spans = sentence_spans(text, Span(0, len(text)))
    assert all(text.count("!") < 100 for text in seen)
    pieces = [span.of(text) for span in spans]
    assert pieces[0] == "The council met on Tuesday."
    assert "It approved the bridge." in pieces


def test_a_long_url_with_a_few_marks_stays_in_its_sentence():
    url = "https://example.com/" + "a" * 80 + "/story.html?id=12.5&ref=home"
    text = f"Read the report at {url} before the vote. The council met."
    pieces = [span.of(text) for span in sentence_spans(text, Span(0, len(text)))]
    assert pieces == [f"Read the report at {url} before the vote.", "The council met."]
