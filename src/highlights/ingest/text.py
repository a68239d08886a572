"""Plain or scraped news text → Article: where the title, body and the page's own highlights are.

Nothing here edits the text. Each rule marks a region (kept out of the body, with a reason) so that every
offset downstream still indexes the input. The rules describe how news pages are built, not one page:

- title: a short first line, with no closing period, followed by more text;
- video teaser: a line ending in a running time (`Aleppo evacuations suspended 02:56`), and the line before
  it when that is the same title without the time;
- a `Story highlights` header and the bullet lines under it: the page's own reference highlights;
- opinion disclaimer (`The opinions expressed in this article belong to the author.`): marks the piece as
  opinion; a bio paragraph holding it, or an `Editor's note:` paragraph, is kept out and names the author;
- social/navigation boilerplate: short lines like `Follow CNN Opinion`, `Join us on Twitter and Facebook`,
  and inline `Follow @X on Twitter …`, `READ MORE: …` sentences;
- page furniture: on text that is a whole page (a browser copy, a crawler's dump), the learned line model of
  `furniture.py` keeps out menus, account and cookie lines, bylines, timestamps, captions, share and related
  lines, footers; the page's title is then its printed headline or its document title without the site name
  (`title.py`), and a byline above the story names the author;
- dateline: `(CNN)`, `London (CNN) --`, `MADRID —`, `WASHINGTON (AP) —`, `LONDON, Nov 19 (Reuters) -` at the
  start of the body is kept out of the first sentence (`dateline.py`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from highlights.article import Article, Removed, Span
from highlights.ingest.dateline import author_from_note, match_byline, match_dateline
from highlights.ingest.furniture import (
    MAX_PAGE_LINES,
    MIN_PAGE_LINES,
    MODEL_DIR,
    Line,
    furniture_reason,
    judge_page,
)
from highlights.ingest.title import page_title, shared_share

BULLET_CHARS = "•·●▪◦‣∙*-–—"
SENTENCE_CLOSERS = ".!?:\"'”’)"

# Matched against stripped lines only: the time is at the very end, so the title is what precedes it. Anchoring
# at the end (search for the time, then check the length before it) keeps this linear in the line's length.
_RUNNING_TIME = re.compile(r"(?<!\S)(?:\d{1,2}:)?\d{1,2}:\d{2}$")
_HIGHLIGHTS_HEADER = re.compile(r"^\s*(?:story\s+)?highlights\s*:?\s*$", re.IGNORECASE)
# Patterns used with match(text, pos) are anchored by match() itself: `^` would not match at pos.
# Lines are stripped, so the bullet text runs to the line's end; a lazy `.*?` before `\s*$` would be quadratic in
# a line with long runs of spaces.
_BULLET = re.compile(rf"\s*[{re.escape(BULLET_CHARS)}]\s*(?P<text>\S(?:.*\S)?)")
OPINION_DISCLAIMER = re.compile(
    r"(?:The\s+)?(?:views|opinions)\s+expressed\s+in\s+this\s+(?:commentary|article|column|essay|piece|op-ed)"
    r"\s+(?:are|belong|is)\b[^.!?\n]{0,120}[.!?]?",
    re.IGNORECASE,
)
_EDITORS_NOTE = re.compile(r"^\s*Editor'?s?[’']?s?\s+note\s*:", re.IGNORECASE)
# Short lines that are page furniture, not article text.
_BOILERPLATE_LINE = re.compile(
    r"^\s*(?:follow\b|join\s+us\b|like\s+us\b|share\s+(?:this|on)\b|read\s+more\b|related\s*:|more\s+from\b"
    r"|click\s+here\b|sign\s+up\b|subscribe\b|watch\s*:|video\s*:|photos?\s*:|get\s+(?:our|the)\s+newsletter"
    r"|advertisement\b|ad\s+feedback\b|story\s+continues\b)",
    re.IGNORECASE,
)
_SOCIAL = re.compile(r"twitter|facebook|instagram|newsletter|@\w|cnn\s+opinion|\bapp\b", re.IGNORECASE)
# Boilerplate inside running text (flattened pages): from the marker to the end of its sentence.
# Capitalised markers (`READ MORE:`) are recognised anywhere, even glued to the previous word.
_INLINE_BOILERPLATE = re.compile(
    r"(?:(?:^|(?<=[.!?\"”’\s]))(?:Follow\s+(?:@\w+|us\b|[^.!?\n]{0,60}?\bon\s+(?:Twitter|Facebook|Instagram|Meerkat))"
    r"|Join\s+us\s+on\s+(?:Twitter|Facebook))"
    r"|(?<![A-Z])(?:READ\s+MORE|READ|WATCH|RELATED)\s*:)"
    r"[^.!?\n]*[.!?]?"
)
# A line inside the story worth asking `match_byline` about starts like a byline or a timestamp (the precise rule
# costs ~0.1 ms a line: it is not run on every line of the story).
_BYLINE_OR_STAMP_START = re.compile(r"(?:by|von|par|por|door|published|updated|posted)\b", re.IGNORECASE)
_NAME_PARTICLES = r"(?:al|el|bin|ibn|de|del|der|van|von|la|le|da|du|di|dos|abu|st\.?)"
_ATTRIBUTED_BULLET = re.compile(r"^(?P<name>[A-Z][\w.'’-]+(?:\s+(?:[A-Z][\w.'’-]+|" + _NAME_PARTICLES + r")){1,5}):\s")


@dataclass(frozen=True, slots=True)
class _Line:
    span: Span
    text: str  # stripped

    @property
    def blank(self) -> bool:
        return not self.text


def _lines(text: str) -> list[_Line]:
    lines = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        lead = len(body) - len(body.lstrip())
        stripped = body.strip()
        start = pos + lead
        lines.append(_Line(Span(start, start + len(stripped)), stripped))
        pos += len(raw)
    return lines


def is_hard_wrap(text: str, before_end: int, after_start: int, floor: int = 0) -> bool:
    """A line break inside a sentence: the text before `before_end` (back to `floor`) does not close a
    sentence, and the text from `after_start` goes on in lowercase.

    Only the characters next to the break are read, never the line or paragraph before it, so checking every
    line of a long paragraph stays linear in its length.
    """
    last = before_end - 1
    while last >= floor and text[last].isspace():
        last -= 1
    if last < floor or text[last] in SENTENCE_CLOSERS:
        return False
    first = after_start
    while first < len(text) and text[first].isspace():
        first += 1
    return first < len(text) and text[first].islower()


def _same_title(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _teaser_title(line: str) -> str | None:
    """The title of a video teaser line (`Aleppo evacuations suspended 02:56`), or None if it is not one."""
    match = _RUNNING_TIME.search(line)
    if match is None:
        return None
    title = line[: match.start()].rstrip()
    return title if 2 <= len(title) <= 200 else None


def _looks_like_title(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= 20 and not line.endswith((".", ",", ";", ":")) and not _BULLET.match(line)


def _is_boilerplate_line(line: str) -> bool:
    words = line.split()
    if not words or len(words) > 12 or not _BOILERPLATE_LINE.match(line):
        return False
    # "Follow the money, he said." is a sentence; furniture has no period or names a platform.
    return not line.rstrip().endswith(".") or bool(_SOCIAL.search(line))


def parse_text(
    text: str,
    source: str | None = None,
    furniture_model: Path | None = None,
    known_title: str | None = None,
    extracted: bool = False,
) -> Article:
    """Find title, body, reference highlights, author and kind in plain or scraped article text.

    `furniture_model`: the folder of the page-furniture model to use instead of the shipped one.
    `known_title`: the page's title when it is known from elsewhere (HTML metadata): the first line is then
    taken for the title only when it is that title.
    `extracted`: the text is the main text an HTML extractor found (the furniture model then only takes out what
    is clearly furniture).
    """
    lines = _lines(text)
    removed: list[Removed] = []
    skip: set[int] = set()  # line indices kept out of the body
    article = Article(text=text, body=[], source=source)
    nonblank = [i for i, line in enumerate(lines) if not line.blank]

    _mark_title(lines, nonblank, skip, removed, article, known_title)
    _mark_story_highlights(text, lines, nonblank, skip, removed, article)
    _mark_video_teasers(lines, nonblank, skip, removed)
    for i in nonblank:
        if i not in skip and _is_boilerplate_line(lines[i].text):
            skip.add(i)
            removed.append(Removed(lines[i].span, "boilerplate"))
    _mark_opinion_header(text, lines, nonblank, skip, removed, article)

    first_body = _mark_furniture(text, lines, nonblank, skip, removed, article, furniture_model or MODEL_DIR, extracted)
    if first_body is not None:
        _mark_page_title(lines, nonblank, first_body, skip, removed, article, known_title)
    elif known_title is not None:
        article.title = known_title

    if article.kind == "opinion" and article.author is None and article.reference_highlights:
        match = _ATTRIBUTED_BULLET.match(article.reference_highlights[0])
        if match:
            article.author = match.group("name")

    article.body = _body_spans(text, lines, nonblank, skip, removed)
    article.removed = sorted(removed, key=lambda r: r.span.start)
    return article


def _mark_title(
    lines: list[_Line],
    nonblank: list[int],
    skip: set[int],
    removed: list[Removed],
    article: Article,
    known_title: str | None,
) -> None:
    """Title: the first non-blank line, when more text follows and it reads like a headline. A hard-wrapped
    first sentence (the next line goes on in lowercase) is not a title."""
    if len(nonblank) < 2 or not _looks_like_title(lines[nonblank[0]].text):
        return
    first = lines[nonblank[0]]
    follows = lines[nonblank[0] + 1]
    if not follows.blank and follows.text[:1].islower():
        return
    if known_title is not None and min(shared_share(first.text, known_title)) < 0.6:
        return  # a first line of the story (a dateline, a subheading), not the title
    if _teaser_title(first.text) is None and not _HIGHLIGHTS_HEADER.match(first.text):
        article.title, article.title_span = first.text, first.span
        removed.append(Removed(first.span, "title"))
        skip.add(nonblank[0])


def _mark_story_highlights(
    text: str, lines: list[_Line], nonblank: list[int], skip: set[int], removed: list[Removed], article: Article
) -> None:
    """A "Story highlights" block: its header, then bullet lines (blank lines between are fine). The bullets
    are the article's reference highlights."""
    for i in nonblank:
        if i in skip or not _HIGHLIGHTS_HEADER.match(lines[i].text):
            continue
        bullets: list[int] = []
        j = i + 1
        while j < len(lines):
            if lines[j].blank:
                j += 1
                continue
            if not _BULLET.match(lines[j].text):
                break
            bullets.append(j)
            j += 1
        if not bullets:
            continue
        skip.add(i)
        removed.append(Removed(lines[i].span, "highlights-header"))
        for j in bullets:
            line = lines[j]
            match = _BULLET.match(text, line.span.start, line.span.end)
            assert match is not None
            span = Span(match.start("text"), match.end("text"))
            article.reference_highlights.append(span.of(text))
            article.reference_spans.append(span)
            removed.append(Removed(line.span, "reference-highlight"))
            skip.add(j)


