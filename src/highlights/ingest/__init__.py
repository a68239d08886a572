"""Ingest: raw input (text, scraped page, HTML; str or bytes) → Article with regions marked."""

from __future__ import annotations

from pathlib import Path

from highlights.article import Article
from highlights.errors import EmptyInputError
from highlights.ingest.decode import decode
from highlights.ingest.html import looks_like_html, parse_html
from highlights.ingest.sources import Document, read_document
from highlights.ingest.text import parse_text


def ingest(
    content: str | bytes, *, format: str = "auto", source: str | None = None, furniture_model: Path | None = None
) -> Article:
    """Read an article. `format` is "text", "html" or "auto" (HTML when it looks like markup).

    `furniture_model`: a folder holding another page-furniture model (`highlights train-furniture`) than the
    shipped one.
    """
    text = decode(content)
    if format not in ("auto", "text", "html"):
        raise ValueError(f"unknown format {format!r}; choose auto, text or html")
    if format == "html" or (format == "auto" and looks_like_html(text)):
        article = parse_html(text, source=source, furniture_model=furniture_model)
    else:
        article = parse_text(text, source=source, furniture_model=furniture_model)
    if not article.body:
        raise EmptyInputError("no article text left after removing the title, highlights and page furniture")
    return article


__all__ = ["Document", "ingest", "read_document"]
