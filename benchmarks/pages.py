"""Body extraction on real news pages: the BENCHMARKS.md table, and how fast ingest reads a page's text.

Runs `highlights.evaluate.pages.evaluate_pages` (the measures of ../shared/data/pages/README.md) for the
systems side by side, prints the Markdown table, then times `ingest(page_text, format="text")` on every page
(after one warm-up pass; each page's best of --repeats) and prints the median and p95 in ms.

    .venv/bin/python benchmarks/pages.py ../shared/data/pages/dev.jsonl.gz
    .venv/bin/python benchmarks/pages.py PAGES --systems highlights-text:model_dir=models/pages --limit 20
    .venv/bin/python benchmarks/pages.py PAGES --folds 4 --trainer highlights.train_furniture:train_fold \
        --seeds 13,14,15

Cross-validation (`--folds K --trainer MODULE:FUNCTION`): pages are split into K folds by a hash of their id;
for each fold FUNCTION(train_pages, workdir) trains on the other folds and returns the keyword arguments that
make `ingest` use that model (e.g. {"model_dir": workdir}); the highlights systems are scored on the held-out
fold with them, and the table aggregates every held-out page. The trainer lives with the ingest model's
training code; without `--folds` the shipped model is measured.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import math
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from highlights.evaluate.pages import (
    DEFAULT_SYSTEMS,
    Page,
    PageRow,
    aggregate,
    build_page_system,
    evaluate_pages,
    load_pages,
    markdown_table,
    report,
)
from highlights.ingest import ingest

Trainer = Callable[..., dict[str, Any]]  # (train_pages, workdir[, seed=]) -> ingest keyword arguments


def folds(pages: list[Page], k: int) -> list[list[Page]]:
    """K folds of about equal size, fixed by the pages' ids (not by file order)."""
    ordered = sorted(pages, key=lambda page: hashlib.sha1(page.id.encode("utf-8")).hexdigest())
    return [ordered[i::k] for i in range(k)]


def cross_validated_rows(
    pages: list[Page], specs: list[str], k: int, trainer: Trainer, seed: int | None = None
) -> list[PageRow]:
    """Every page scored once, by systems whose ingest model never saw it (trained with `seed`, when given)."""
    rows: list[PageRow] = []
    split = folds(pages, k)
    for index, held_out in enumerate(split):
        training = [page for other, fold in enumerate(split) if other != index for page in fold]
        with tempfile.TemporaryDirectory(prefix=f"pages-fold-{index}-") as workdir:
            options = trainer(training, Path(workdir)) if seed is None else trainer(training, Path(workdir), seed=seed)
            systems = [build_page_system(spec, ingest_options=options) for spec in specs]
            rows += evaluate_pages(held_out, systems)[1]
        print(f"fold {index + 1}/{k}: {len(held_out)} held-out pages, trained on {len(training)}", file=sys.stderr)
    return rows


def ingest_times_ms(pages: list[Page], repeats: int, **ingest_options: Any) -> list[float]:
    """Each page's best time of `repeats` calls of ingest(page_text), after one warm-up pass over all pages."""

    def once(page: Page) -> float:
        start = time.perf_counter()
        try:
            ingest(page.page_text, format="text", **ingest_options)
        except ValueError:  # an empty page (HighlightsError) is timed like any other
            pass
        return (time.perf_counter() - start) * 1000

    for page in pages:
        once(page)
    return [min(once(page) for _ in range(repeats)) for page in pages]