def _mark_video_teasers(lines: list[_Line], nonblank: list[int], skip: set[int], removed: list[Removed]) -> None:
    """Video teasers: "<title> 02:56", and the bare title line just before it."""
    for k, i in enumerate(nonblank):
        title = _teaser_title(lines[i].text) if i not in skip else None
        if title is None or len(lines[i].text.split()) > 25:
            continue
        skip.add(i)
        removed.append(Removed(lines[i].span, "video-teaser"))
        if k > 0:
            prev = nonblank[k - 1]
            if prev not in skip and _same_title(lines[prev].text, title):
                skip.add(prev)
                removed.append(Removed(lines[prev].span, "video-teaser"))


def _mark_opinion_header(
    text: str, lines: list[_Line], nonblank: list[int], skip: set[int], removed: list[Removed], article: Article
) -> None:
    """Opinion: a disclaimer anywhere marks the kind; a bio paragraph before the body is kept out whole."""
    body_lines = [i for i in nonblank if i not in skip]
    seen_body = False
    for k, i in enumerate(body_lines):
        line = lines[i]
        disclaimer = OPINION_DISCLAIMER.search(line.text)
        note = _EDITORS_NOTE.match(line.text)
        if disclaimer:
            article.kind = "opinion"
        # A bio is a short paragraph above the story; in a flattened one-line article the disclaimer is
        # cut on its own (below) and the rest is the story.
        is_header_bio = (
            (disclaimer or note)
            and not seen_body
            and k + 1 < len(body_lines)
            and len(line.text.split()) <= 120
            and match_dateline(text, line.span.start, line.span.end) is None
        )
        if is_header_bio:
            skip.add(i)
            removed.append(Removed(line.span, "author-bio" if disclaimer else "editors-note"))
            article.author = article.author or author_from_note(line.text)
            continue
        seen_body = True


