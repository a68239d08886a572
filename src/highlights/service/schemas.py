"""The service's request and response models.

The response is the Python API's `Summary` as `highlights.render.to_dict` writes it, field for field: the
service sends to_dict's output itself, and `HighlightsResult` describes it for the OpenAPI docs and typed
clients; tests/test_service.py checks that the two have the same fields and that every response validates.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from highlights.compress import DEFAULT_COMPRESS
from highlights.ingest.decode import clean_text
from highlights.pipeline import DEFAULT_METHOD, FALLBACK_METHOD
from highlights.render import RANK_HELP, SCORE_HELP
from highlights.score import methods
from highlights.select import DEFAULT_MAX_WORDS_PER_BULLET

MAX_BULLETS = 20


def valid_unicode(value: Any) -> Any:
    """`value` with every lone surrogate in its strings (dict keys too) replaced by U+FFFD, one character for
    one, so offsets into the text do not move."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {valid_unicode(key): valid_unicode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [valid_unicode(item) for item in value]
    return value


def json_bytes(data: Any) -> bytes:
    """Compact UTF-8 JSON that always encodes: a lone surrogate that got this far becomes U+FFFD."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    try:
        return text.encode()
    except UnicodeEncodeError:
        return valid_unicode(text).encode()


class ValidUnicodeModel(BaseModel):
    """A request model whose strings are valid Unicode before any validator (or error message) sees them."""

    @model_validator(mode="before")
    @classmethod
    def _valid_unicode(cls, data: Any) -> Any:
        return valid_unicode(data)


class HighlightsRequest(ValidUnicodeModel):
    """One article (exactly one of `text`, `html`, `url`) and the same knobs as the CLI."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(None, description="Article text: plain, or a page scraped to text.")
    html: str | None = Field(None, description="The article's HTML page.")
    url: str | None = Field(None, description="An http(s) URL to fetch (only when the server allows it).")
    method: str | None = Field(None, description=f"Scoring method; GET /v1/config lists them. null: "
                                                 f"`{DEFAULT_METHOD}` for English, `{FALLBACK_METHOD}` for text "
                                                 "confidently in another language.")
    bullets: int | None = Field(None, ge=1, le=MAX_BULLETS, description="Number of bullets; null: by length.")
    max_words_per_bullet: int = Field(DEFAULT_MAX_WORDS_PER_BULLET, ge=1, description="Longest bullet in words.")
    max_words: int | None = Field(None, ge=1, description="Words over all bullets.")
    redundancy: float | None = Field(None, ge=0.01, le=1.0,
                                     description="Overlap that makes a bullet redundant (1 = off); null: the "
                                                 "method decides (0.6 for greedy selection, none for learned).")
    attribution: bool = Field(True, description="Prefix opinion bullets with the author, as CNN does.")
    compress: bool | None = Field(None, description=f"Shorten bullets by deleting low-content spans. null: "
                                                    f"{'on' if DEFAULT_COMPRESS else 'off'} for English, off for "
                                                    "other languages (its word lists and model are English).")
    input_format: Literal["auto", "text", "html"] = Field(
        "auto", description="How to read `text` (auto: HTML when it looks like markup). `html` is always HTML.")

    @property
    def input_size(self) -> int:
        """Characters of the article as sent (the service's queue serves short articles first)."""
        return len(self.text or self.html or self.url or "")

    @model_validator(mode="after")
    def _exactly_one_input(self) -> HighlightsRequest:
        given = [name for name in ("text", "html", "url") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError(f"give exactly one of text, html or url (got {', '.join(given) or 'none'})")
        return self

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        # Checked again on every redirect by fetch_url; here so a file path never reaches a reader.
        if value is not None and not value.lower().startswith(("http://", "https://")):
            raise ValueError("only http:// and https:// URLs can be fetched")
        return value

    @field_validator("method")
    @classmethod
    def _known_method(cls, value: str | None) -> str | None:
        if value is not None and value not in methods():
            raise ValueError(f"unknown method {value!r}; choose one of: {', '.join(methods())}")
        return value


class BatchItem(HighlightsRequest):
    id: str | None = Field(None, max_length=200, description="Echoed back with this item's result.")


class BatchRequest(ValidUnicodeModel):
    model_config = ConfigDict(extra="forbid")

    items: list[BatchItem] = Field(..., min_length=1, description="Articles; the server caps how many.")


class FixupOut(BaseModel):
    position: int
    old: str
    new: str
    reason: str


class DeletionOut(BaseModel):
    span: tuple[int, int]
    kind: str


class HighlightOut(BaseModel):
    text: str = Field(description="The bullet as a reader sees it (with attribution when on).")
    source_text: str = Field(description="The article's words only: the spans joined with single spaces, then "
                                         "the `fixups` applied in order (none without compression).")
    attribution: str | None
    spans: list[tuple[int, int]] = Field(description="[start, end) character offsets into `text` of the result.")
    score: float = Field(description=SCORE_HELP)
    rank: int = Field(description=RANK_HELP)
    sentence_index: int
    fixups: list[FixupOut] = Field(default_factory=list,
                                   description="Recorded edits of a compressed bullet: `new` replaces `old` at "
                                               "`position` of the joined spans.")
    deleted: list[DeletionOut] = Field(default_factory=list,
                                       description="What compression cut from the sentence: [start, end) offsets "
                                                   "into `text` of the result and the kind of cut.")


class RemovedOut(BaseModel):
    span: tuple[int, int]
    reason: str


class HighlightsResult(BaseModel):
    """`highlights.render.to_dict(summary)`: the Python API's Summary."""

    title: str | None
    author: str | None
    kind: Literal["news", "opinion"]
    method: str = Field(description="The method that chose the bullets.")
    language: str = Field(description="ISO 639 code of the article's language; \"und\" when too short or unsure.")
    warnings: list[str] = Field(description="Sentences for the reader about what was noticed and done differently "
                                            "(another language than English, text that is mostly not prose).")
    source: str | None
    highlights: list[HighlightOut]
    reference_highlights: list[str] = Field(description="The page's own highlights, when it printed them.")
    removed: list[RemovedOut] = Field(description="What ingest kept out of the body, with the reason.")
    sentence_count: int
    text: str = Field(description="The string every span indexes into.")


class ErrorBody(BaseModel):
    code: str = Field(description="Machine-readable: validation_error, input_error, fetch_error, ...")
    message: str
    details: list[dict] | None = None


class ErrorResponse(BaseModel):
    error: ErrorBody


class BatchResultItem(BaseModel):
    index: int
    id: str | None
    result: HighlightsResult | None = None
    error: ErrorBody | None = None


class BatchResponse(BaseModel):
    results: list[BatchResultItem]
    failed: int


class ServiceConfig(BaseModel):
    """What the web page (and clients) need to know about this server."""

    methods: list[str]
    method_descriptions: dict[str, str] = Field(description="What each method does, in a line.")
    default_method: str
    url_fetching: bool
    max_body_bytes: int
    max_batch_items: int
    request_timeout_s: float
    version: str
