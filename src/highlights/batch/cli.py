"""`highlights batch INPUT... -o OUTPUT`: summarize datasets with every core, a progress bar, and resume."""

from __future__ import annotations

import threading
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from highlights import messages
from highlights.batch.inputs import Fields, count_rows, expand_inputs
from highlights.batch.job import Engine, Job, Report, run_job
from highlights.batch.journal import DEFAULT_PART_ROWS, default_errors_path, job_files
from highlights.batch.local import DEFAULT_CHUNK_SIZE
from highlights.batch.work import Settings
from highlights.cli_options import with_summary_options
from highlights.errors import HighlightsError
from highlights.messages import stderr_console
from highlights.options import Options

EXIT_INTERRUPTED = 130


class EngineName(str, Enum):
    local = "local"
    ray = "ray"


class OutputKind(str, Enum):
    auto = "auto"
    jsonl = "jsonl"
    parquet = "parquet"


# One line a paragraph: typer keeps a help paragraph's line breaks.
BATCH_HELP = (
    "Summarize every row of large datasets, crash-safe: re-run the same command to resume after any stop.\n\n"
    "Each output row holds the input id, file and line, the bullets with their spans, and the metadata of "
    "`--format json`. Rows that cannot be summarized go to the errors file; the rest go on.\n\n"
    "The exit code is 0 when the job is complete (failed rows are data, in the errors file), 2 for a usage error "
    "(one line on stderr), 130 after Ctrl-C (run the same command to resume)."
)


class _Rate(ProgressColumn):
    """Articles per second over rich's recent window."""

    def render(self, task: Task) -> Text:
        return Text(f"{task.speed:,.0f}/s" if task.speed else "–/s", style="progress.data.speed")


@with_summary_options
def batch_command(
    inputs: Annotated[list[str], typer.Argument(help="JSONL / CSV / Parquet files (gzip too) or directories of them.")],
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help="Output: a JSONL file, or a directory of Parquet parts when it ends in .parquet."
        ),
    ],
    errors: Annotated[
        Optional[Path],
        typer.Option(
            help="Rows that fail, as JSONL (id, file, line, reason) \\[default: out.jsonl → out.errors.jsonl; any other "
            "OUTPUT → OUTPUT.errors.ndjson]."
        ),
    ] = None,
    output_format: Annotated[
        OutputKind, typer.Option("--format", "-f", help="Output format \\[auto: by OUTPUT's name].")
    ] = OutputKind.auto,
    workers: Annotated[
        Optional[int],
        typer.Option(
            "--workers",
            "-w",
            min=1,
            help="Processes (or Ray actors) \\[default: all cores, or all CPUs of the Ray cluster].",
        ),
    ] = None,
    engine: Annotated[
        EngineName, typer.Option(help="local: a process pool; ray: Ray Data (pip install 'highlights\\[ray]').")
    ] = EngineName.local,
    ray_address: Annotated[
        Optional[str],
        typer.Option(help="Ray cluster to join, e.g. 'auto' or HEAD_IP:6379 \\[default: start a local Ray]."),
    ] = None,
    restart: Annotated[bool, typer.Option(help="Discard OUTPUT and its progress and start over.")] = False,
    include_text: Annotated[
        bool, typer.Option(help="Store each article's text (what the spans index) in its row.")
    ] = False,
    chunk_size: Annotated[
        int, typer.Option(min=1, help="Rows per chunk of work (and per commit of JSONL output).")
    ] = DEFAULT_CHUNK_SIZE,
    part_rows: Annotated[
        int,
        typer.Option(
            min=1, help="Rows per Parquet part, at least (a part ends at a chunk boundary); one commit per part."
        ),
    ] = DEFAULT_PART_ROWS,
    progress: Annotated[bool, typer.Option(help="Show a progress bar on stderr.")] = True,
    options: Options = Options(),  # --method, --bullets, ...: one CLI option per `SUMMARY_OPTIONS`
    id_field: Annotated[str, typer.Option(help="Column holding the row id.")] = "id",
    article_field: Annotated[str, typer.Option(help="Column holding the article.")] = "article",
    highlights_field: Annotated[str, typer.Option(help="Column holding reference highlights.")] = "highlights",
) -> None:
    """Summarize every row of large datasets, crash-safe; what `--help` shows is BATCH_HELP."""
    err = stderr_console()
    if str(output) == "-":
        _fail(err, "batch writes a file, which is what makes it resumable: give -o a path")
    parquet = output_format is OutputKind.parquet or (
        output_format is OutputKind.auto and output.name.lower().endswith(".parquet")
    )
    try:
        files = expand_inputs(inputs, outputs=job_files(output, errors or default_errors_path(output)))
        job = Job(
            inputs=files,
            output=output,
            errors=errors,
            parquet=parquet,
            settings=Settings(options, include_text=include_text),
            fields=Fields(id_field, article_field, highlights_field),
        )
        plan = Engine(engine.value, workers, chunk_size, ray_address)
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            _Rate(),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=err,
            disable=not progress,
        ) as bar:
            task = bar.add_task("summarizing", total=None)
            # Counting rows can take a while on big gzip files: the bar gets its total when it is known.
            if progress:
                threading.Thread(target=lambda: bar.update(task, total=count_rows(files)), daemon=True).start()
            report = run_job(
                job,
                plan,
                restart=restart,
                part_rows=part_rows,
                on_start=lambda skipped: bar.reset(task, completed=skipped),
                on_chunk=lambda rows: bar.advance(task, rows),
            )
    except HighlightsError as error:
        _fail(err, str(error))
    except OSError as error:  # a full disk, a vanished folder: what was committed is safe
        _fail(
            err, f"{error.filename or 'writing'}: {error.strerror or error}; fix it and run the same command to resume"
        )
    except KeyboardInterrupt:
        messages.say(err, "interrupted:", "what was written is safe; run the same command to resume")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    _print_report(err, report, job)


def _print_report(err: Console, report: Report, job: Job) -> None:
    where = f"{job.output} ({report.rows_total:,} rows)"
    if report.already_complete:
        messages.say(
            err,
            "already complete:",
            f"{where}, {report.errors_total:,} errors in {job.errors_path}; pass --restart to run it again",
            "green",
        )
        return
    failed = f"failed {report.failed:,}" + (f" (see {job.errors_path})" if report.failed else "")
    messages.say(
        err,
        "done",
        f"{report.done:,} · {failed} · skipped {report.skipped:,} (done by an earlier run) · "
        f"{report.rate:,.1f} articles/s over {report.seconds:,.1f} s → {where}",
        "green",
    )


def _fail(err: Console, message: str) -> None:
    raise messages.error(err, message)