def _body_spans(
    text: str, lines: list[_Line], nonblank: list[int], skip: set[int], removed: list[Removed]
) -> list[Span]:
    """The body: the lines left, as their table cells, with inline boilerplate and the dateline cut out and a
    hard-wrapped paragraph joined into one span."""
    body: list[Span] = []
    previous = -2
    for i in nonblank:
        if i in skip:
            continue
        cells = _table_cells(text, lines[i].span)
        pieces = [piece for cell in cells for piece in _cut_inline(text, cell, removed)]
        wraps = pieces and body and previous == i - 1 and cells == [lines[i].span]
        if wraps and is_hard_wrap(text, body[-1].end, pieces[0].start, floor=body[-1].start):
            body[-1] = Span(body[-1].start, pieces[0].end)  # a wrapped line continues its paragraph
            pieces = pieces[1:]
        body.extend(pieces)
        previous = i
    if body:
        body[0] = _cut_dateline(text, body[0], removed)
    return [span for span in body if span.of(text).strip()]


# Bylines and timestamps stand just above the story; lines further up are menus and banners.
BYLINE_WINDOW = 12


def _mark_furniture(
    text: str,
    lines: list[_Line],
    nonblank: list[int],
    skip: set[int],
    removed: list[Removed],
    article: Article,
    model_dir: Path,
    extracted: bool,
) -> int | None:
    """Keep out the lines the page-furniture model judges not to be the article (ingest/furniture.py); never
    all of what the rules left, and only on text that is a whole page. A byline above the story names the
    author. Returns where the story starts (an index into `nonblank`), or None when the model did not judge
    the text."""
    if not MIN_PAGE_LINES <= len(nonblank) <= MAX_PAGE_LINES:
        return None  # not a page: the lines are not even described
    # The model reads the same lines the rules do (no second split of the text).
    page = [
        Line(
            lines[i].span.start,
            lines[i].span.end,
            lines[i].text,
            i == 0 or lines[i - 1].blank,
            i + 1 == len(lines) or lines[i + 1].blank,
        )
        for i in nonblank
    ]
    verdict = judge_page(text, model_dir, page, extracted)
    if verdict is None:
        return None
    kept = [k for k, is_body in enumerate(verdict) if is_body and nonblank[k] not in skip]
    if not kept:
        return None  # the rules kept out every line the model took for the story: their body stands
    header = _story_header(text, lines, [nonblank[k] for k in kept])
    for k in kept[:header]:
        skip.add(nonblank[k])
        removed.append(Removed(lines[nonblank[k]].span, "standfirst"))
    kept = kept[header:]
    for k, is_body in enumerate(verdict):
        i = nonblank[k]
        if i in skip:
            continue
        # Above the story, a byline or timestamp names the author. Inside it, one the model let through is kept
        # out all the same (`match_byline` is a precise rule), but never the story's last line: the story is
        # never left empty.
        near = kept[0] - BYLINE_WINDOW <= k < kept[0]
        inside = is_body and k != kept[-1] and _BYLINE_OR_STAMP_START.match(lines[i].text) is not None
        byline = match_byline(lines[i].text) if near or inside else None
        if is_body and byline is None:
            continue
        skip.add(i)
        removed.append(Removed(lines[i].span, byline.kind if byline else furniture_reason(lines[i].text)))
        if byline is not None and byline.authors and article.author is None and (near or k < kept[0] + BYLINE_WINDOW):
            article.author = " and ".join(byline.authors)
    return next(k for k in kept if nonblank[k] not in skip)


