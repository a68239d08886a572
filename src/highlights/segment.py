"""Body text → sentences with character offsets (nupunkt: news abbreviations, initials, decimals, quotes), and
which of them end like a sentence and so may become bullets (`bullet_candidates`)."""

from __future__ import annotations

import re
from dataclasses import replace

import nupunkt

from highlights.article import Article, Sentence, Span
from highlights.ingest.text import is_hard_wrap

# A line break ends a sentence unless the line was hard-wrapped mid-sentence (next line goes on in lowercase).
_LINE_BREAK = re.compile(r"\n\s*")
# nupunkt knows Latin punctuation; Chinese/Japanese full stops end sentences too.
_CJK_END = re.compile(r"[。！？]+[」』”’）)]*")
# Without any punctuation, nupunkt returns one huge "sentence"; cap its length so later stages stay linear.
MAX_SENTENCE_CHARS = 2000
# nupunkt's time is quadratic in a whitespace-free run full of sentence-end marks (`!!!!…`, `?!?!…`): each mark
# scans the rest of the run. Such a run is never prose, so it is kept away from the splitter as a piece of its
# own. A long run with a few marks (a URL with `?` and dots) costs little and stays in its sentence.
_LONG_RUN = re.compile(r"\S{64,}")
_END_MARKS = ".!?…"
MAX_MARKS_PER_RUN = 16
# How a sentence ends in the scripts news is written in: a mark, then any closing quotes or brackets, also as
# tokenized text writes them (`he said . "`, `-rrb-`).
_SENTENCE_END = re.compile(r"[.!?…。！？।؟](?:\s*(?:['\"”’»)\]」』]|-rrb-|-rsb-))*$", re.IGNORECASE)


def sentence_spans(text: str, span: Span) -> list[Span]:
    """Sentence spans inside `span` of `text`, whitespace trimmed, in order."""
    region = span.of(text)
    out: list[Span] = []
    for start, end in _merge_wraps(region, _splitter_spans(region)):
        for piece in _split_lines(region, start, end):
            for part in (p for cjk in _split_cjk(region, piece) for p in _cap(region, cjk)):
                trimmed = _trim(region, part)
                if trimmed is not None:
                    out.append(Span(span.start + trimmed[0], span.start + trimmed[1]))
    return out


def _splitter_spans(region: str) -> list[tuple[int, int]]:
    """nupunkt's sentence spans of `region`, with every pathological run (see `_LONG_RUN`) a span of its own."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for run in _LONG_RUN.finditer(region):
        if sum(region.count(mark, run.start(), run.end()) for mark in _END_MARKS) <= MAX_MARKS_PER_RUN:
            continue
        spans.extend((pos + a, pos + b) for a, b in nupunkt.sent_spans(region[pos : run.start()]))
        spans.append(run.span())
        pos = run.end()
    spans.extend((pos + a, pos + b) for a, b in nupunkt.sent_spans(region[pos:]))
    return spans


def _merge_wraps(region: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Re-join pieces that nupunkt split at a hard line wrap."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged:
            prev_start = merged[-1][0]
            gap_start = start
            while gap_start > prev_start and region[gap_start - 1].isspace():
                gap_start -= 1
            breaks_at_newline = "\n" in region[gap_start:start]
            if breaks_at_newline and is_hard_wrap(region, start, start, floor=prev_start):
                merged[-1] = (prev_start, end)
                continue
        merged.append((start, end))
    return merged


def _split_lines(region: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces = []
    pos = start
    for match in _LINE_BREAK.finditer(region, start, end):
        if not is_hard_wrap(region, match.start(), match.end(), floor=pos):
            pieces.append((pos, match.start()))
            pos = match.end()
    pieces.append((pos, end))
    return pieces


def _split_cjk(region: str, piece: tuple[int, int]) -> list[tuple[int, int]]:
    start, end = piece
    cuts = [m.end() for m in _CJK_END.finditer(region, start, end) if m.end() < end]
    bounds = [start, *cuts, end]
    return list(zip(bounds, bounds[1:]))


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


def segment(article: Article, max_sentences: int | None = None) -> Article:
    """Return the article with `sentences` filled from its body blocks (the first `max_sentences` of them).

    Their words, in every form the later stages read, are the new article's `tokens`: made once for these
    sentences, each form on first use."""
    sentences: list[Sentence] = []
    paragraph = -1
    previous_end = -1
    for block in article.body:
        # Blocks cut from one line by inline boilerplate stay one paragraph.
        if "\n" in article.text[previous_end : block.start] or previous_end < 0:
            paragraph += 1
        for span in sentence_spans(article.text, block):
            sentences.append(Sentence(len(sentences), span, " ".join(span.of(article.text).split()), paragraph))
        previous_end = block.end
        if max_sentences is not None and len(sentences) >= max_sentences:
            del sentences[max_sentences:]
            break
    return replace(article, sentences=sentences)


def bullet_candidates(sentences: list[Sentence]) -> list[bool]:
    """Which sentences may become bullets: those that end like a sentence. What does not (a subheading, a
    caption, a photo credit, a menu entry or related headline the page cleaner let through, a lead-in to a list
    ending in ":") is not a statement of the story; when no sentence ends like one, every sentence may."""
    ends = [bool(_SENTENCE_END.search(sentence.text)) for sentence in sentences]
    return ends if any(ends) else [True] * len(sentences)
