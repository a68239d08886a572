"""Every method at every length budget: ROUGE, length and sentence fragments in one table (issue #22).

    python benchmarks/budgets.py ../shared/data/cnndm/train-raw-sample.jsonl.gz --limit 1000
    python benchmarks/budgets.py ../shared/data/cnndm/validation-raw.jsonl.gz --limit 1000 --json budgets.json
    python benchmarks/budgets.py ../shared/data/cnndm/validation-raw.jsonl.gz \
        ../shared/data/cnndm/validation-lowertok.jsonl.gz --limit 1000 --record     # BENCHMARKS.md, "Budgets"

Systems: each project method (`highlights.score.methods()`: lead, centrality, learned) at the default length,
with `max_words_per_bullet=15` and with `max_words=30`, compressed as shipped; and each method's whole
sentences (`compress=false`) at the default length, the floor for the judge. With the extra `parse` installed,
fitting reads a dependency parse (`compress/syntax.py`); each method then also runs at 15 words a bullet without
it ("rules only"), as an install without the extra would. They run through the eval harness
(`evaluate.harness.evaluate`: the articles as `highlights eval` prepares them, ROUGE by `evaluate.rouge`, systems
interleaved per article), and then the grammar judge (`evaluate.grammar`, extra `highlights[judge]`) reads
every bullet and every reference highlight. Lowercased PTB files (name contains "lowertok") are detokenized
as with `highlights eval --detokenize ptb`.

Prints Markdown: per system ROUGE-1/2/Lsum (F1 × 100, mean over articles), words per bullet, bullets per
article, the share of bullets the judge calls sentence fragments, and the median milliseconds per article;
then the reference highlights' length and fragment share. `--json PATH` writes the rows (with 95% bootstrap
intervals and the judge's counts per reason) and how they were made. With several data files, one table each;
`--record` writes them all as the `budgets` area of BENCHMARKS.md (`recording.py`).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import sys
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

import recording
from highlights.compress import syntax
from highlights.errors import HighlightsError
from highlights.evaluate import grammar
from highlights.evaluate.data import load_dataset
from highlights.evaluate.harness import evaluate, judge_runs, reference_run
from highlights.evaluate.report import Row, json_ready, summarize_run
from highlights.evaluate.systems import System, build_system
from highlights.score import methods

# Each budget as a spec's options (`highlights eval` system specs), and how the table names it.
BUDGETS = {
    "": "default",
    "max_words_per_bullet=15": "max_words_per_bullet=15",
    "max_words=30": "max_words=30",
}
WHOLE_SENTENCES = "compress=false"
RULES_ONLY = "max_words_per_bullet=15"  # the budget run again without the parse, when it is installed
RULES_ONLY_LABEL = f"{RULES_ONLY}, rules only (no parse)"
RESAMPLES = 1000


def system_specs(method_names: list[str]) -> list[tuple[str, str, str]]:
    """(spec, method, budget label) of every system in the table, each method's rows together."""
    specs = []
    for method in method_names:
        for options, budget in BUDGETS.items():
            specs.append((f"{method}:{options}" if options else method, method, budget))
            if options == RULES_ONLY and syntax.available():
                specs.append((f"{method}:{options}", method, RULES_ONLY_LABEL))
        specs.append((f"{method}:{WHOLE_SENTENCES}", method, "default, whole sentences"))
    return specs


@dataclass
class WithoutParse:
    """A system run as if the extra `parse` were absent: fitting sees no parse (`syntax.analyse_all` gives none)."""

    system: System

    @property
    def label(self) -> str:
        return self.system.label

    def run(self, article_id: str, text: str, references: list[str]) -> list[str]:
        analyse_all = syntax.analyse_all
        syntax.analyse_all = _no_parses
        try:
            return self.system.run(article_id, text, references)
        finally:
            syntax.analyse_all = analyse_all


def _no_parses(sentences: list[str]) -> list[syntax.Syntax | None]:
    return [None] * len(sentences)


