"""Body text → sentences with character offsets (nupunkt: news abbreviations, initials, decimals, quotes)."""

from __future__ import annotations

import re
from dataclasses import replace

import nupunkt

from highlights.article import Article, Sentence, Span

# A line break ends a sentence unless the line was hard-wrapped mid-sentence (next line goes on in lowercase).
_LINE_BREAK = re.compile(r"\n\s*")
# Without any punctuation, nupunkt returns one huge "sentence"; cap its length so later stages stay linear.
MAX_SENTENCE_CHARS = 2000


def sentence_spans(text: str, span: Span) -> list[Span]:
    """Sentence spans inside `span` of `text`, whitespace trimmed, in order."""
    region = span.of(text)
    out: list[Span] = []
    for start, end in nupunkt.sent_spans(region):
        for piece in _split_lines(region, start, end):
            for part in _cap(region, piece):
                trimmed = _trim(region, part)
                if trimmed is not None:
                    out.append(Span(span.start + trimmed[0], span.start + trimmed[1]))
    return out


def _split_lines(region: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces = []
    pos = start
    for match in _LINE_BREAK.finditer(region, start, end):
        before = region[pos : match.start()].rstrip()
        after = region[match.end() : match.end() + 1]
        wrapped = bool(before) and before[-1] not in ".!?:\"'”’)" and after.islower()
        if not wrapped:
            pieces.append((pos, match.start()))
            pos = match.end()
    pieces.append((pos, end))
    return pieces


def _cap(region: str, piece: tuple[int, int]) -> list[tuple[int, int]]:
    start, end = piece
    if end - start <= MAX_SENTENCE_CHARS:
        return [piece]
    parts = []
    while end - start > MAX_SENTENCE_CHARS:
        cut = region.rfind(" ", start, start + MAX_SENTENCE_CHARS)
        cut = cut if cut > start else start + MAX_SENTENCE_CHARS
        parts.append((start, cut))
        start = cut
    parts.append((start, end))
    return parts


def _trim(region: str, piece: tuple[int, int]) -> tuple[int, int] | None:
    start, end = piece
    while start < end and region[start].isspace():
        start += 1
    while end > start and region[end - 1].isspace():
        end -= 1
    if start == end or not any(ch.isalnum() for ch in region[start:end]):
        return None
    return start, end


def segment(article: Article) -> Article:
    """Return the article with `sentences` filled from its body blocks."""
    sentences: list[Sentence] = []
    paragraph = -1
    previous_end = -1
    for block in article.body:
        # Blocks cut from one line by inline boilerplate stay one paragraph.
        if "\n" in article.text[previous_end:block.start] or previous_end < 0:
            paragraph += 1
        for span in sentence_spans(article.text, block):
            sentences.append(Sentence(len(sentences), span, " ".join(span.of(article.text).split()), paragraph))
        previous_end = block.end
    return replace(article, sentences=sentences)
