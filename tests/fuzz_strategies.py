"""Fuzz inputs and the invariants every `summarize()` result must hold (issue #19).

One grammar per kind of input (arbitrary text, bytes, news-like text, HTML, re-encoded bytes, pathological
repetitions), written once against a small `Draw` interface so that two drivers can run it:

- `RandomDraw`: a seeded `random.Random`, cheap enough for the million-input campaign (`benchmarks/fuzz.py`);
- `HypothesisDraw`: hypothesis' `draw`, so the property tests (`tests/test_fuzz_properties.py`) shrink a
  failure to a small input. Options are listed simplest first because hypothesis shrinks towards the first.

`run_case` runs one `FuzzCase` and checks the invariants: only `HighlightsError` escapes, everything the
result renders encodes as UTF-8 (strict JSON too), and every bullet's spans lie inside `Summary.text`, in
order, without overlap, and rebuild the bullet with its fix-ups. A broken invariant raises `Violation`.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Protocol, TypeVar

from highlights import Budget, HighlightsError, Summary, ingest, render, summarize, to_dict
from highlights.article import Article, Span
from highlights.compress import apply_fixups
from highlights.segment import segment

try:  # the campaign script runs without hypothesis (it is a dev dependency)
    from hypothesis import HealthCheck, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - the test suite always has it
    settings = None  # type: ignore[assignment,misc]

T = TypeVar("T")

METHODS = ("lead", "centrality", "learned")
FORMATS = ("text", "json", "markdown")

# --- Time bound ------------------------------------------------------------------------------------------
# Linear code summarizes about 3 MB/s here (learned, 1 MB of prose in 0.32 s); the allowance is a fixed
# start-up share plus 5 µs a character, ~15x that rate, so a loaded 2-core CI machine does not flake while
# quadratic work on a few hundred kilobytes (`"!" * 200_000` took 32 s) still overruns it.
BASE_SECONDS = 5.0
SECONDS_PER_CHAR = 5e-6


def time_allowed(chars: int) -> float:
    return BASE_SECONDS + SECONDS_PER_CHAR * chars


# --- Drivers ---------------------------------------------------------------------------------------------


class Draw(Protocol):
    def integer(self, low: int, high: int) -> int: ...
    def choice(self, options: Sequence[T]) -> T: ...
    def chance(self, probability: float) -> bool: ...
    def text(self, max_size: int) -> str: ...
    def binary(self, max_size: int) -> bytes: ...


# Characters that have broken text pipelines, by kind, so that each kind comes up often: lone surrogates,
# bidi marks and zero-width joiners, unusual whitespace and line breaks, BOM and non-characters, combining
# marks and case changes that change the length, CJK and full-width stops, quotes and dashes, astral planes.
ODD_GROUPS = (
    ("\ud800", "\udc80", "\udfff", "\udbff"),
    ("\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202e", "\u2066", "\u00ad"),
    ("\x85", "\xa0", "\u2028", "\u2029", "\t", "\r", "\x0b", "\x0c", "\u3000"),
    ("\ufeff", "\ufffd", "\ufffe", "\uffff"),
    ("\u0301", "\u0345", "\u01c5", "\u0130", "\ufb01", "\u00df"),
    ("\u3002", "\uff01", "\uff1f", "\u300c", "\u300d", "\u2026"),
    ("\u2013", "\u2014", "\u201c", "\u201d", "\u2018", "\u2019", "\u00ab", "\u00bb", "\u00bf", "\u00a1"),
    ("\U00010000", "\U0010ffff", "\U0001f600", "\U000e0001"),
)
ODD_CHARS = tuple(ch for group in ODD_GROUPS for ch in group)
# Kept apart from ODD_CHARS: a few in a hundred characters make ingest refuse the text as binary, which is
# right but ends the test there, so they come in rarely (arbitrary text, random code points, bytes).
CONTROL_CHARS = ("\x00", "\x01", "\x07", "\x08", "\x1b", "\x7f")
_PRINTABLE = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 .,;:!?'\"()-\n"


class RandomDraw:
    """`Draw` over a seeded `random.Random`."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def integer(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    def choice(self, options: Sequence[T]) -> T:
        return self.rng.choice(options)

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def text(self, max_size: int) -> str:
        rng = self.rng
        out = []
        for _ in range(rng.randint(0, max_size)):
            roll = rng.random()
            if roll < 0.6:
                out.append(rng.choice(_PRINTABLE))
            elif roll < 0.8:
                out.append(rng.choice(rng.choice(ODD_GROUPS)))
            else:
                out.append(chr(rng.randrange(0x110000)))  # any code point, surrogates included
        return "".join(out)

    def binary(self, max_size: int) -> bytes:
        return self.rng.randbytes(self.rng.randint(0, max_size))


