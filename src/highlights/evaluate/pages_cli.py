"""`highlights eval-pages PAGES`: body extraction, bullets from the body and titles on real news pages."""

from __future__ import annotations

import json
import os
import platform
import shlex
import sys
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from highlights import messages
from highlights.errors import HighlightsError
from highlights.evaluate.pages import (
    DEFAULT_SYSTEMS,
    SYSTEMS,
    PageRow,
    SystemScores,
    build_page_system,
    evaluate_pages,
    load_pages,
    markdown_table,
    report,
    table_cells,
)
from highlights.messages import say, stderr_console

SYSTEM_HELP = (
    f"NAME[:key=value,...], repeatable: {', '.join(SYSTEMS)}; options of the highlights systems go to "
    "ingest(), e.g. highlights-text:model_dir=DIR \\[default: all four]."
)
COLUMNS = (
    "system",
    "body precision",
    "body recall",
    "body F1",
    "bullets from body",
    "pages with a non-body bullet",
    "title right",
    "errors",
)


def _versions() -> dict[str, str | None]:
    from importlib.metadata import PackageNotFoundError, version

    found: dict[str, str | None] = {}
    for package in ("highlights", "trafilatura", "lxml"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = None
    return found


def rich_table(table: list[SystemScores], title: str) -> Table:
    shown = Table(*COLUMNS, title=title)
    for line in table:
        shown.add_row(*table_cells(line))
    return shown


def write_report(out: Path, table: list[SystemScores], rows: list[PageRow], meta: dict) -> list[Path]:
    """report.json (meta, table, per-page rows) and report.md (the table)."""
    out.mkdir(parents=True, exist_ok=True)
    json_path, markdown_path = out / "report.json", out / "report.md"
    json_path.write_text(json.dumps(report(table, rows, meta), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    markdown_path.write_text(f"{meta['dataset']}: {meta['pages']} pages\n\n{markdown_table(table)}\n", encoding="utf-8")
    return [markdown_path, json_path]


def eval_pages_command(
    pages: Annotated[
        Path,
        typer.Argument(
            help="Pages JSONL (gzip ok) with id, url, html, page_text, gold_body, "
            "e.g. ../shared/data/pages/dev.jsonl.gz."
        ),
    ],
    system: Annotated[list[str] | None, typer.Option("--system", "-s", help=SYSTEM_HELP)] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Report folder \\[default: reports/eval-pages-<timestamp>].")
    ] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="Score the first N pages.")] = None,
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
) -> None:
    """Score body extraction on news pages side by side (the benchmark's shingle F1), with the share of bullets
    from the annotated body and title accuracy."""
    err = stderr_console()
    console = Console(width=None if sys.stdout.isatty() else 180)

    def fail(message: str) -> typer.Exit:
        return messages.error(err, message)

    specs = list(system) if system else list(DEFAULT_SYSTEMS)
    if len(set(specs)) != len(specs):
        raise fail("a system is given twice: " + ", ".join(sorted({s for s in specs if specs.count(s) > 1})))
    try:
        systems = [build_page_system(spec) for spec in specs]
        loaded = load_pages(pages, limit=limit)
    except HighlightsError as error:
        raise fail(str(error)) from None
    for line, reason in loaded.skipped:
        say(err, *(("skipped", f"{pages}:{line}: {reason}") if line > 0 else ("note", reason)))
    if not loaded.pages:
        raise fail(f"{pages} holds no pages (each line a JSON object with id, url, html, page_text, gold_body)")

    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, disable=not progress, transient=True) as bar:
        task = bar.add_task(
            f"{len(systems)} systems × {len(loaded.pages)} pages", total=len(systems) * len(loaded.pages)
        )
        table, rows = evaluate_pages(loaded.pages, systems, on_row=lambda row: bar.update(task, advance=1))

    errors = Counter(row.system for row in rows if row.error)
    for row in rows:
        if row.error:
            say(err, "page error", f"{row.system} {row.id}: {row.error}")
    meta = {
        "dataset": str(pages),
        "pages": len(loaded.pages),
        "skipped_lines": [{"line": line, "reason": reason} for line, reason in loaded.skipped],
        "systems": [s.name for s in systems],
        "page_errors": dict(errors),
        "limit": limit,
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs visible, Python {platform.python_version()}",
        "command": "highlights " + " ".join(shlex.quote(a) for a in sys.argv[1:]),
        "versions": _versions(),
    }
    out = out or Path("reports") / f"eval-pages-{datetime.now().strftime('%Y%m%d-%H%M%S')}"
    try:
        written = write_report(out, table, rows, meta)
    except OSError as error:
        raise fail(f"cannot write the report to {out}: {error.strerror or error}") from None
    console.print(rich_table(table, f"{pages.name}: {len(loaded.pages)} pages"))
    console.print("wrote " + ", ".join(str(p) for p in written), highlight=False)