def _cell(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def markdown(rows: list[tuple[str, str, Row]], reference: Row) -> str:
    lines = [
        "| method | budget | ROUGE-1 | ROUGE-2 | ROUGE-Lsum | words/bullet | bullets | sentence fragments % | ms/article |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for method, budget, row in rows:
        scores = " | ".join(_cell(row.rouge[k].mean) for k in ("rouge1", "rouge2", "rougeLsum"))
        lines.append(
            f"| {method} | {budget} | {scores} | {row.words_per_bullet:.1f} | {row.bullets_per_article:.2f} | "
            f"{_cell(row.sentence_fragment_percent, 1)} | {_cell(row.median_ms, 1)} |"
        )
    lines.append(
        f"| reference highlights | | | | | {reference.words_per_bullet:.1f} | {reference.bullets_per_article:.2f} | "
        f"{_cell(reference.sentence_fragment_percent, 1)} | |"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, nargs="+", help="JSONL / CSV / Parquet with id, article, highlights")
    parser.add_argument("--limit", type=int, help="the first N usable rows")
    parser.add_argument("--methods", help="comma-separated methods [default: every registered one]")
    parser.add_argument("--json", type=Path, help="write the tables and how they were made to this file")
    parser.add_argument("--seed", type=int, default=0, help="seed of the bootstrap intervals")
    recording.add_arguments(parser)
    args = parser.parse_args(argv)
    run_record = recording.start_or_exit(args)

    method_names = args.methods.split(",") if args.methods else methods()
    try:
        grammar.parser()  # a missing extra is said now, not after the systems ran
        specs = system_specs(method_names)
    except HighlightsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    documents = []
    for data in args.data:
        document = measure(data, specs, args.limit, args.seed)
        if document is None:
            return 2
        documents.append(document)
    if args.json:
        command = "python " + shlex.join([sys.argv[0], *(argv if argv is not None else sys.argv[1:])])
        everything = {
            "command": command,
            "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": f"{platform.machine()}, {os.cpu_count()} CPUs visible, Python {platform.python_version()}",
            "sets": documents,
        }
        args.json.write_text(json.dumps(json_ready(everything), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if run_record:
        record(run_record, args, method_names, documents)
    return 0


def measure(data: Path, specs: list[tuple[str, str, str]], limit: int | None, seed: int) -> dict | None:
    """Every system of `specs` on `data`, judged: the table printed, and its rows."""
    detokenize = "ptb" if "lowertok" in data.name else "none"
    try:
        systems = [
            WithoutParse(build_system(spec, detokenize))
            if budget == RULES_ONLY_LABEL
            else build_system(spec, detokenize)
            for spec, _, budget in specs
        ]
        articles = load_dataset(data, limit=limit).articles
    except HighlightsError as error:
        print(f"error: {error}", file=sys.stderr)
        return None

    started = time.perf_counter()
    done = 0

    def progress(label: str) -> None:
        nonlocal done
        done += 1
        if done % (100 * len(systems)) == 0:
            print(
                f"{done // len(systems)} of {len(articles)} articles, {time.perf_counter() - started:.0f} s",
                file=sys.stderr,
            )

    runs = evaluate(systems, articles, detokenize=detokenize, memory_articles=0, on_step=progress)
    systems_seconds = time.perf_counter() - started
    judge_runs(runs, grammar.fragment_reasons)
    reference = reference_run(articles, detokenize, grammar.fragment_reasons)
    judge_seconds = time.perf_counter() - started - systems_seconds

    rows = [
        (method, budget, summarize_run(run, None, resamples=RESAMPLES, seed=seed))
        for (_, method, budget), run in zip(specs, runs)
    ]
    reference_row = summarize_run(reference, None, resamples=RESAMPLES, seed=seed, is_reference=True)
    table = markdown(rows, reference_row)
    print(f"{data.name}: {len(articles):,} articles; systems {systems_seconds:.0f} s, judge {judge_seconds:.0f} s\n")
    print(table + "\n")
    for (spec, _, _), (_, _, row) in zip(specs, rows):
        if row.errors:  # an article a system fails on scores 0 and has no bullets: say so under the table
            print(f"\n{spec}: {row.errors} articles failed, e.g. {row.error_examples[0]['error']}")
    return {
        "data": str(data),
        "articles": len(articles),
        "limit": limit,
        "detokenize": detokenize,
        "seconds": {"systems": systems_seconds, "judge": judge_seconds},
        "rows": [{"method": m, "budget": b, **asdict(row)} for m, b, row in rows],
        "reference": asdict(reference_row),
        "markdown": table,
    }


def record(run_record: recording.Run, args: argparse.Namespace, method_names: list[str], documents: list[dict]) -> None:
    """The budgets area: one row per set, method and budget, and each set's reference highlights."""
    columns = [
        recording.Column("set"),
        recording.Column("method"),
        recording.Column("budget"),
        recording.Column("ROUGE-1", 2),
        recording.Column("ROUGE-2", 2),
        recording.Column("ROUGE-Lsum", 2),
        recording.Column("words/bullet", 1),
        recording.Column("bullets", 2),
        recording.Column("sentence fragments %", 1),
        recording.Column("ms/article", 1),
    ]
    table = []
    for document in documents:
        name = f"{Path(document['data']).name.split('.')[0]} ({document['articles']:,})"
        for row in document["rows"]:
            rouge = [row["rouge"][k]["mean"] for k in ("rouge1", "rouge2", "rougeLsum")]
            table.append(
                [
                    name,
                    row["method"],
                    row["budget"],
                    *rouge,
                    row["words_per_bullet"],
                    row["bullets_per_article"],
                    row["sentence_fragment_percent"],
                    row["median_ms"],
                ]
            )
        reference = document["reference"]
        table.append(
            [
                name,
                "reference highlights",
                None,
                None,
                None,
                None,
                reference["words_per_bullet"],
                reference["bullets_per_article"],
                reference["sentence_fragment_percent"],
                None,
            ]
        )
    configuration = {
        "data": [str(d) for d in args.data],
        "limit": args.limit,
        "methods": method_names,
        "parse": syntax.available(),
    }
    notes = [
        "Sentence fragments: the grammar judge (evaluate/grammar.py, a spaCy parse sharing no code with the guard); "
        "whole sentences are its floor (parser noise).",
        "Fitting reads the same spaCy model's parse when the extra `parse` is installed (compress/syntax.py): the "
        "judge is then not independent of the cuts it judges, so the rules-only rows and bullets read by hand "
        "are the check.",
    ]
    recording.record(run_record, "budgets", configuration, columns, table, notes)


if __name__ == "__main__":
    sys.exit(main())
