"""The headline of a page: its own title without the site name, or the headline line printed above the story.

A page dump starts with the document's `<title>` ("Story headline - Site name", "Headline | Section | Site"),
and prints the headline again above the story. The printed headline is the better title when it is there (it
is the page's own words, without the site); otherwise the document title with its trailing site name and
section trail dropped.
"""

from __future__ import annotations

import re

from highlights.article import Span

# A trailing site name or section trail follows one of these separators.
_SEPARATOR = re.compile(r"\s+[|–—-]\s+|\s*\|\s*")
_WORD = re.compile(r"\w+")
MAX_SITE_WORDS = 5  # "Sportsnet.ca", "NBC 5 Dallas-Fort Worth", "Remember 80/90": site names are short
MIN_TITLE_CHARS = 8
MAX_TITLE_WORDS = 40
HEADLINE_WINDOW = 60  # lines before the story searched for the printed headline


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def shared_share(a: str, b: str) -> tuple[float, float]:
    """The share of `a`'s words found in `b`, and of `b`'s found in `a`."""
    words_a, words_b = _words(a), _words(b)
    if not words_a or not words_b:
        return 0.0, 0.0
    set_a, set_b = set(words_a), set(words_b)
    return sum(w in set_b for w in words_a) / len(words_a), sum(w in set_a for w in words_b) / len(words_b)


def without_site_name(title: str) -> str:
    """`Headline - Site` → `Headline`; `Headline | Section | Site` → `Headline`. A last part is dropped while it
    is short (a site or section name) and what stays is still a title."""
    while True:
        separators = list(_SEPARATOR.finditer(title))
        if not separators:
            return title
        last = separators[-1]
        head, tail = title[: last.start()].rstrip(), title[last.end() :]
        if len(tail.split()) > MAX_SITE_WORDS or len(head) < MIN_TITLE_CHARS:
            return title
        title = head


def page_title(
    lines: list[str],
    spans: list[Span],
    first_body: int,
    document: str | None = None,
) -> tuple[str, Span | None, int | None] | None:
    """The title of a page whose non-blank lines are `lines` (at `spans`) and whose story starts at line
    `first_body`: (title, its span or None, the index of the printed headline line or None). `document` is the
    page's own title when it is known (from HTML metadata); otherwise the first line is taken for it. None: no
    title found."""
    first = 0 if document is not None else 1
    if document is None:
        if not lines or len(lines[0].split()) > MAX_TITLE_WORDS:
            return None
        document = without_site_name(lines[0])
    best, best_score = None, 0.0
    for i in range(max(first, first_body - HEADLINE_WINDOW), min(first_body + 1, len(lines))):
        in_document, of_document = shared_share(lines[i], document)
        if in_document >= 0.8 and of_document >= 0.6 and len(lines[i].split()) <= MAX_TITLE_WORDS:
            score = in_document + of_document
            if score > best_score:
                best, best_score = i, score
    if best is not None:
        return lines[best], spans[best], best
    if first == 0:
        return document, None, None
    return document, Span(spans[0].start, spans[0].start + len(document)), None
