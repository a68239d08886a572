"""One area's benchmark result as JSON (`benchmarks/results/<area>.json`), which `render_results.py` turns into
that area's table in BENCHMARKS.md.

A benchmark script offers `--record` (`add_arguments`), calls `start()` before it measures, so that a tree with
uncommitted changes, or a `highlights` imported from another checkout, is refused before minutes are spent, and
`record()` with its table when it is done. A result holds:

- `date_utc`, and `commit` with `uncommitted` (the changed paths; empty unless `--allow-dirty` let them by);
- `machine`: CPUs visible, platform, Python, the load average at the start, and how many CPUs other processes
  kept busy on average during the run (the shared development box is rarely idle);
- `command`: the script and its arguments as run, from the repository root;
- `configuration`: what was measured (the script's options), the `highlights` version, and the model folder: a
  digest of its files and its `meta.json`;
- `table`: columns, each with the digits the renderer rounds it to, and rows of unrounded numbers. A cell is a
  number, text, null (nothing to show), an interval (`interval()`) or a difference (`difference()`).

Outputs (`benchmarks/results/`, BENCHMARKS.md) do not make a tree dirty: recording one area after another is
how the page is rebuilt.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import importlib.util
import json
import os
import platform
import resource
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
PAGE = ROOT / "BENCHMARKS.md"
MODELS = ROOT / "src" / "highlights" / "models"
AREAS = ("quality", "budgets", "speed", "memory", "service", "batch")
# What a benchmark writes; a change to them is not a change to what it measures.
OUTPUTS = ("benchmarks/results", "BENCHMARKS.md")


class RecordError(Exception):
    """Why a result cannot be recorded (said to the user, no traceback)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--record",
        action="store_true",
        help=f"write the result to benchmarks/results/AREA.json (then run benchmarks/render_results.py); "
        f"areas: {', '.join(AREAS)}",
    )
    parser.add_argument(
        "--allow-dirty",
        action="store_true",
        help="record even with uncommitted changes (the result names them, and the page says so)",
    )


def interval(mean: float, low: float, high: float) -> dict:
    """A cell: a mean and its 95% interval, rendered `mean [low, high]`."""
    return {"mean": mean, "low": low, "high": high}


def difference(value: float, low: float | None = None, high: float | None = None, p: float | None = None) -> dict:
    """A cell: a signed difference, with its interval and p-value when there are some."""
    return {"difference": value, "low": low, "high": high, "p": p}


@dataclass
class Column:
    name: str
    digits: int | None = None  # what the renderer rounds numbers to; None: shown as they are (counts, text)

    def as_json(self) -> dict:
        return {"name": self.name, "digits": self.digits}


@dataclass
class Run:
    """What is known before measuring: when, what code, what machine, what command."""

    root: Path
    date_utc: str
    commit: str
    uncommitted: list[str]
    command: str
    machine: dict
    started: float
    busy_start: float | None
    own_cpu_start: float
    # CPU seconds of this run's processes that were never waited for through it (a server's workers), which the
    # script measured itself: they are this run's, not other people's.
    unreaped_cpu_s: float = 0.0


def _git(root: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError) as error:
        raise RecordError(f"cannot ask git about {root}: {error}") from None
    return done.stdout


def uncommitted_paths(root: Path) -> list[str]:
    """Paths with uncommitted changes (untracked ones too), benchmark outputs left out."""
    excludes = [f":(exclude){path}" for path in OUTPUTS]
    status = _git(root, "status", "--porcelain", "--", ".", *excludes)
    return [line[3:] for line in status.splitlines() if line.strip()]


def check_imported_from(root: Path) -> None:
    """Refuse when `highlights` would be imported from another checkout than `root`: the numbers would belong to
    that code, not to the commit recorded."""
    spec = importlib.util.find_spec("highlights")
    origin = Path(spec.origin).resolve() if spec and spec.origin else None
    if origin is None or not origin.is_relative_to(root / "src"):
        raise RecordError(
            f"highlights is imported from {origin.parent if origin else 'nowhere'}, not from this checkout's "
            f"{root / 'src'}: install this checkout (pip install -e .) or run with PYTHONPATH=src"
        )


def _busy_cpu_seconds() -> float | None:
    """CPU seconds the whole machine has spent busy since boot (Linux /proc/stat), or None where unknown."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq = (int(value) for value in fields[1:8])
    # Steal (time the host gave to other machines) is left out: it is not work done here.
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def children_cpu_seconds() -> float:
    """CPU seconds of this process's children (and their descendants) that have ended and been waited for."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return children.ru_utime + children.ru_stime


