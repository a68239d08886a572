"""The `highlights` command: `highlights FILE|URL|-` prints bullets; subcommands do the rest.

`highlights ARTICLE` is short for `highlights summarize ARTICLE`. Errors the user can fix are one line on
stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import importlib
import json
import sys
import textwrap
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
from rich.console import Console
from rich.table import Table
from typer.core import TyperGroup

from highlights import messages
from highlights.article import Summary
from highlights.batch.cli import BATCH_HELP, batch_command
from highlights.cli_options import with_summary_options
from highlights.errors import HighlightsError, row_reason, with_private_address_hint
from highlights.evaluate.cli import eval_command
from highlights.evaluate.pages_cli import eval_pages_command
from highlights.ingest.sources import READ_ERRORS, Record, clean_text, is_dataset, is_url, iter_records, read_document
from highlights.messages import EXIT_USAGE, say, stderr_console
from highlights.options import DEFAULT_METHOD, FALLBACK_METHOD, Options
from highlights.pipeline import summarize
from highlights.render import RANK_HELP, SCORE_HELP, method_description, render, to_dict, to_row
from highlights.score import get_scorer, methods
from highlights.service.cli import serve_command
from highlights.version import __version__

if TYPE_CHECKING:
    from typer._click import Context  # the click typer runs on: its vendored copy since 0.2x

# The click that typer runs on (typer vendors its own copy since 0.2x): its exceptions are the ones raised.
_click_errors = importlib.import_module(typer.BadParameter.__module__)


class _DefaultToSummarize(TyperGroup):
    """Route `highlights ARTICLE ...` to the `summarize` command when ARTICLE is not a subcommand."""

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = ["summarize", *args]
        return super().parse_args(ctx, args)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """As typer's, but when stderr is not a terminal a usage error is click's plain `Error: ...` line: typer
        draws it in a box 80 columns wide there, which wraps the message over several lines."""
        if not standalone_mode or sys.stderr.isatty():
            return super().main(args, prog_name, complete_var, standalone_mode, windows_expand_args, **extra)
        try:  # an Exit comes back as its code
            code = super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        except _click_errors.ClickException as usage:
            if type(usage).__name__ != "NoArgsIsHelpError":  # typer printed the help already, as it does
                usage.show()
            sys.exit(usage.exit_code)
        except typer.Abort:
            print("Aborted!", file=sys.stderr)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


PRIVATE_URLS_HINT = "pass --allow-private-urls to fetch it (only on a network you trust)"

app = typer.Typer(
    cls=_DefaultToSummarize,
    help="CNN-style story highlights for news articles; every bullet points back to its source.\n\n"
    "`highlights ARTICLE` is short for `highlights summarize ARTICLE` (a file, a URL, - for stdin, or a dataset).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = stderr_console()


class OutputFormat(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"
    markdown = "markdown"


FORMAT_HELP = (
    "text: the bullets, with the title and the page's own highlights (warnings go to stderr). json: the article's "
    "JSON object; several inputs, or a dataset, give one JSON array of them. jsonl: the same objects, one JSON "
    "object per line, each printed as it is done. A dataset row's object starts with its id, file and line, and "
    "leaves out the text, as `highlights batch` writes it. markdown: a title and a list of bullets; several are "
    "each under a heading with their name. In the JSON, a bullet's "
    + SCORE_HELP.removeprefix("`score` ")
    + " "
    + RANK_HELP
)


def fail(message: str) -> typer.Exit:
    return messages.error(err, message)


def _version(value: bool) -> None:
    if value:
        print(f"highlights {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """CNN-style story highlights for news articles; every bullet points back to its source."""


# One line a paragraph: typer keeps a help paragraph's line breaks.
SUMMARIZE_HELP = (
    "Print highlight bullets for each article (and the page's own highlights with ROUGE when it has them).\n\n"
    "An input that cannot be summarized is one line on stderr, the others go on, and the exit code is 2. A "
    "dataset's bad rows are reported on stderr (file:line, id, reason) and the other rows go on, as in `highlights "
    "batch`: the exit code is 0 when at least one row was summarized, 2 when none was."
)


@app.command("summarize", help=SUMMARIZE_HELP)
@with_summary_options
def summarize_command(
    sources: Annotated[
        list[str], typer.Argument(help="Article file(s), http(s) URL(s), '-' for stdin, or JSONL/CSV/Parquet datasets.")
    ],
    options: Options = Options(),  # --method, --bullets, ...: one CLI option per `SUMMARY_OPTIONS`
    output: Annotated[OutputFormat, typer.Option("--format", "-f", help=FORMAT_HELP)] = OutputFormat.text,
    allow_private_urls: Annotated[bool, typer.Option(help="Allow URLs on loopback/private addresses.")] = False,
    timeout: Annotated[
        float, typer.Option(min=0.1, help="Seconds a URL fetch may take, and a named pipe may wait for a writer.")
    ] = 10.0,
) -> None:
    """Print bullets for each input; what `--help` shows is SUMMARIZE_HELP."""
    datasets = [is_dataset(spec) and not is_url(spec) for spec in sources]
    printer = _Printer(output, many=len(sources) > 1 or any(datasets))
    failures = 0
    for spec, dataset in zip(sources, datasets):
        try:
            if dataset:
                failures += not _summarize_dataset(spec, options, printer, timeout)
                continue
            document = read_document(spec, allow_private=allow_private_urls, timeout=timeout)
            summary = summarize(document, options=options)
        except (HighlightsError, MemoryError) as error:
            reason = (
                "not enough memory; give a smaller input"
                if isinstance(error, MemoryError)
                else with_private_address_hint(error, PRIVATE_URLS_HINT)
            )
            say(err, "error:", f"{spec}: {reason}", "bold red")
            failures += 1
            continue
        printer.article(summary, spec)
    printer.close()
    if failures:
        raise typer.Exit(EXIT_USAGE)


def _summarize_dataset(path: str, options: Options, printer: _Printer, pipe_wait: float) -> bool:
    """One summary per row; bad rows reported on stderr with line, id and reason, the rest go on. True when at
    least one row was summarized (what `highlights batch` would also count a success); a line on stderr says how
    many were not, or why none was."""
    done = skipped = 0
    for record in _until_broken(iter_records(path, pipe_wait=pipe_wait)):
        if record.error is None:
            try:
                summary = summarize(record.article or "", options=options)
            except HighlightsError as error:
                record = replace(record, error=str(error))
            except Exception as error:  # noqa: BLE001 - one row's bug must not cost the other rows, as in batch
                record = replace(record, error=f"internal error ({type(error).__name__}): {error}")
        if record.error is not None:
            say(err, "skipped", f"{path}:{record.line} id={record.id}: {row_reason(record.error, record.line)}")
            skipped += 1
            continue
        printer.row(summary, record, path)
        done += 1
    if not done:
        why = f"none of its {_rows(skipped)} could be summarized (see above)" if skipped else "holds no rows"
        say(err, "error:", f"{path}: {why}", "bold red")
    elif skipped:
        say(err, "note", f"{path}: {_rows(done)} summarized, {skipped:,} skipped (see above)")
    return done > 0


def _rows(count: int) -> str:
    return f"{count:,} row{'' if count == 1 else 's'}"


class _Printer:
    """Prints each summary in the chosen format as it is done. `many`: several inputs or a dataset, so JSON is
    an array of them all (printed as they come, so a large dataset is never held), and the text and Markdown
    formats name each summary."""

    def __init__(self, output: OutputFormat, many: bool) -> None:
        self.output = output
        self.many = many
        self.printed = 0

    def article(self, summary: Summary, spec: str) -> None:
        if self.output is OutputFormat.text:
            _print_summary(summary, show_source=self.many)
        elif self.output is OutputFormat.markdown:
            self._named(summary.source or spec, summary)
        else:
            self._json(to_dict(summary))

    def row(self, summary: Summary, record: Record, path: str) -> None:
        """A dataset row: as `highlights batch` writes it (id, file and line first, no text) in JSON."""
        if self.output in (OutputFormat.json, OutputFormat.jsonl):
            self._json(to_row(summary, record.id, clean_text(path), record.line))
        else:
            self._named(record.id, summary)

    def _named(self, name: str, summary: Summary) -> None:
        if self.many:
            print(f"## {name}")
        print(render(summary, "markdown" if self.output is OutputFormat.markdown else "text"))  # json goes to _json
        if self.many:
            print()

    def _json(self, value: dict) -> None:
        if self.output is OutputFormat.jsonl:
            print(json.dumps(value, ensure_ascii=False))
        elif not self.many:
            print(json.dumps(value, ensure_ascii=False, indent=2))
        else:
            text = textwrap.indent(json.dumps(value, ensure_ascii=False, indent=2), "  ")
            print("," if self.printed else "[", text, sep="\n", end="")
        self.printed += 1

    def close(self) -> None:
        if self.output is OutputFormat.json and self.many:
            print("\n]" if self.printed else "[]")


def _until_broken(records: Iterator[Record]) -> Iterator[Record]:
    """`records`, then one bad record if the file breaks part-way (a truncated gzip, a corrupt Parquet file)."""
    line = 0
    try:
        for record in records:
            line = record.line
            yield record
    except READ_ERRORS as error:
        if isinstance(error, HighlightsError):  # the file cannot be read at all: the caller says so
            raise
        yield Record(f"row-{line + 1}", None, [], line + 1, f"cannot read the rest of the file: {error}")


def _print_summary(summary: Summary, show_source: bool) -> None:
    """The text format; JSON and Markdown carry the warnings themselves, here they go to stderr."""
    # The article's words are text, never rich markup: a "[/b]" in a title or a bullet is printed as it is.
    out = Console(highlight=False, soft_wrap=True, markup=False)
    if show_source and summary.source:
        out.print(summary.source, style="dim")
    # Warnings go to stderr, like errors, so that stdout stays the bullets.
    where = f"{summary.source}: " if show_source and summary.source else ""
    for warning in summary.warnings:
        say(err, "warning:", where + warning, "bold yellow")
    if summary.title:
        out.print(summary.title, style="bold")
    if summary.author or summary.kind == "opinion":
        out.print(f"{'By ' + summary.author + ' · ' if summary.author else ''}{summary.kind}", style="dim")
    out.print(render(summary, "text", warnings=False))
    if summary.reference_highlights:
        from highlights.evaluate.rouge import rouge

        out.print("\nThe page's own highlights", style="bold")
        for bullet in summary.reference_highlights:
            out.print(f"• {bullet}")
        scores = rouge(summary.bullets, summary.reference_highlights)
        table = Table("ROUGE-1", "ROUGE-2", "ROUGE-Lsum", title="Ours against the page's highlights (F1 × 100)")
        table.add_row(*(f"{scores[k]:.2f}" for k in ("rouge1", "rouge2", "rougeLsum")))
        out.print(table)
    if show_source:
        out.print()


@app.command("methods")
def methods_command() -> None:
    """List the scoring methods, what each does, and which is the default."""
    names = methods()
    width = max(map(len, names))
    defaults = {DEFAULT_METHOD: " (default)", FALLBACK_METHOD: " (default for text in other languages)"}
    for name in names:
        print(f"{name:<{width}}  {method_description(get_scorer(name))}{defaults.get(name, '')}")


@app.command("train")
def train_command(
    data: Annotated[
        Path,
        typer.Argument(
            help="Lowercased PTB-tokenized training rows (JSONL/CSV/Parquet, gzip ok), "
            "e.g. ../shared/data/cnndm/train-lowertok.jsonl.gz."
        ),
    ],
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="Folder for the model files. The shipped model is src/highlights/models."),
    ] = Path("models"),
    limit: Annotated[Optional[int], typer.Option(min=2, help="Use only the first N usable rows.")] = None,
    workers: Annotated[
        int, typer.Option("--workers", "-w", min=1, help="Processes for features, threads for LightGBM.")
    ] = 2,
    seed: Annotated[int, typer.Option(help="Seed (same data + same seed = same model).")] = 13,
    calibration_split: Annotated[
        int,
        typer.Option(
            min=0,
            help="Training rows to hold out of every model, drawn by --seed, to set how many bullets and how "
            "many words each kind of story gets (the calibration offsets), e.g. 6000. 0: no offsets unless "
            "--calibrate-raw.",
        ),
    ] = 0,
    calibrate_raw: Annotated[
        Optional[list[Path]],
        typer.Option(
            help="Raw-text rows to set the offsets on as well, e.g. ../shared/data/cnndm/train-raw-sample.jsonl.gz; "
            "training rows with the same article are held out too. Repeatable."
        ),
    ] = None,
    only_deletions: Annotated[
        bool,
        typer.Option(
            "--only-deletions",
            help="Rebuild only the deletion model (compression), with the learned models already in --out.",
        ),
    ] = False,
) -> None:
    """Build the `learned` method's model from CNN/DailyMail-style rows (reproducible: fixed seed)."""
    try:
        from highlights.train import train
    except ImportError as error:
        raise fail(f"training needs LightGBM: {error}") from None
    for path in (data, *(calibrate_raw or ())):
        if not path.is_file():
            raise fail(f"no such file: {path}")
    if only_deletions:
        from highlights.train import training_rows
        from highlights.train_deletions import train_deletion_model

        start = time.perf_counter()
        try:  # the rows the learned models were fitted on: the same calibration rows held out
            rows = training_rows(
                data, limit=limit, calibration_size=calibration_split, seed=seed, calibrate_raw=calibrate_raw or []
            ).fit
            files = train_deletion_model(
                rows, out, workers=workers, seed=seed, log=lambda m: err.print(m, style="dim", markup=False)
            )
        except (HighlightsError, OSError) as error:
            raise fail(str(error)) from None
        print(f"deletion model trained in {time.perf_counter() - start:.0f} s")
        for path in files:
            print(f"  {path} ({path.stat().st_size / 1e6:.2f} MB)")
        return
    try:
        result = train(
            data,
            out,
            limit=limit,
            workers=workers,
            seed=seed,
            calibration_size=calibration_split,
            calibrate_raw=calibrate_raw or [],
            log=lambda m: err.print(m, style="dim", markup=False),
        )
    except (HighlightsError, OSError) as error:
        raise fail(str(error)) from None
    print(f"trained on {result.articles} articles ({result.sentences} sentences) in {result.seconds:.0f} s")
    for path in result.files:
        print(f"  {path} ({path.stat().st_size / 1e6:.2f} MB)")


