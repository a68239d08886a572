"""The data that flows through the pipeline: text plus character offsets into it.

`Article.text` is the string every offset indexes into: the input itself for plain or scraped text, the
text trafilatura extracted for HTML. Stages add to an Article (ingest marks regions, segment adds
sentences, whose words every later stage reads from `Article.tokens`); none of them edits `text`, so
`article.text[span.start:span.end]` is always the source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from highlights.tokens import ArticleTokens

Kind = Literal["news", "opinion"]
_WHITESPACE_RUN = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range `[start, end)` of `Article.text`."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"invalid span [{self.start}, {self.end})")

    def __len__(self) -> int:
        return self.end - self.start

    def of(self, text: str) -> str:
        return text[self.start : self.end]


def source_pieces(text: str, span: Span) -> tuple[Span, ...]:
    """The span split at line breaks and runs of whitespace, so that joining the pieces with single spaces
    gives readable text while each piece is still exactly `text[start:end]`."""
    pieces = []
    pos = span.start
    for match in _WHITESPACE_RUN.finditer(text, span.start, span.end):
        if match.group() != " ":
            if match.start() > pos:
                pieces.append(Span(pos, match.start()))
            pos = match.end()
    if pos < span.end:
        pieces.append(Span(pos, span.end))
    return tuple(pieces)


@dataclass(frozen=True, slots=True)
class Removed:
    """A region that ingest kept out of the body, and why (e.g. "video-teaser", "boilerplate")."""

    span: Span
    reason: str


@dataclass(frozen=True, slots=True)
class Sentence:
    """One body sentence. `span` excludes surrounding whitespace and a leading dateline like `(CNN)`."""

    index: int
    span: Span
    text: str
    paragraph: int  # index of the body paragraph it lies in

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass(slots=True)
class Article:
    """An article after ingest: where its title, body and reference highlights are in `text`."""

    text: str
    body: list[Span]  # body paragraphs, in order
    title: str | None = None
    title_span: Span | None = None
    author: str | None = None
    kind: Kind = "news"
    reference_highlights: list[str] = field(default_factory=list)
    reference_spans: list[Span] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)  # filled by `segment`
    source: str | None = None  # where it came from: a path, a URL, "stdin", a dataset row id
    # The token layer of `sentences`, made on first read of `tokens`; `replace()` starts a new one.
    _tokens: ArticleTokens | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def tokens(self) -> ArticleTokens:
        """The words of `sentences` in every form a stage reads (`tokens.ArticleTokens`), made once for them."""
        if self._tokens is None or self._tokens.sentences is not self.sentences:
            self._tokens = ArticleTokens(self.text, self.sentences)
        return self._tokens

    def body_text(self) -> str:
        return "\n".join(span.of(self.text) for span in self.body)


@dataclass(frozen=True, slots=True)
class Fixup:
    """A recorded edit of a compressed bullet: `new` replaces `old` at `position` of the joined spans."""

    position: int
    old: str
    new: str
    reason: str  # "capitalize" (first kept word), "end-punctuation" (the sentence's final mark), "attach-punctuation"


@dataclass(frozen=True, slots=True)
class Deletion:
    """Characters of a chosen sentence that compression cut, and the kind of cut (`compress.CUT_KINDS`)."""

    span: Span
    kind: str


@dataclass(frozen=True, slots=True)
class Highlight:
    """One bullet: article words only, each piece pointing back to its characters in `Summary.text`.

    `text` is the `spans` joined with single spaces (one span per whitespace-separated run of a whole
    sentence), then the `fixups` applied in order (`compress.apply_fixups`); without compression there
    are none and `text` is exactly the joined spans. `deleted` lists what compression cut from the sentence, each
    with the kind of cut (`compress.CUT_KINDS`), so a reader can see what went and why.
    `attribution` is the author name CNN prefixes to opinion bullets; `display` adds it.
    `score` is the method's own score of the sentence, on the method's own scale (`render.SCORE_HELP`); `rank`
    is the sentence's place among the article's sentences by that score, 1 for the best (`render.RANK_HELP`).
    """

    text: str
    spans: tuple[Span, ...]
    score: float
    sentence_index: int
    attribution: str | None = None
    fixups: tuple[Fixup, ...] = ()
    deleted: tuple[Deletion, ...] = ()
    rank: int | None = None  # None only for a Highlight made by hand

    @property
    def display(self) -> str:
        return f"{self.attribution}: {self.text}" if self.attribution else self.text

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass(slots=True)
class Summary:
    """What `summarize()` returns.

    `language` is the body's ISO 639 code ("und" when too short or unsure, see `ingest.language`); `warnings`
    are full sentences about what the pipeline noticed and did differently because of it (a language other than
    English, most of the text not prose), for a reader: every output format shows them.
    """

    highlights: list[Highlight]
    text: str  # the text that every span indexes into
    method: str
    title: str | None = None
    author: str | None = None
    kind: Kind = "news"
    reference_highlights: list[str] = field(default_factory=list)
    source: str | None = None
    removed: list[Removed] = field(default_factory=list)
    sentence_count: int = 0
    language: str = "und"
    warnings: list[str] = field(default_factory=list)

    @property
    def bullets(self) -> list[str]:
        """The bullets as a reader sees them (with attribution when on)."""
        return [h.display for h in self.highlights]
