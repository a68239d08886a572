"""Batch benchmarks: throughput with 1 and N workers, local vs Ray on the same input, memory over a long job.

    python benchmarks/batch.py scaling --copies 3            # validation-raw ×3, 1 vs 2 workers, local engine
    python benchmarks/batch.py ray --copies 2                # local vs Ray, 2 workers each
    python benchmarks/batch.py memory --copies 100           # ≥100,000 articles, RSS of the process tree over time

The input is ../shared/data/cnndm/validation-raw.jsonl.gz repeated `--copies` times into a temporary file
outside the repository (each copy's ids suffixed `#k`), read at run time, deleted afterwards. Every job runs
`highlights batch` as a subprocess, as a user would, and is timed on the wall clock, start-up included.
Prints Markdown; `scaling --record` writes the batch area (benchmarks/results/batch.json) for
benchmarks/render_results.py.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import recording

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT.parent / "shared" / "data" / "cnndm" / "validation-raw.jsonl.gz"
SUMMARY = re.compile(r"done ([\d,]+) · failed ([\d,]+)")


def make_input(folder: Path, copies: int) -> tuple[Path, int]:
    with gzip.open(SOURCE, "rt", encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    path = folder / f"validation-raw-x{copies}.jsonl"
    with open(path, "w", encoding="utf-8") as handle:
        for copy in range(copies):
            for line in lines:
                row = json.loads(line)
                row["id"] = f"{row['id']}#{copy}"
                handle.write(json.dumps(row) + "\n")
    return path, copies * len(lines)


def run_batch(args: list[str], sample: bool = False) -> dict:
    """Run `highlights batch ARGS`; wall time, rows, and (if `sample`) the process tree's RSS over time."""
    command = [sys.executable, "-m", "highlights.cli", "batch", *args, "--no-progress"]
    cpu_before = _children_cpu()
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    samples = []  # (seconds, rows committed, RSS of the whole tree in MiB)
    progress = Path(args[args.index("-o") + 1] + ".progress")
    while process.poll() is None:
        if sample:
            samples.append((time.perf_counter() - started, _committed(progress), tree_rss_mib(process.pid)))
        time.sleep(0.5)
    wall = time.perf_counter() - started
    cpu = _children_cpu() - cpu_before
    stderr = process.stderr.read()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{stderr}")
    done, failed = (int(x.replace(",", "")) for x in SUMMARY.search(stderr).groups())
    return {"wall": wall, "cpu": cpu, "rows": done + failed, "rate": (done + failed) / wall, "samples": samples}


