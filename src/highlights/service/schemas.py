"""The service's request and response models.

A request's summarize options are made from `highlights.summary_options.SUMMARY_OPTIONS`: the same names, defaults,
bounds and choices as the CLI's, and a value outside them is a 422 naming the field.

The response is the Python API's `Summary` as `highlights.render.to_dict` writes it, field for field: the
service sends to_dict's output itself, and `HighlightsResult` describes it for the OpenAPI docs and typed
clients; tests/test_service.py checks that the two have the same fields and that every response validates.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, create_model, field_validator, model_validator

from highlights.ingest.decode import clean_text
from highlights.options import Options
from highlights.render import RANK_HELP, SCORE_HELP
from highlights.summary_options import SUMMARY_OPTIONS, Option, options_from


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


class ArticleInput(ValidUnicodeModel):
    """One article: exactly one of `text`, `html` and `url`."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(
        None, description="Article text: plain, or a page scraped to text; read as `input_format` says."
    )
    html: str | None = Field(None, description="The article's HTML page (read as HTML whatever `input_format` says).")
    url: str | None = Field(None, description="An http(s) URL to fetch (only when the server allows it).")

    @property
    def input_size(self) -> int:
        """Characters of the article as sent (the service's queue serves short articles first)."""
        return len(self.text or self.html or self.url or "")

    @model_validator(mode="after")
    def _exactly_one_input(self) -> ArticleInput:
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


def option_field(option: Option) -> tuple[Any, Any]:
    """The request field of a summarize option: its type (with its bounds and choices) and its default."""
    kind: Any = option.type
    if option.type is str and option.choices and not callable(option.choices):
        kind = Literal[tuple(option.allowed())]
    elif callable(option.choices):  # known only at run time (plug-in methods): checked on each request
        kind = Annotated[kind, AfterValidator(option.check_choice)]
    description = f"{option.help}."
    if callable(option.choices):
        description += " GET /v1/config lists the choices."
    if option.nullable:
        description += f" null: {option.unset}."
    field = Field(option.default, ge=option.minimum, le=option.maximum, description=description)
    return (kind | None if option.nullable else kind), field


if TYPE_CHECKING:  # mypy cannot see the fields of a model made at run time
    _WithOptions = ArticleInput
else:
    _WithOptions = create_model(
        "_WithOptions", __base__=ArticleInput, **{option.name: option_field(option) for option in SUMMARY_OPTIONS}
    )


class HighlightsRequest(_WithOptions):
    """One article (exactly one of `text`, `html`, `url`) and the summarize options, as the CLI has them
    (`highlights.summary_options.SUMMARY_OPTIONS`)."""

    def options(self) -> Options:
        """The request's summarize options; an `html` article is read as HTML."""
        options = options_from({option.name: getattr(self, option.name) for option in SUMMARY_OPTIONS})
        return replace(options, format="html") if self.html is not None else options


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
    source_text: str = Field(
        description="The article's words only: the spans joined with single spaces, then "
        "the `fixups` applied in order (none without compression)."
    )
    attribution: str | None
    spans: list[tuple[int, int]] = Field(description="[start, end) character offsets into `text` of the result.")
    score: float = Field(description=SCORE_HELP)
    rank: int = Field(description=RANK_HELP)
    sentence_index: int
    fixups: list[FixupOut] = Field(
        default_factory=list,
        description="Recorded edits of a compressed bullet: `new` replaces `old` at `position` of the joined spans.",
    )
    deleted: list[DeletionOut] = Field(
        default_factory=list,
        description="What compression cut from the sentence: [start, end) offsets "
        "into `text` of the result and the kind of cut.",
    )


class RemovedOut(BaseModel):
    span: tuple[int, int]
    reason: str


class HighlightsResult(BaseModel):
    """`highlights.render.to_dict(summary)`: the Python API's Summary."""

    title: str | None
    author: str | None
    kind: Literal["news", "opinion"]
    method: str = Field(description="The method that chose the bullets.")
    language: str = Field(description='ISO 639 code of the article\'s language; "und" when too short or unsure.')
    warnings: list[str] = Field(
        description="Sentences for the reader about what was noticed and done differently "
        "(another language than English, text that is mostly not prose)."
    )
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
