"""highlights: CNN-style story highlights for news articles, every bullet tied to its source characters.

    >>> from highlights import summarize
    >>> summary = summarize(open("article.txt").read())
    >>> for h in summary.highlights:
    ...     print(h.display, h.spans)

`summarize()` takes text, scraped page text, HTML, bytes, or a `Document` from `read_document()` (a file,
`-` for stdin, or a URL). It returns a `Summary` of `Highlight`s whose `spans` index `Summary.text`.
`Summarizer(..., model_dir=DIR)` is the same pipeline with one set of options and the models of a folder.
"""

from highlights import render  # the module, callable as `highlights.render(summary, fmt)` (see render.py)
from highlights.article import Article, Highlight, Removed, Sentence, Span, Summary
from highlights.errors import (
    EmptyInputError,
    FetchError,
    HighlightsError,
    InputError,
    ModelFolderError,
    NotProseError,
    UnknownMethodError,
)
from highlights.ingest import Document, ingest, read_document
from highlights.options import DEFAULT_METHOD, FALLBACK_METHOD, Budget, Options
from highlights.pipeline import Summarizer, summarize
from highlights.render import to_dict
from highlights.score import Scorer, methods
from highlights.version import __version__

__all__ = [
    "Article",
    "Budget",
    "DEFAULT_METHOD",
    "Document",
    "EmptyInputError",
    "FALLBACK_METHOD",
    "FetchError",
    "Highlight",
    "HighlightsError",
    "InputError",
    "ModelFolderError",
    "NotProseError",
    "Options",
    "Removed",
    "Scorer",
    "Sentence",
    "Span",
    "Summarizer",
    "Summary",
    "UnknownMethodError",
    "__version__",
    "ingest",
    "methods",
    "read_document",
    "render",
    "summarize",
    "to_dict",
]