def _children_cpu() -> float:
    """CPU seconds of finished children and their waited-for descendants (the pool's workers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _committed(progress: Path) -> int:
    try:
        data = json.loads(progress.read_text())
        return data["rows"] + data["errors"]
    except (OSError, ValueError, KeyError):
        return 0


def tree_rss_mib(root: int) -> float:
    """Resident memory of `root` and all its descendants (workers, Ray's processes it started), from /proc."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
                parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, ppid in parents.items():
            if ppid == parent and pid not in tree:
                tree.add(pid)
                frontier.append(pid)
    total_kib = 0
    for pid in tree:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kib += int(line.split()[1])
        except OSError:
            continue
    return total_kib / 1024


def scaling(folder: Path, copies: int, method: str, workers: list[int]) -> tuple[list[list], bool]:
    """Prints the table; returns its rows (unrounded) and whether the outputs of 1 and N workers are identical."""
    path, articles = make_input(folder, copies)
    print(f"validation-raw ×{copies} = {articles:,} articles, method {method}, local engine\n")
    print(
        "| workers | wall s | articles/s | vs 1 worker | CPU s | CPU ms per article | cores busy (CPU/wall) |\n"
        "|---|---|---|---|---|---|---|"
    )
    base = None
    rows = []
    for count in workers:
        result = run_batch([str(path), "-o", str(folder / f"w{count}.jsonl"), "-w", str(count), "-m", method])
        base = base or result["rate"]
        print(
            f"| {count} | {result['wall']:.1f} | {result['rate']:.1f} | {result['rate'] / base:.2f}× "
            f"| {result['cpu']:.1f} | {1000 * result['cpu'] / result['rows']:.1f} "
            f"| {result['cpu'] / result['wall']:.2f} |",
            flush=True,
        )
        rows.append(
            [
                count,
                result["rows"],
                result["wall"],
                result["rate"],
                result["rate"] / base,
                result["cpu"],
                1000 * result["cpu"] / result["rows"],
                result["cpu"] / result["wall"],
            ]
        )
    same = (folder / "w1.jsonl").read_bytes() == (folder / f"w{workers[-1]}.jsonl").read_bytes()
    print(f"\nOutput of 1 and {workers[-1]} workers byte-identical: {same}")
    return rows, same


def record_scaling(run_record: recording.Run, args: argparse.Namespace, rows: list[list], same: bool) -> None:
    columns = [
        recording.Column("workers"),
        recording.Column("articles"),
        recording.Column("wall s", 1),
        recording.Column("articles/s", 1),
        recording.Column("vs 1 worker", 2),
        recording.Column("CPU s", 1),
        recording.Column("CPU ms/article", 1),
        recording.Column("cores busy (CPU/wall)", 2),
    ]
    configuration = {"what": "scaling", "copies": args.copies, "method": args.method, "workers": [1, args.workers]}
    notes = [
        f"`highlights batch` on validation-raw ×{args.copies}, local engine, as a subprocess, timed on the wall "
        "clock from start-up to exit. Output of 1 and "
        f"{args.workers} workers byte-identical: {'yes' if same else '**no**'}."
    ]
    recording.record(run_record, "batch", configuration, columns, rows, notes)


def ray_overhead(folder: Path, copies: int, method: str, workers: int) -> None:
    path, articles = make_input(folder, copies)
    print(f"validation-raw ×{copies} = {articles:,} articles, method {method}, {workers} workers each\n")
    print("| engine | wall s | articles/s | wall vs local |\n|---|---|---|---|")
    base = None
    for engine in ("local", "ray"):
        result = run_batch(
            [str(path), "-o", str(folder / f"{engine}.jsonl"), "-w", str(workers), "-m", method, "--engine", engine]
        )
        base = base or result["wall"]
        print(f"| {engine} | {result['wall']:.1f} | {result['rate']:.1f} | {result['wall'] / base:.2f}× |", flush=True)
    same = (folder / "local.jsonl").read_bytes() == (folder / "ray.jsonl").read_bytes()
    print(f"\nOutput of the two engines byte-identical: {same}")


def memory(folder: Path, copies: int, method: str, workers: int) -> None:
    path, articles = make_input(folder, copies)
    print(
        f"validation-raw ×{copies} = {articles:,} articles ({path.stat().st_size / 2**20:,.0f} MiB of JSONL), "
        f"method {method}, {workers} workers, local engine\n"
    )
    result = run_batch([str(path), "-o", str(folder / "out.jsonl"), "-w", str(workers), "-m", method], sample=True)
    samples = result["samples"]
    print(
        f"{result['rows']:,} rows in {result['wall']:.0f} s ({result['rate']:.0f} articles/s); "
        f"{len(samples)} RSS samples of the process tree (main + workers), every 0.5 s\n"
    )
    print("| rows done | peak RSS of the tree, MiB |\n|---|---|")
    step = articles // 10
    for decile in range(10):
        low, high = decile * step, (decile + 1) * step
        window = [rss for _, rows, rss in samples if low <= rows < high or (decile == 9 and rows >= low)]
        if window:
            print(f"| {low:,}–{high:,} | {max(window):.0f} |")
    print(f"\nPeak over the whole job: {max(rss for *_, rss in samples):.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["scaling", "ray", "memory"])
    parser.add_argument("--copies", type=int, default=2, help="times validation-raw is repeated")
    parser.add_argument("--method", default="centrality")
    parser.add_argument("--workers", type=int, default=2, help="the N of 1 vs N (and the workers of ray/memory)")
    recording.add_arguments(parser)
    args = parser.parse_args()
    if args.record and args.what != "scaling":
        parser.error("--record records the scaling run (the batch area's table); run scaling with it")
    run_record = recording.start_or_exit(args)
    if not SOURCE.exists():
        raise SystemExit(f"{SOURCE} is not here (../shared holds the data; it is not shipped)")
    print(
        f"`python benchmarks/batch.py {' '.join(sys.argv[1:])}` · {os.cpu_count()} cores · "
        f"load average {os.getloadavg()[0]:.1f} at start · {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n"
    )
    with tempfile.TemporaryDirectory(prefix="highlights-batch-bench-") as tmp:
        folder = Path(tmp)
        if args.what == "scaling":
            rows, same = scaling(folder, args.copies, args.method, [1, args.workers])
            if run_record:
                record_scaling(run_record, args, rows, same)
        elif args.what == "ray":
            ray_overhead(folder, args.copies, args.method, args.workers)
        else:
            memory(folder, args.copies, args.method, args.workers)


if __name__ == "__main__":
    main()
