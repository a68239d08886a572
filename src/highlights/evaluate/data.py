"""Evaluation data: dataset rows (JSONL / CSV / Parquet, gzip or not) → articles with reference bullets.

Rows come from `ingest.sources.iter_records` (field names mappable). Rows that cannot be scored — malformed,
no article text, no reference highlights — are counted and reported with their reason, never scored.
`--limit` keeps the first N usable rows; `--sample N --seed S` a seeded random N of them (in file order).
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from highlights.article import Article
from highlights.errors import InputError
from highlights.ingest import ingest
from highlights.ingest.ptb import ptb_article
from highlights.ingest.sources import iter_records
from highlights.options import MAX_CANDIDATES
from highlights.segment import segment

DETOKENIZERS = ("none", "ptb")


@dataclass(frozen=True, slots=True)
class EvalArticle:
    """One scorable row: the article as stored and its reference bullets (one per line, as given)."""

    id: str
    text: str
    references: list[str]
    line: int


@dataclass(frozen=True, slots=True)
class Skipped:
    id: str
    line: int
    reason: str


@dataclass(slots=True)
class Dataset:
    path: str
    articles: list[EvalArticle]
    rows: int  # rows read from the file
    skipped: list[Skipped] = field(default_factory=list)
    duplicate_ids: int = 0

    def skip_reasons(self) -> dict[str, int]:
        return dict(Counter(s.reason for s in self.skipped).most_common())


def load_dataset(
    path: str | Path,
    *,
    id_field: str = "id",
    article_field: str = "article",
    highlights_field: str = "highlights",
    limit: int | None = None,
    sample: int | None = None,
    seed: int = 0,
) -> Dataset:
    """Read the usable rows of a dataset. Raises InputError for a missing or empty file or no usable row."""
    path = Path(path)
    if path.is_dir():
        raise InputError(f"{path} is a directory; give a JSONL, CSV or Parquet file")
    articles: list[EvalArticle] = []
    skipped: list[Skipped] = []
    seen: set[str] = set()
    duplicates = rows = 0
    try:
        for record in iter_records(
            path, id_field=id_field, article_field=article_field, highlights_field=highlights_field
        ):
            rows += 1
            if record.error is not None:
                skipped.append(Skipped(record.id, record.line, record.error))
            elif not record.highlights:
                skipped.append(Skipped(record.id, record.line, f"no reference highlights in {highlights_field!r}"))
            else:
                # Ids key predictions files and per-article results, so they must be unique.
                rid = record.id
                if rid in seen:
                    duplicates += 1
                    rid = f"{rid}#{record.line}"
                seen.add(rid)
                articles.append(EvalArticle(rid, record.article or "", record.highlights, record.line))
            if sample is None and limit is not None and len(articles) >= limit:
                break
    except (OSError, EOFError, UnicodeError, csv.Error) as error:  # truncated gzip, unreadable file, bad CSV
        raise InputError(f"cannot read {path}: {error}") from None
    except Exception as error:  # pyarrow raises its own types for a file that is not Parquet
        if type(error).__module__.startswith("pyarrow"):
            raise InputError(f"cannot read {path} as Parquet: {error}") from None
        raise
    if rows == 0:
        raise InputError(f"{path} holds no rows")
    if not articles:
        reasons = ", ".join(f"{n} × {r}" for r, n in Counter(s.reason for s in skipped).most_common(3))
        raise InputError(f"{path}: none of its {rows} rows can be scored ({reasons})")
    if sample is not None and sample < len(articles):
        keep = np.sort(np.random.default_rng(seed).choice(len(articles), size=sample, replace=False))
        articles = [articles[i] for i in keep]
    if limit is not None:
        articles = articles[:limit]
    return Dataset(str(path), articles, rows, skipped, duplicates)


def prepare(text: str, detokenize: str = "none", source: str | None = None) -> Article:
    """The article every system sees: ingested and segmented (our splitter), or rebuilt from PTB tokens."""
    if detokenize == "ptb":
        return ptb_article(text, source=source, max_sentences=MAX_CANDIDATES)
    if detokenize != "none":
        raise ValueError(f"unknown detokenizer {detokenize!r}; choose one of: {', '.join(DETOKENIZERS)}")
    return segment(ingest(text, source=source), max_sentences=MAX_CANDIDATES)