class HypothesisDraw:
    """`Draw` over hypothesis' `draw`, so that failures shrink."""

    def __init__(self, draw: Callable[[Any], Any]) -> None:
        self.draw = draw

    def integer(self, low: int, high: int) -> int:
        return self.draw(st.integers(low, high))

    def choice(self, options: Sequence[T]) -> T:
        return self.draw(st.sampled_from(options))

    def chance(self, probability: float) -> bool:
        # Shrinks towards 0, i.e. towards False: a minimal example leaves optional parts out.
        return self.draw(st.integers(0, 999)) >= 1000 - probability * 1000

    def text(self, max_size: int) -> str:
        chars = st.one_of(st.sampled_from(_PRINTABLE), st.sampled_from(ODD_CHARS), st.characters(exclude_categories=()))
        return self.draw(st.text(chars, max_size=max_size))

    def binary(self, max_size: int) -> bytes:
        return self.draw(st.binary(max_size=max_size))


# --- Grammars --------------------------------------------------------------------------------------------

WORDS = tuple(
    "the a of to in and said police officials on Monday city government report people were was has have will "
    "would year after new last two percent told more than state president minister attack storm water bridge "
    "it is not for with at by from that this they he she we but or as be been which who when where".split()
)
NAMES = (
    "Smith",
    "O'Neill",
    "María López",
    "José",
    "Nguyễn Văn An",
    "Müller",
    "Zhang Wei",
    "al-Assad",
    "J.R.R. Tolkien",
)
ABBREVIATIONS = (
    "Mr.",
    "Mrs.",
    "Dr.",
    "U.S.",
    "U.N.",
    "Jan.",
    "Sen.",
    "Gov.",
    "St.",
    "a.m.",
    "No.",
    "etc.",
    "vs.",
    "Inc.",
    "e.g.",
    "i.e.",
    "Ph.D.",
    "D.C.",
)
NUMBERS = ("3.5", "1,000", "$2.4 billion", "42%", "10:30", "1990s", "2nd", "-7", "1e9", "0.000001", "½", "٣")
FOREIGN = (
    "مرحبا بالعالم",
    "שלום",
    "北京市政府今天宣布",
    "東京。大阪。",
    "Привет мир",
    "नमस्ते",
    "ありがとう",
    "한국어",
    "ภาษาไทย",
    "Ελληνικά",
    "Tiếng Việt",
    "ʻōlelo",
    "ﷺ",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
)
EMOJI = ("😀", "👍🏽", "🇺🇸", "👨‍👩‍👧", "❤️", "🏳️‍🌈", "#️⃣")
ENDINGS = (".", ".", "!", "?", "", "...", '."', ".'", "?!", "。", ".)", ".\u201d", "!!!", ":", ";", " .")
DATELINES = (
    "WASHINGTON (CNN) -- ",
    "(CNN)",
    "(CNN) ",
    "LONDON, England (Reuters) — ",
    "PARIS (AP) - ",
    "BEIJING, China (CNN)  --",
)
BOILERPLATE = (
    "Advertisement",
    "Read More",
    "Share this article",
    "Click here to subscribe",
    "Follow us on Twitter",
    "© 2024 Cable News Network",
    "Related: Storm hits coast",
    "Photos: The flood",
    "JUST WATCHED",
    "Video: what happened",
    "Sign up for our newsletter",
    "Story highlights",
    "Comments (12)",
)
SEPARATORS = ("\n\n", "\n", " ", "\r\n", "\r\n\r\n", " \n", "\n\t", "\u2028", "\x0c", "\x85", "\n \n", "\n\n\n\n")
BOMS = (b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")
ENCODINGS = (
    "utf-8",
    "utf-8-sig",
    "utf-16",
    "utf-16-le",
    "utf-16-be",
    "utf-32",
    "latin-1",
    "cp1252",
    "shift_jis",
    "gb18030",
    "koi8-r",
    "iso-8859-7",
)
# UTF-8 sequences a decoder must refuse: stray continuation, overlong NUL, a surrogate, past U+10FFFF, cut-off.
INVALID_UTF8 = (b"\x80", b"\xc0\x80", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xe2\x82", b"\xff", b"\xfe")


def count(d: Draw, high: int) -> int:
    """0..high, log-uniform: mostly small (cheap inputs), now and then near `high`."""
    return d.integer(0, min(high, 2 ** d.integer(0, high.bit_length())))


def odd_char(d: Draw) -> str:
    return d.choice(d.choice(ODD_GROUPS))


def word(d: Draw) -> str:
    pools = (WORDS,) * 12 + (NAMES, ABBREVIATIONS, NUMBERS, FOREIGN, EMOJI, ODD_CHARS, ())
    pool = d.choice(pools)
    if pool is ODD_CHARS:  # inside a word, where a tokenizer meets it
        return d.choice(WORDS) + odd_char(d) + d.choice(WORDS)
    return d.choice(pool) if pool else d.text(6)


def sentence(d: Draw) -> str:
    words = [word(d) for _ in range(1 + count(d, 30))]
    if d.chance(0.8):
        words[0] = words[0][:1].upper() + words[0][1:]
    if d.chance(0.1):
        words.insert(d.integer(0, len(words)), d.choice(("(", "--", "—", "[", "\u201c", '"', "'")))
    text = " ".join(words) + d.choice(ENDINGS)
    if d.chance(0.1):
        text = f'"{text}" {d.choice(NAMES)} said.'
    return text


def paragraph(d: Draw) -> str:
    sentences = [sentence(d) for _ in range(1 + count(d, 5))]
    # A hard-wrapped paragraph breaks lines mid-sentence, as in e-mail and old wire copy.
    return d.choice((" ", " ", "\n", "  ")).join(sentences)


def short_lines(d: Draw, count: int) -> str:
    return "\n".join(" ".join(d.choice(WORDS) for _ in range(d.integer(1, 3))) for _ in range(count))


def news_text(d: Draw, scale: int = 1) -> str:
    """Text shaped like a scraped news page: title, byline, highlights block, dateline, body, furniture."""
    blocks = []
    if d.chance(0.5):
        blocks.append(" ".join(w.capitalize() for w in (d.choice(WORDS) for _ in range(d.integer(1, 12)))))
    if d.chance(0.3):
        by = d.choice(("By ", "By ", ""))
        blocks.append(by + d.choice(NAMES) + d.choice((", CNN", "", " and Smith", ", Reuters")))
    if d.chance(0.2):
        blocks.append("Updated 10:31 AM ET, Mon March 3, 2015")
    if d.chance(0.25):
        bullet = d.choice(("", "• ", "- ", "* "))
        blocks.append("Story highlights\n" + "\n".join(bullet + sentence(d) for _ in range(d.integer(0, 4))))
    if d.chance(0.1):
        blocks.append("The opinions expressed in this commentary are solely those of the author.")
    for k in range(max(count(d, 8), 3 if scale > 1 else 0)):
        kind = d.choice(("paragraph",) * 8 + ("boilerplate", "short lines", "run", "list"))
        if kind == "paragraph":
            blocks.append((d.choice(DATELINES) if k == 0 and d.chance(0.4) else "") + paragraph(d))
        elif kind == "boilerplate":
            blocks.append(d.choice(BOILERPLATE))
        elif kind == "short lines":
            blocks.append(short_lines(d, 1 + count(d, 60)))
        elif kind == "run":
            blocks.append(d.choice(("!", ".", "-", "=", "*", "?", "…", "。")) * (1 + count(d, 300)))
        else:
            blocks.append("\n".join(d.choice(("• ", "- ", "1. ", "")) + sentence(d) for _ in range(d.integer(1, 6))))
    if scale > 1:  # a large input repeats its body: what matters for time is the size, and drawing is slow
        blocks *= 4 * scale
    return d.choice(SEPARATORS).join(blocks) if d.chance(0.8) else "".join(b + d.choice(SEPARATORS) for b in blocks)


HTML_TAGS = (
    "p",
    "div",
    "span",
    "article",
    "section",
    "main",
    "a",
    "b",
    "i",
    "h1",
    "h2",
    "ul",
    "li",
    "br",
    "img",
    "script",
    "style",
    "template",
    "svg",
    "math",
    "noscript",
    "iframe",
    "table",
    "tr",
    "td",
    "figure",
    "figcaption",
    "nav",
    "header",
    "footer",
    "aside",
    "time",
    "meta",
    "title",
    "textarea",
    "select",
    "option",
    "foreignObject",
    "object",
    "html",
    "body",
    "head",
    "frameset",
    "plaintext",
    "xmp",
)
HTML_ATTRIBUTES = (
    "",
    ' class="story-body"',
    ' id="main"',
    ' itemprop="articleBody"',
    ' href="http://127.0.0.1/x"',
    ' style="display:none"',
    " class='a\"b",
    ' datetime="2024-01-01"',
    " hidden",
    ' lang="ar" dir="rtl"',
    ' property="og:title" content="A title"',
    ' name="author" content="Jane Doe"',
    " x=<y>",
    ' a="&#0;"',
)
HTML_ODDITIES = (
    "&amp;",
    "&lt;",
    "&nbsp;",
    "&#0;",
    "&#x110000;",
    "&#xD800;",
    "&#99999999;",
    "&bogus;",
    "&",
    "<",
    "<!-- comment -->",
    "<!--",
    "-->",
    "<![CDATA[x]]>",
    "<?php echo 1 ?>",
    "<!doctype html>",
    "</",
    "<script",
    "<p",
    "</div",
    "<html>",
    "<body",
    "<!>",
    "<svg><article><script<html><p>",
    "<a href=",
)


def html_nodes(d: Draw, depth: int) -> str:
    out = []
    for _ in range(d.integer(0, 5)):
        kind = d.choice(("text", "text", "element", "element", "oddity"))
        if kind == "text":
            out.append(d.choice((sentence, paragraph, word))(d))
        elif kind == "oddity" or depth <= 0:
            out.append(d.choice(HTML_ODDITIES))
        else:
            tag = d.choice(HTML_TAGS)
            closing = d.choice((f"</{tag}>", f"</{tag}>", "", f"</{d.choice(HTML_TAGS)}>"))
            out.append(f"<{tag}{d.choice(HTML_ATTRIBUTES)}>{html_nodes(d, depth - 1)}{closing}")
    return "".join(out)


def html_document(d: Draw, scale: int = 1) -> str:
    body = "".join(html_nodes(d, d.integer(0, 6)) for _ in range(scale))
    if d.chance(0.3):
        depth = d.integer(1, 300 * scale)
        body += "<div>" * depth + paragraph(d) + "</div>" * d.integer(0, depth)
    head = ""
    if d.chance(0.5):
        head = f'<head><title>{sentence(d)}</title><meta name="author" content="{d.choice(NAMES)}"></head>'
    document = f"{d.choice(('', '<!doctype html>', '<!DOCTYPE html PUBLIC>'))}<html>{head}<body>{body}</body></html>"
    return document if d.chance(0.7) else document[: d.integer(0, len(document))]


def arbitrary_text(d: Draw, scale: int = 1) -> str:
    pieces = []
    for _ in range((1 + count(d, 12)) * scale):
        kind = d.choice(("text", "text", "odd", "word", "sentence", "separator", "control"))
        if kind == "text":
            pieces.append(d.text(40))
        elif kind == "odd":
            pieces.append(odd_char(d))
        elif kind == "word":
            pieces.append(word(d))
        elif kind == "sentence":
            pieces.append(sentence(d))
        elif kind == "control":
            pieces.append(d.choice(CONTROL_CHARS))
        else:
            pieces.append(d.choice(SEPARATORS))
    return "".join(pieces)


def raw_bytes(d: Draw, scale: int = 1) -> bytes:
    return d.choice(BOMS) + d.binary(200 * scale)


def encoded_bytes(d: Draw, scale: int = 1) -> bytes:
    """News text or HTML in some encoding, maybe behind a (wrong) BOM, maybe damaged."""
    text = (news_text if d.chance(0.85) else html_document)(d, scale)
    encoding = d.choice(ENCODINGS)
    errors = d.choice(("replace", "surrogatepass", "backslashreplace"))
    # surrogatepass writes a lone surrogate as the (invalid) bytes the UTF codecs would give it
    data = text.encode(encoding, errors=errors if encoding.startswith("utf") else "replace")
    if d.chance(0.3):
        data = d.choice(BOMS) + data
    for _ in range(d.integer(0, 3)):
        position = d.integer(0, len(data))
        data = data[:position] + d.choice(INVALID_UTF8) + data[position:]
    if d.chance(0.2):
        data = data[: d.integer(0, len(data))]
    return data


# Repeated units that made earlier splitters and parsers super-linear: runs of one punctuation mark, many
# short lines, nested markup, abbreviations, open quotes and brackets.
PATHOLOGICAL_UNITS = (
    "!",
    ".",
    "a\n",
    "word word\n",
    "?!",
    "a ",
    "\n",
    ". ",
    "Mr. ",
    "U.S. ",
    "\u201c",
    "(",
    "<div>",
    "<p>a",
    "&amp;",
    "<!--",
    "--",
    "\u200f",
    "x.",
    "1.",
    "...",
    "<",
    "a\r\n",
    "\t",
    "a" * 50,
    "。",
)


MAX_PATHOLOGICAL_CHARS = 5_000


def pathological(d: Draw, scale: int = 1) -> str:
    unit = d.choice(PATHOLOGICAL_UNITS) if d.chance(0.8) else d.text(6)
    # Mostly short; a scaled-up one is a quarter to all of `scale` times the longest short one.
    size = (
        count(d, MAX_PATHOLOGICAL_CHARS)
        if scale == 1
        else d.integer(MAX_PATHOLOGICAL_CHARS * scale // 4, MAX_PATHOLOGICAL_CHARS * scale)
    )
    text = (unit * (size // max(len(unit), 1) + 1))[: max(size, 1)]
    return (sentence(d) + " " + text) if d.chance(0.3) else text


Grammar = Callable[..., "str | bytes"]
GRAMMARS: dict[str, Grammar] = {
    "text": arbitrary_text,
    "bytes": raw_bytes,
    "news": news_text,
    "html": html_document,
    "encoded": encoded_bytes,
    "pathological": pathological,
}


# --- Cases and invariants --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FuzzCase:
    """One input and how to run it: `stage` "summarize" (end to end) or "segment" (ingest + segment only)."""

    content: str | bytes
    method: str = "learned"
    compress: bool = True
    format: str = "auto"
    bullets: int | None = None
    length: str = "story"
    max_words_per_bullet: int | None = 60
    max_words: int | None = None
    redundancy: float | None = None
    attribute: bool = True
    stage: str = "summarize"

    def options(self) -> dict[str, Any]:
        fields = asdict(self)
        del fields["content"], fields["stage"]
        return fields

    def to_json(self) -> dict[str, Any]:
        """JSON-safe: text keeps lone surrogates as \\udXXX escapes, bytes go as latin-1 (one char a byte)."""
        fields = asdict(self)
        is_bytes = isinstance(self.content, bytes)
        fields["content"] = self.content.decode("latin-1") if is_bytes else self.content
        fields["content_type"] = "bytes" if is_bytes else "str"
        return fields

    @classmethod
    def from_json(cls, fields: dict[str, Any]) -> FuzzCase:
        fields = dict(fields)
        if fields.pop("content_type", "str") == "bytes":
            fields["content"] = fields["content"].encode("latin-1")
        return cls(**fields)


def draw_case(d: Draw, grammar: str, scale: int = 1, stage: str = "summarize") -> FuzzCase:
    """An input from `grammar` and a random configuration: every method, compression on/off, budgets."""
    content = GRAMMARS[grammar](d, scale)
    return FuzzCase(
        content=content,
        method=d.choice(METHODS),
        compress=d.chance(0.5),
        format=d.choice(("auto", "auto", "auto", "text", "html")),
        bullets=d.integer(1, 6) if d.chance(0.3) else None,
        length=d.choice(("story", "story", "cnn")),
        max_words_per_bullet=d.choice((60, None, 1, 5, 13, 25, 100)),
        max_words=d.integer(1, 120) if d.chance(0.2) else None,
        redundancy=d.choice((None, 1.0, 0.6, 0.3, 0.01)),
        attribute=d.chance(0.8),
        stage=stage,
    )


class Violation(AssertionError):
    """A result that breaks an invariant. `kind` names which one; the campaign groups failures by it."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind


def run_case(case: FuzzCase) -> str:
    """Run and check one case: "ok", or the name of the `HighlightsError` it was refused with.

    Any other exception propagates (a crash); a result that breaks an invariant raises `Violation`.
    """
    try:
        if case.stage == "segment":
            result: Summary | Article = segment(ingest(case.content, format=case.format))
        else:
            result = summarize(case.content, **case.options())
    except HighlightsError as error:
        return type(error).__name__
    if isinstance(result, Summary):
        check_summary(result)
        check_budget(result, case)
    else:
        check_article(result)
    return "ok"


def timed_run(case: FuzzCase) -> tuple[str, float]:
    """`run_case` plus the time bound: a `Violation("slow")` past `time_allowed` for the input's size.

    The time is the process's CPU time: on a shared machine, wall time also counts the other processes'
    turns (a 3 ms input measured 0.5 s of wall time there), and the pipeline never waits on anything.
    """
    start = time.process_time()
    outcome = run_case(case)
    seconds = time.process_time() - start
    if seconds > time_allowed(len(case.content)):
        raise Violation("slow", f"{seconds:.1f} s for {len(case.content):,} characters ({case.stage}, {case.method})")
    return outcome, seconds


def check_summary(summary: Summary) -> None:
    """Every invariant of a `Summary` the issue lists; raises `Violation` on the first that fails."""
    try:
        # NaN/inf make JSON that browsers and most parsers refuse, hence allow_nan=False
        json.dumps(to_dict(summary), ensure_ascii=False, allow_nan=False).encode("utf-8")
    except UnicodeEncodeError as error:
        raise Violation("not-utf8", f"to_dict as JSON: {error}") from None
    except ValueError as error:
        raise Violation("non-finite-json", str(error)) from None
    for fmt in FORMATS:
        _expect_utf8(f"render(fmt={fmt!r})", render(summary, fmt))
    for k, highlight in enumerate(summary.highlights):
        _expect_utf8(f"bullet {k}", highlight.display)
        if not highlight.spans or not highlight.text.strip():
            raise Violation("empty-bullet", f"bullet {k} is {highlight.text!r} with spans {highlight.spans}")
        _check_spans(summary.text, highlight.spans, f"bullet {k}")
        joined = " ".join(span.of(summary.text) for span in highlight.spans)
        try:
            rebuilt = apply_fixups(joined, highlight.fixups)
        except ValueError as error:
            raise Violation("fixup-mismatch", f"bullet {k}: {error}") from None
        if rebuilt != highlight.text:
            raise Violation("spans-mismatch", f"bullet {k}: spans give {rebuilt!r}, bullet is {highlight.text!r}")
    every_span = sorted((span for h in summary.highlights for span in h.spans), key=lambda s: (s.start, s.end))
    _check_spans(summary.text, every_span, "all bullets")


def check_budget(summary: Summary, case: FuzzCase) -> None:
    """No bullet over the per-bullet limit unless the summary says none could be fitted into it (a sentence is
    never cut to a prefix: `compress/fit.py`)."""
    limit = Budget(length=case.length, max_words_per_bullet=case.max_words_per_bullet).max_words_per_bullet
    said = any("fits in" in warning for warning in summary.warnings)
    for k, highlight in enumerate(summary.highlights):
        if limit is not None and highlight.words > limit and not said:
            raise Violation("over-budget", f"bullet {k} has {highlight.words} words, the limit is {limit}, no warning")


def check_article(article: Article) -> None:
    """Ingest + segment alone: text encodes, sentences lie in order inside the text and match it."""
    _expect_utf8("Article.text", article.text)
    _check_spans(article.text, article.body, "body paragraphs")
    _check_spans(article.text, [s.span for s in article.sentences], "sentences")
    for sentence in article.sentences:
        if sentence.text != " ".join(sentence.span.of(article.text).split()):
            raise Violation("sentence-text", f"sentence {sentence.index} text {sentence.text!r} is not its span")


def _check_spans(text: str, spans: Sequence[Span], where: str) -> None:
    previous_end = 0
    for span in spans:
        if not 0 <= span.start <= span.end <= len(text):
            raise Violation("span-outside-text", f"{where}: {span} outside a text of {len(text)} characters")
        if span.start < previous_end:
            raise Violation("span-order", f"{where}: {span} starts before the previous span ends ({previous_end})")
        previous_end = span.end


def _expect_utf8(what: str, text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise Violation("not-utf8", f"{what}: {error}") from None


# --- Hypothesis ------------------------------------------------------------------------------------------

if settings is not None:
    # "ci": few examples, the same ones every run (derandomize), no example database to carry between runs;
    # the time bound is `timed_run`'s own, since hypothesis' deadline would count its own generation time.
    # "fuzz": many fresh examples, for a local run:
    #     HIGHLIGHTS_FUZZ_PROFILE=highlights-fuzz pytest tests/test_fuzz_properties.py
    # Tests take these settings as a decorator, so loading them changes no other test module.
    _COMMON: dict[str, Any] = {
        "deadline": None,
        "database": None,
        "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    }
    settings.register_profile("highlights-ci", max_examples=80, derandomize=True, print_blob=True, **_COMMON)
    settings.register_profile("highlights-fuzz", max_examples=5_000, derandomize=False, **_COMMON)
    FUZZ_SETTINGS = settings.get_profile(os.environ.get("HIGHLIGHTS_FUZZ_PROFILE", "highlights-ci"))

    def cases(grammar: str | None = None, scale: int = 1, stage: str = "summarize") -> st.SearchStrategy[FuzzCase]:
        """Hypothesis strategy of `FuzzCase`s from one grammar (or any, when `grammar` is None)."""

        @st.composite
        def strategy(draw: Callable[[Any], Any]) -> FuzzCase:
            d = HypothesisDraw(draw)
            return draw_case(d, grammar or d.choice(tuple(GRAMMARS)), scale, stage)

        return strategy()