@app.command("train-furniture")
def train_furniture_command(
    pages: Annotated[
        Path,
        typer.Argument(
            help="Pages with people's annotated body (id, html, page_text, gold_body), "
            "e.g. ../shared/data/pages/dev.jsonl.gz."
        ),
    ],
    articles: Annotated[
        Path, typer.Option(help="Raw-text article rows wrapped in the pages' furniture as synthetic pages.")
    ] = Path("../shared/data/cnndm/train-raw-sample.jsonl.gz"),
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="Folder for the model files. The shipped model is src/highlights/models."),
    ] = Path("models"),
    seed: Annotated[int, typer.Option(help="Seed (same data + same seed = same model).")] = 13,
) -> None:
    """Build the page-furniture model that finds the article in a page's text (reproducible: fixed seed)."""
    from highlights.train_furniture import train

    for path in (pages, articles):
        if not path.is_file():
            raise fail(f"no such file: {path}")
    start = time.perf_counter()
    try:
        meta = train(pages, articles, out, seed=seed, log=lambda m: err.print(m, style="dim", markup=False))
    except (HighlightsError, OSError, KeyError, ValueError) as error:
        raise fail(f"cannot train on {pages}: {error}") from None
    scores = meta["out_of_fold_f1"]
    print(
        f"furniture model trained in {time.perf_counter() - start:.0f} s: out-of-fold body F1 "
        f"{scores['page_texts']:.4f} on page texts (switch cost {meta['switch_cost']:g}), "
        f"{scores['main_texts']:.4f} on HTML main texts (offset {meta['extracted_offset']:g}) → {out}"
    )


# Subcommands live in their own packages; their heavy dependencies (FastAPI, Ray) load only when run.
app.command("serve")(serve_command)
app.command("batch", help=BATCH_HELP)(batch_command)
app.command("eval")(eval_command)
app.command("eval-pages")(eval_pages_command)


def run() -> None:
    """Console-script entry point: a closed pipe or Ctrl-C ends quietly."""
    try:
        app()
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(0)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    run()
