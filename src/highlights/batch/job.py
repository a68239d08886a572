"""One batch job, engine-independent: open (or resume) the journal, stream rows through an engine in input
order, record each chunk, report counts. The CLI and tests call `run_job`; engines only turn chunks of
`Item`s into `Outcome`s."""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from highlights.batch.inputs import Fields, cpu_count, describe_inputs, iter_items
from highlights.batch.journal import DEFAULT_PART_ROWS, Journal, default_errors_path
from highlights.batch.local import DEFAULT_CHUNK_SIZE, chunked, run_chunks
from highlights.batch.work import Settings


@dataclass(frozen=True, slots=True)
class Job:
    """What to read, what to write, and how to summarize: the same job resumes only with all of these."""

    inputs: list[Path]
    output: Path
    errors: Path | None = None  # default: `journal.default_errors_path(output)`
    parquet: bool = False  # a directory of Parquet parts instead of one JSONL file
    settings: Settings = field(default_factory=Settings)
    fields: Fields = field(default_factory=Fields)

    @property
    def errors_path(self) -> Path:
        return self.errors or default_errors_path(self.output)

    def fingerprint(self) -> dict:
        """JSON-ready identity of the job, stored in the progress record. Engine, workers and chunk size are
        not part of it: they do not change the output. The settings are serialized whole (every field of
        `Options` and `Settings`, nested ones too), so an option added later is part of it without a change here."""
        # A digest, not the list: the record is rewritten at every commit, and a job may read 100,000 files.
        described = json.dumps(describe_inputs(self.inputs), sort_keys=True).encode("utf-8")
        identity = {
            "inputs": {"files": len(self.inputs), "sha256": hashlib.sha256(described).hexdigest()},
            "format": "parquet" if self.parquet else "jsonl",
            # Where the errors go, relative to the output's folder: a resumed job must append to the same file.
            "errors": os.path.relpath(self.errors_path.resolve(), self.output.resolve().parent),
            "settings": asdict(self.settings),
            "fields": asdict(self.fields),
        }
        # As the progress record stores it (a tuple comes back a list, an enum its value), so that the same job
        # compares equal after the round trip.
        return json.loads(json.dumps(identity, default=str))


@dataclass(frozen=True, slots=True)
class Engine:
    name: str = "local"  # "local" or "ray"
    workers: int | None = 1  # None: every core (local), every CPU of the cluster (Ray); the CLI's default
    chunk_size: int = DEFAULT_CHUNK_SIZE
    ray_address: str | None = None  # None: a local Ray instance


@dataclass(slots=True)
class Report:
    done: int = 0  # rows summarized into the output by this run
    failed: int = 0  # rows sent to the errors file by this run
    skipped: int = 0  # rows already handled by an earlier run of the same job
    seconds: float = 0.0
    rows_total: int = 0  # rows in the output when the run ended
    errors_total: int = 0
    already_complete: bool = False

    @property
    def rate(self) -> float:
        return (self.done + self.failed) / self.seconds if self.seconds > 0 else 0.0


def run_job(
    job: Job,
    engine: Engine = Engine(),
    *,
    restart: bool = False,
    part_rows: int = DEFAULT_PART_ROWS,
    on_start: Callable[[int], None] = lambda skipped: None,
    on_chunk: Callable[[int], None] = lambda rows: None,
) -> Report:
    """Run (or resume) `job` to the end. `on_start(skipped)` is called once the resume point is known,
    `on_chunk(n)` after each chunk of `n` rows is recorded."""
    started = time.perf_counter()
    journal = Journal.open(
        job.output,
        job.errors_path,
        job.fingerprint(),
        parquet=job.parquet,
        include_text=job.settings.include_text,
        part_rows=part_rows,
        restart=restart,
    )
    try:
        report = Report(skipped=journal.progress.rows + journal.progress.errors)
        on_start(report.skipped)
        if journal.complete:
            report.already_complete = True
        else:
            if engine.name == "ray":
                from highlights.batch.ray_engine import run_chunks_on_ray  # the optional `ray` extra's engine

                results = run_chunks_on_ray(job.inputs, journal.position, job.fields, job.settings, engine)
            else:
                items = iter_items(job.inputs, journal.position, job.fields)
                results = run_chunks(chunked(items, engine.chunk_size), job.settings, engine.workers or cpu_count())
            for chunk, outcomes in results:
                journal.record(outcomes, chunk[-1].next_position)
                ok = sum(o.ok for o in outcomes)
                report.done += ok
                report.failed += len(outcomes) - ok
                on_chunk(len(outcomes))
            journal.finish()
        report.rows_total, report.errors_total = journal.progress.rows, journal.progress.errors
    finally:
        journal.close()
    report.seconds = time.perf_counter() - started
    return report
