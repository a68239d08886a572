"""HTML → article text with trafilatura (main content only: no navigation, ads or comments)."""

from __future__ import annotations

import logging
import re
from html.parser import HTMLParser

from highlights.article import Article
from highlights.errors import EmptyInputError, InputError
from highlights.ingest.text import parse_text

log = logging.getLogger(__name__)

_HTML_START = re.compile(r"\s*(?:<!doctype\s+html|<html\b|<head\b|<body\b|<article\b|<!--)", re.IGNORECASE)
_TAG = re.compile(r"<(?:p|div|span|a|br|h[1-6]|article|section|script|meta|title)\b[^>]*>", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    """An HTML document, or text that is mostly markup."""
    head = text[:4096]
    return bool(_HTML_START.match(head)) or len(_TAG.findall(head)) >= 3


def parse_html(html: str, source: str | None = None, url: str | None = None) -> Article:
    """Extract the main text and metadata, then read that text like any other article.

    Offsets of the result index the extracted text (`Article.text`), since the page's markup is not text.
    """
    import trafilatura

    try:
        extracted = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True
        )
    except Exception as error:  # noqa: BLE001 - lxml and trafilatura raise anything on hostile markup
        # (AssertionError, RecursionError, lxml's own errors): the page's visible text is the fallback.
        log.debug("trafilatura failed (%s: %s); using the visible text", type(error).__name__, error)
        extracted = None
    text = getattr(extracted, "text", None) if extracted is not None else None
    if not text or not text.strip():
        # trafilatura gives up on some pages (very deep nesting, no article markup): take the visible text.
        text = _visible_text_or_error(html)
    if not text or not text.strip():
        raise EmptyInputError("no article text found in the HTML (the page may have no body or be all markup)")
    article = parse_text(text, source=source)
    title = getattr(extracted, "title", None)
    if title and not article.title:
        article.title = title.strip()
    author = getattr(extracted, "author", None)
    if author and not article.author:
        article.author = author.split(";")[0].strip()
    return article


def _visible_text_or_error(html: str) -> str:
    try:
        return visible_text(html)
    except Exception as error:  # noqa: BLE001 - html.parser asserts on some marked sections (`<![foo]>`)
        raise InputError(f"could not read the HTML ({type(error).__name__}: {error}); send it as text instead") from None


class _VisibleText(HTMLParser):
    """Text outside script/style/head, one line per block element. Linear and depth-agnostic."""

    _SKIP = {"script", "style", "head", "noscript", "template", "svg"}
    _BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "article", "section", "tr", "blockquote"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self._skipping:
            self._skipping -= 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)
