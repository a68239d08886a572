"""HTML → article text with trafilatura (main content only: no navigation, ads or comments)."""

from __future__ import annotations

import re

from highlights.article import Article
from highlights.errors import EmptyInputError, InputError
from highlights.ingest.text import parse_text

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
    except (ValueError, RecursionError, MemoryError) as error:
        raise InputError(f"could not read the HTML: {error}") from error
    text = getattr(extracted, "text", None) if extracted is not None else None
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