# A page prints its headline's company (a standfirst, a caption, "Key points") between the headline and the
# story, and the story starts at its byline or dateline: the model's first lines above one are that company.
STANDFIRST_LINES = 3


def _story_header(text: str, lines: list[_Line], kept: list[int]) -> int:
    """How many of the first `kept` lines (indices into `lines`, the model's story) stand above its first byline
    or dateline, when that is among the first `STANDFIRST_LINES + 1`; 0 when none is."""
    for position, i in enumerate(kept[: STANDFIRST_LINES + 1]):
        line = lines[i]
        if _BYLINE_OR_STAMP_START.match(line.text) and match_byline(line.text) is not None:
            return position
        if match_dateline(text, line.span.start, line.span.end) is not None:
            return position
    return 0


def _mark_page_title(
    lines: list[_Line],
    nonblank: list[int],
    first_body: int,
    skip: set[int],
    removed: list[Removed],
    article: Article,
    known_title: str | None,
) -> None:
    """A page's title: its printed headline, else its document title without the site name (ingest/title.py).
    The headline line and the document title are kept out of the body. A first line the model kept as story
    is no document title: the text starts with its story (a pasted article), and the rules' title stands."""
    if first_body == 0 and known_title is None:
        return
    texts, spans = [lines[i].text for i in nonblank], [lines[i].span for i in nonblank]
    found = page_title(texts, spans, first_body, known_title)
    if found is None:
        return
    article.title, article.title_span, headline = found
    for k in (0 if known_title is None else None, headline):
        if k is None or nonblank[k] in skip:
            continue
        if any(i not in skip for i in nonblank if i != nonblank[k]):  # never the last line of the story
            skip.add(nonblank[k])
            removed.append(Removed(lines[nonblank[k]].span, "title"))


