"""Batch summarization of large datasets: every core, a progress bar, crash-safe resume, Ray for clusters.

inputs.py      input files in order; rows as `Item`s keyed by (file, record), `Position` to resume
work.py        one row → one JSON line (summary or error), the same in every engine
journal.py     crash-safe output (JSONL or Parquet parts), errors file and progress record
local.py       the process-pool engine (ordered, bounded window of chunks)
ray_engine.py  the Ray Data engine (optional extra `highlights[ray]`)
job.py         `run_job`: journal + engine, engine-independent
cli.py         `highlights batch`
"""

from highlights.batch.job import Engine, Job, Report, run_job
from highlights.batch.work import Settings

__all__ = ["Engine", "Job", "Report", "Settings", "run_job"]