def seed_means(per_seed: dict[int, list]) -> str:
    """Per system, the mean over seeds (and the range) of body F1, bullets from the body and pages with a bullet
    from elsewhere, as a Markdown table."""
    lines = [
        "| system | body F1, mean (range) | bullets from body, mean | pages with a non-body bullet, mean |",
        "|---|---:|---:|---:|",
    ]
    for k, line in enumerate(next(iter(per_seed.values()))):
        rows = [table[k] for table in per_seed.values()]
        f1 = [row.body.f1 for row in rows]
        shares = [row.body_bullet_share for row in rows if row.body_bullet_share is not None]
        strays = [row.pages_with_non_body_bullets for row in rows if row.pages_with_non_body_bullets is not None]
        share = f"{100 * statistics.mean(shares):.1f}%" if shares else "—"
        stray = f"{statistics.mean(strays):.1f} / {line.pages}" if strays else "—"
        lines.append(f"| {line.system} | {statistics.mean(f1):.3f} ({min(f1):.3f}–{max(f1):.3f}) | {share} | {stray} |")
    return "\n".join(lines)


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def load_trainer(spec: str) -> Trainer:
    module, _, name = spec.partition(":")
    if not module or not name:
        raise SystemExit("--trainer is MODULE:FUNCTION, e.g. highlights.ingest.train_furniture:train_fold")
    return getattr(importlib.import_module(module), name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", help="pages JSONL (gzip ok), e.g. ../shared/data/pages/dev.jsonl.gz")
    parser.add_argument(
        "--systems",
        default=",".join(DEFAULT_SYSTEMS),
        help="comma-separated system specs (options after ':' separated by ';' instead of ',')",
    )
    parser.add_argument("--limit", type=int, help="first N pages only")
    parser.add_argument("--repeats", type=int, default=5, help="ingest timing: calls per page (best one kept)")
    parser.add_argument("--folds", type=int, default=0, help="K-fold cross-validation of the ingest model (K >= 2)")
    parser.add_argument("--trainer", help="MODULE:FUNCTION(train_pages, workdir) -> ingest keyword arguments")
    parser.add_argument(
        "--seeds",
        help="comma-separated training seeds (the trainer takes seed=): the whole "
        "cross-validation once per seed, a table each and their mean",
    )
    parser.add_argument("--json", type=Path, help="also write the full report (per-page rows) here")
    args = parser.parse_args()

    specs = [spec.replace(";", ",") for spec in args.systems.split(",") if spec.strip()]
    loaded = load_pages(args.pages, limit=args.limit)
    pages = loaded.pages
    for line, reason in loaded.skipped:
        print(f"skipped line {line}: {reason}", file=sys.stderr)
    start = time.perf_counter()
    if args.folds:
        if args.folds < 2 or not args.trainer:
            raise SystemExit("--folds needs K >= 2 and --trainer MODULE:FUNCTION (the ingest model's training)")
        trainer = load_trainer(args.trainer)
        if args.seeds:
            # A model's cross-validated score moves by about 0.01 body F1 with its training seed alone: the mean
            # over seeds is the figure to compare.
            per_seed = {}
            for seed in (int(value) for value in args.seeds.split(",")):
                per_seed[seed] = aggregate(cross_validated_rows(pages, specs, args.folds, trainer, seed))
                print(f"seed {seed}:\n{markdown_table(per_seed[seed])}\n")
            print(seed_means(per_seed))
            return
        rows = cross_validated_rows(pages, specs, args.folds, trainer)
        table = aggregate(rows)
    else:
        table, rows = evaluate_pages(pages, [build_page_system(spec) for spec in specs])
    seconds = time.perf_counter() - start

    folds_note = f", {args.folds}-fold cross-validated" if args.folds else ""
    print(f"{Path(args.pages).name}: {len(pages)} pages{folds_note} ({seconds:.0f} s)\n")
    print(markdown_table(table))
    times = ingest_times_ms(pages, args.repeats)
    print(
        f"\ningest(page_text, format='text'): median {statistics.median(times):.2f} ms, "
        f"p95 {percentile(times, 0.95):.2f} ms per page (best of {args.repeats}, {len(pages)} pages)"
    )
    if args.json:
        meta = {
            "pages": args.pages,
            "count": len(pages),
            "systems": specs,
            "folds": args.folds,
            "ingest_ms": {"median": statistics.median(times), "p95": percentile(times, 0.95)},
        }
        args.json.write_text(
            json.dumps(report(table, rows, meta), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )


if __name__ == "__main__":
    main()