def _own_cpu_seconds() -> float:
    """This process's CPU seconds and its finished children's (benchmarks run their work in subprocesses)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime + children_cpu_seconds()


def machine() -> dict:
    return {
        "cpus_visible": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "platform": f"{platform.system()} {platform.machine()}",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "load_average_at_start": os.getloadavg()[0],
    }


def command_line(argv: list[str], root: Path) -> str:
    """The script and its arguments as run, the script's path relative to the repository root."""
    script = Path(argv[0]).resolve()
    shown = str(script.relative_to(root)) if script.is_relative_to(root) else argv[0]
    return shlex.join([shown, *argv[1:]])


def start(args: argparse.Namespace, root: Path = ROOT) -> Run | None:
    """None when `--record` is not asked; else the run's provenance, or `RecordError` when it cannot be
    recorded (`highlights` from another checkout, uncommitted changes without `--allow-dirty`)."""
    if not args.record:
        return None
    check_imported_from(root)
    return begin(root, sys.argv, allow_dirty=args.allow_dirty)


def begin(root: Path, argv: list[str], *, allow_dirty: bool = False) -> Run:
    """What is known before measuring; `RecordError` on uncommitted changes unless `allow_dirty`."""
    uncommitted = uncommitted_paths(root)
    if uncommitted and not allow_dirty:
        shown = ", ".join(uncommitted[:5]) + (f" and {len(uncommitted) - 5} more" if len(uncommitted) > 5 else "")
        raise RecordError(
            f"uncommitted changes ({shown}): commit them so the result names the code it measured, "
            "or pass --allow-dirty to record it marked as such"
        )
    return Run(
        root=root,
        date_utc=dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M"),
        commit=_git(root, "rev-parse", "HEAD").strip(),
        uncommitted=uncommitted,
        command=command_line(argv, root),
        machine=machine(),
        started=time.monotonic(),
        busy_start=_busy_cpu_seconds(),
        own_cpu_start=_own_cpu_seconds(),
    )


def models(folder: Path = MODELS) -> dict:
    """The model folder measured: a SHA-256 of its files (names and bytes, in name order) and its meta.json."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        digest.update(path.name.encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    meta = folder / "meta.json"
    return {
        "digest": digest.hexdigest(),
        "meta": json.loads(meta.read_text(encoding="utf-8")) if meta.exists() else None,
    }


def _version() -> str:
    # Imported here, when a result is made: render_results reads this module's constants and needs no highlights.
    from highlights.version import __version__

    return __version__


def result(run: Run, area: str, configuration: dict, columns: list[Column], rows: list[list], notes=()) -> dict:
    """The JSON document of one area's result."""
    if area not in AREAS:
        raise ValueError(f"unknown area {area!r}; one of {', '.join(AREAS)}")
    for row in rows:
        if len(row) != len(columns):
            raise ValueError(f"a row of {len(row)} cells under {len(columns)} columns: {row!r}")
    wall = time.monotonic() - run.started
    busy_end = _busy_cpu_seconds()
    measured = {**run.machine, "wall_seconds": wall}
    if run.busy_start is not None and busy_end is not None and wall > 0:
        own = _own_cpu_seconds() - run.own_cpu_start + run.unreaped_cpu_s
        # Whatever the machine was busy with that was not this run: the other people's jobs on a shared box.
        measured["other_cpus_busy"] = max(0.0, (busy_end - run.busy_start - own) / wall)
    return {
        "area": area,
        "date_utc": run.date_utc,
        "commit": run.commit,
        "uncommitted": run.uncommitted,
        "machine": measured,
        "command": run.command,
        "configuration": {
            **configuration,
            "highlights": _version(),
            "models": models(run.root / "src" / "highlights" / "models"),
        },
        "table": {"columns": [column.as_json() for column in columns], "rows": rows},
        "notes": list(notes),
    }


def record(run: Run, area: str, configuration: dict, columns: list[Column], rows: list[list], notes=()) -> Path:
    """Write the result to `<root>/benchmarks/results/<area>.json`; returns the path."""
    document = result(run, area, configuration, columns, rows, notes)
    folder = run.root / "benchmarks" / "results"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{area}.json"
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"recorded {path.relative_to(run.root)}; run benchmarks/render_results.py to update BENCHMARKS.md")
    return path


def start_or_exit(args: argparse.Namespace) -> Run | None:
    """`start()` for a script's main: a refusal ends the script with its reason, not a traceback."""
    try:
        return start(args)
    except RecordError as error:
        sys.exit(f"cannot record: {error}")
