"""Summary → what people read: plain bullets, JSON (spans included), Markdown.

Every format carries the summary's warnings: JSON as its `warnings` list, Markdown as a quote above the bullets,
plain text as `warning:` lines above them (the CLI prints those to stderr instead, so stdout stays bullets).
"""

from __future__ import annotations

import json
import sys
import types
from typing import Any, Literal

from highlights.article import Summary

Format = Literal["text", "json", "markdown"]
WARNING_PREFIX = "warning: "
# What a bullet's `score` and `rank` are, for the places that document the JSON (the CLI's --format help, the
# service's OpenAPI schema). The score stays each method's own number: a reader who knows the scale can use it.
SCORE_HELP = (
    "`score` is the method's own score of the bullet's sentence: higher is better, and it compares sentences of "
    "one article under one method only. learned: the sentence model's log-odds that the sentence belongs in the "
    "highlights (0 is even odds, so most sentences score below 0; the chance is 1 / (1 + e^-score)); lead: "
    "1 / (1 + the sentence's position); centrality: the sentence's PageRank share of the article (they sum to 1)."
)
RANK_HELP = (
    "`rank` is the sentence's place among the article's sentences by that score (1 = the method's best; equal "
    "scores share a rank). The learned method chooses its bullets as a set, so they need not be the top ranks."
)


def method_description(scorer: object) -> str:
    """One line about a scoring method, for people choosing one: the scorer's `description` if it has one (a
    plug-in may say it there), else the first line of its class's docstring, else its module's, without the
    leading "Name:" (the name is shown beside it)."""
    text = getattr(scorer, "description", None)
    if not text:
        doc = type(scorer).__doc__ or getattr(sys.modules.get(type(scorer).__module__), "__doc__", None) or ""
        text = doc.strip().split("\n")[0]
        name, colon, rest = text.partition(": ")
        if colon and " " not in name:
            text = rest
    text = " ".join(str(text).split())
    return text[:1].upper() + text[1:]


def to_dict(summary: Summary) -> dict[str, Any]:
    """A JSON-ready dict: the Python API's Summary, field for field (spans as [start, end])."""
    return {
        "title": summary.title,
        "author": summary.author,
        "kind": summary.kind,
        "method": summary.method,
        "language": summary.language,
        "warnings": list(summary.warnings),
        "source": summary.source,
        "highlights": [
            {
                "text": h.display,
                "source_text": h.text,
                "attribution": h.attribution,
                "spans": [[s.start, s.end] for s in h.spans],
                "score": round(float(h.score), 6),
                "rank": h.rank,
                "sentence_index": h.sentence_index,
                "fixups": [{"position": f.position, "old": f.old, "new": f.new, "reason": f.reason} for f in h.fixups],
                "deleted": [{"span": [d.span.start, d.span.end], "kind": d.kind} for d in h.deleted],
            }
            for h in summary.highlights
        ],
        "reference_highlights": list(summary.reference_highlights),
        "removed": [{"span": [r.span.start, r.span.end], "reason": r.reason} for r in summary.removed],
        "sentence_count": summary.sentence_count,
        "text": summary.text,
    }


def to_row(summary: Summary, row_id: str, file: str, line: int, *, include_text: bool = False) -> dict[str, Any]:
    """A dataset row's JSON object, as `highlights batch` writes it and `highlights ROWS -f json` prints it: where
    the row came from (id, file, line), then `to_dict(summary)` without the article's text unless asked for."""
    row = {"id": row_id, "file": file, "line": line, **to_dict(summary)}
    if not include_text:
        del row["text"]
    return row


def render(summary: Summary, fmt: Format = "text", *, warnings: bool = True) -> str:
    """`summary` as `fmt`. `warnings=False` leaves them out of text and Markdown (for a caller that shows them
    elsewhere); JSON always has them."""
    if fmt == "json":
        return json.dumps(to_dict(summary), ensure_ascii=False, indent=2)
    if fmt == "markdown":
        lines = []
        if summary.title:
            lines += [f"# {summary.title}", ""]
        if summary.author or summary.kind == "opinion":
            byline = f"By {summary.author}" if summary.author else ""
            lines += [f"*{byline}{' · ' if byline else ''}{summary.kind}*", ""]
        if warnings:  # one quote each: quoted lines in a row would join into one paragraph
            lines += [line for warning in summary.warnings for line in (f"> **Warning:** {warning}", "")]
        lines += [f"- {bullet}" for bullet in summary.bullets]
        return "\n".join(lines)
    if fmt == "text":
        shown = [f"{WARNING_PREFIX}{warning}" for warning in summary.warnings] if warnings else []
        return "\n".join([*shown, *(f"• {bullet}" for bullet in summary.bullets)])
    raise ValueError(f"unknown format {fmt!r}; choose text, json or markdown")


class _CallableModule(types.ModuleType):
    """This module, which `highlights.render` names, also called as the function the package documents:
    `highlights.render(summary, "json")` is `render(summary, "json")`."""

    def __call__(self, summary: Summary, fmt: Format = "text", *, warnings: bool = True) -> str:
        return render(summary, fmt, warnings=warnings)


sys.modules[__name__].__class__ = _CallableModule
