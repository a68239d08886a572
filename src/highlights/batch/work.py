"""The work of one row, the same in every engine: an `Item` in, one JSON line out (a summary or an error).

Workers return finished JSON text rather than dicts: it is what the output stores, it is cheap to send
between processes, and it makes the output byte-identical whichever engine or worker made it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from threadpoolctl import threadpool_limits

from highlights.batch.inputs import Item
from highlights.errors import HighlightsError, row_reason
from highlights.ingest.language import load as load_language_model
from highlights.ingest.sources import clean_text
from highlights.options import Options
from highlights.pipeline import Summarizer, summarize
from highlights.render import to_row


@dataclass(frozen=True, slots=True)
class Settings:
    """How each row is summarized and what its output row holds."""

    options: Options = field(default_factory=Options)
    include_text: bool = False  # the article text every span indexes; off by default to keep rows small


@dataclass(frozen=True, slots=True)
class Outcome:
    """One row's result: `ok` rows go to the output, the others to the errors file."""

    ok: bool
    json: str  # one line of JSON, no newline


def warm(settings: Settings) -> None:
    """Build the scorer (and load any model) now, once per worker, not on the first row.

    Each worker also keeps numpy's BLAS (and OpenMP) to one thread: the workers are the parallelism, and idle
    BLAS threads spin on the cores the other workers need (BENCHMARKS.md, Batch: 1 → 2 workers scaled 0.93×
    with them, 1.71× without)."""
    threadpool_limits(1)
    Summarizer(options=settings.options).load()  # the default method and the fallback, when the language decides
    load_language_model()


def summarize_item(item: Item, settings: Settings) -> Outcome:
    reason = item.error
    if reason is None:
        try:
            summary = summarize(item.article or "", options=settings.options)
        except HighlightsError as error:
            reason = str(error)
        except Exception as error:  # noqa: BLE001 - one row's bug must not stop a million-row job
            reason = f"internal error ({type(error).__name__}): {error}"
        else:
            row = to_row(summary, item.id, item.path, item.line, include_text=settings.include_text)
            return writable(Outcome(True, json.dumps(row, ensure_ascii=False)))
    where = {"id": item.id, "file": item.path, "line": item.line}
    return writable(Outcome(False, json.dumps({**where, "reason": row_reason(reason, item.line)}, ensure_ascii=False)))


def writable(outcome: Outcome) -> Outcome:
    """`outcome` if its line can be written as UTF-8. A line that cannot (a surrogate code point, say a lone
    `\\ud800` that reached the summary) becomes an error row: the same id, file and line, with the reason and
    every string cleaned, so the job goes on and the errors file stays valid UTF-8."""
    try:
        outcome.json.encode("utf-8")
    except UnicodeEncodeError as error:
        row = json.loads(outcome.json)
        bad = f"U+{ord(outcome.json[error.start]):04X}"
        reason = (
            f"the summary holds {bad}, which cannot be written as UTF-8"
            if outcome.ok
            else f"{clean_text(str(row.get('reason')))} (written with {bad} replaced by U+FFFD)"
        )
        where = {
            key: clean_text(row[key]) if isinstance(row.get(key), str) else row.get(key)
            for key in ("id", "file", "line")
        }
        return Outcome(False, json.dumps({**where, "reason": reason}, ensure_ascii=False))
    return outcome


def summarize_items(items: list[Item], settings: Settings) -> list[Outcome]:
    return [summarize_item(item, settings) for item in items]
