"""HTML → article text with trafilatura (main content only: no navigation, ads or comments)."""

from __future__ import annotations

import logging
import re
from html import unescape
from pathlib import Path
from typing import Any

from highlights.article import Article
from highlights.errors import EmptyInputError, InputError
from highlights.ingest.text import parse_text
from highlights.ingest.title import without_site_name

log = logging.getLogger(__name__)

_HTML_START = re.compile(r"\s*(?:<!doctype\s+html|<html\b|<head\b|<body\b|<article\b|<!--)", re.IGNORECASE)
_TAG = re.compile(r"<(?:p|div|span|a|br|h[1-6]|article|section|script|meta|title)\b[^>]*>", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    """An HTML document, or text that is mostly markup."""
    head = text[:4096]
    return bool(_HTML_START.match(head)) or len(_TAG.findall(head)) >= 3


def parse_html(
    html: str, source: str | None = None, url: str | None = None, furniture_model: Path | None = None
) -> Article:
    """Extract the main text and metadata, then read that text like any other article.

    Offsets of the result index the extracted text (`Article.text`), since the page's markup is not text.
    """
    text, extracted = main_text(html, url)
    title = getattr(extracted, "title", None)
    known_title = without_site_name(" ".join(title.split())) if title and title.strip() else None
    article = parse_text(
        text,
        source=source,
        furniture_model=furniture_model,
        known_title=known_title,
        extracted=extracted is not None and getattr(extracted, "text", None) == text,
    )
    author = getattr(extracted, "author", None)
    if author and not article.author:
        article.author = author.split(";")[0].strip()
    return article


MAX_EXTRACT_CHARS = 4_000_000


def main_text(html: str, url: str | None = None) -> tuple[str, Any]:
    """The page's main text (trafilatura, else all its visible text) and trafilatura's metadata (or None)."""
    import trafilatura  # about half a second to import: loaded with the first HTML page, never for plain text

    extracted = None
    if len(html) <= MAX_EXTRACT_CHARS:
        # Above it, trafilatura's XPath passes grow faster than the page (8 MB of markup took 24 s, 4 MB 8 s); no
        # article page is that large but for inlined data, so its visible text is read instead.
        try:
            # Tables kept: some stories are laid out in them. Body F1 of this call alone on the 92 development pages:
            # 0.946 without tables, 0.964 with (0.955 with tables but without favor_precision). The lines of a
            # table of figures are judged by the furniture model and kept out of the bullets by selection.
            extracted = trafilatura.bare_extraction(
                html,
                url=url,
                with_metadata=True,
                include_comments=False,
                include_tables=True,
                favor_precision=True,
            )
        except Exception as error:  # noqa: BLE001 - lxml and trafilatura raise anything on hostile markup
            # (AssertionError, RecursionError, lxml's own errors): the page's visible text is the fallback.
            log.debug("trafilatura failed (%s: %s); using the visible text", type(error).__name__, error)
    text = getattr(extracted, "text", None) if extracted is not None else None
    if not text or not text.strip():
        # trafilatura gives up on some pages (very deep nesting, no article markup): take the visible text.
        text = _visible_text_or_error(html)
    if not text or not text.strip():
        raise EmptyInputError("no article text found in the HTML (the page may have no body or be all markup)")
    return text, extracted


def _visible_text_or_error(html: str) -> str:
    try:
        return visible_text(html)
    except Exception as error:  # noqa: BLE001 - a parser's own failure is the input's problem, said clearly
        message = f"could not read the HTML ({type(error).__name__}: {error}); send it as text instead"
        raise InputError(message) from None


# Text under these is not shown; these start a new line.
_SKIP = frozenset({"script", "style", "head", "noscript", "template", "svg", "title", "textarea"})
_BLOCK = frozenset(
    {
        "p",
        "div",
        "br",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "article",
        "section",
        "tr",
        "blockquote",
        "header",
        "footer",
        "main",
        "aside",
        "nav",
        "ul",
        "ol",
        "table",
        "figure",
    }
)
# A tag, or a `<` that opens none. `[^<>]*` stops at the next `<`, so every character is read at most twice,
# however many tags are left unclosed.
_TAG = re.compile(r"<(?:(?P<close>/)?(?P<name>[A-Za-z][\w:-]*)[^<>]*>|!--|![^<>]*>|\?[^<>]*>)?")


def visible_text(html: str) -> str:
    """Text outside script/style/head and comments, one line per block element; entities decoded.

    A single pass over the markup, linear in its length and blind to its depth: no tree is built. (The
    standard library's `html.parser` is quadratic in unclosed constructs such as `<a ` or `<!--` repeated,
    and libxml2 drops what lies deeper than 2,048 elements.) Used when trafilatura finds no main text.
    """
    lowered = html.lower()
    parts: list[str] = []
    pos = 0
    skip_until: str | None = None  # the closing tag that ends a skipped element
    for match in _TAG.finditer(html):
        if match.start() < pos:
            continue  # inside a comment or a skipped element already passed over
        if skip_until is None:
            parts.append(html[pos : match.start()])
        token = match.group(0)
        pos = match.end()
        if token == "<!--":
            end = html.find("-->", pos)
            pos = len(html) if end < 0 else end + 3  # an unclosed comment runs to the end, as in browsers
            continue
        name = (match.group("name") or "").lower()
        if skip_until is not None:
            if match.group("close") and name == skip_until:
                skip_until = None
            continue
        if name in _SKIP and not match.group("close"):
            end = lowered.find(f"</{name}", pos)
            if end < 0:
                return _join_lines(parts)  # skipped to the end of the page
            pos = end
            skip_until = name
        elif name in _BLOCK:
            parts.append("\n")
        elif token == "<":
            parts.append("<")  # a lone `<` in text
    if skip_until is None:
        parts.append(html[pos:])
    return _join_lines(parts)


def _join_lines(parts: list[str]) -> str:
    text = unescape("".join(parts))
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)