def _table_cells(text: str, span: Span) -> list[Span]:
    """A table row as text gives it (`| cell | cell |`, as trafilatura writes tables) split into its cells, without
    the bars and without rule rows (`|---|---|`); any other line whole."""
    if not text.startswith("|", span.start):
        return [span]
    cells = []
    start = span.start + 1
    while start <= span.end:
        bar = text.find("|", start, span.end)
        end = span.end if bar < 0 else bar
        cell = _strip(text, Span(start, end))
        if cell.end > cell.start and text[cell.start : cell.end].strip("-: "):
            cells.append(cell)
        start = end + 1
    return cells


def _cut_inline(text: str, span: Span, removed: list[Removed]) -> list[Span]:
    """Split a body line around inline disclaimers and social/"READ MORE" sentences."""
    cuts: list[tuple[Span, str]] = []
    for pattern, reason in ((OPINION_DISCLAIMER, "disclaimer"), (_INLINE_BOILERPLATE, "boilerplate")):
        for match in pattern.finditer(text, span.start, span.end):
            if match.end() > match.start():
                cuts.append((Span(match.start(), match.end()), reason))
    if not cuts:
        return [span]
    pieces: list[Span] = []
    pos = span.start
    for cut, reason in sorted(cuts, key=lambda c: c[0].start):
        if cut.start < pos:  # overlapping matches: the earlier one already covers it
            continue
        removed.append(Removed(cut, reason))
        if cut.start > pos:
            pieces.append(_strip(text, Span(pos, cut.start)))
        pos = cut.end
    if pos < span.end:
        pieces.append(_strip(text, Span(pos, span.end)))
    return [p for p in pieces if len(p)]


def _cut_dateline(text: str, span: Span, removed: list[Removed]) -> Span:
    story = match_dateline(text, span.start, span.end)
    if story is None:
        return span
    removed.append(Removed(Span(span.start, story), "dateline"))
    return Span(story, span.end)


def _strip(text: str, span: Span) -> Span:
    piece = span.of(text)
    lead = len(piece) - len(piece.lstrip())
    trail = len(piece) - len(piece.rstrip())
    return Span(span.start + lead, max(span.start + lead, span.end - trail))
