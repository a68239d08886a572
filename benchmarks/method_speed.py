"""Whole-pipeline speed and peak memory of scoring methods, side by side, on one core.

Each method runs in its own fresh Python process (so its peak RSS is its own), pinned to one thread
(BLAS and LightGBM), summarizing every article of a dataset through `summarize()` — ingest, sentences,
scoring, selection — after one warm-up article. The methods take turns for `--rounds` rounds, so load drift
on a shared machine hits them alike; the table keeps each method's best round and the ratio to `lead`.

    .venv/bin/python benchmarks/method_speed.py ../shared/data/cnndm/validation-raw.jsonl.gz
    .venv/bin/python benchmarks/method_speed.py DATA --methods lead,learned,lead:compress=false,learned:compress=false

A method is a name, or `NAME:compress=false` for whole-sentence bullets (compression is on by default).
`--record` writes the speed and memory areas (benchmarks/results/speed.json, memory.json) for
benchmarks/render_results.py.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys

import recording

CHILD = r"""
import json, resource, sys, time
from highlights import summarize
from highlights.evaluate.data import load_dataset
articles = [a.text for a in load_dataset(sys.argv[1], limit=int(sys.argv[3]) or None).articles]
method, _, option = sys.argv[2].partition(":")
compress = option != "compress=false"
summarize(articles[0], method=method, compress=compress)  # load models before timing
times = []
for text in articles:
    start = time.perf_counter()
    summarize(text, method=method, compress=compress)
    times.append(time.perf_counter() - start)
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"times": times, "peak_mb": peak_kb / 1024}))
"""

ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def run(data: str, method: str, limit: int) -> dict:
    env = {**os.environ, **ONE_THREAD}
    out = subprocess.run(
        [sys.executable, "-c", CHILD, data, method, str(limit)], env=env, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data")
    parser.add_argument("--methods", default="lead,centrality,learned")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--limit", type=int, default=0, help="first N articles (0 = all)")
    recording.add_arguments(parser)
    args = parser.parse_args()
    run_record = recording.start_or_exit(args)
    methods = args.methods.split(",")
    best: dict[str, dict] = {}
    for _ in range(args.rounds):
        for method in methods:
            result = run(args.data, method, args.limit)
            total = sum(result["times"])
            if method not in best or total < best[method]["total"]:
                best[method] = {
                    "total": total,
                    "n": len(result["times"]),
                    "median_ms": statistics.median(result["times"]) * 1000,
                    "peak_mb": result["peak_mb"],
                }
            best[method]["peak_mb"] = max(best[method]["peak_mb"], result["peak_mb"])
    base = best.get("lead")
    print("| method | articles | articles/s | median ms/article | time vs lead | peak RSS MB |")
    print("|---|---|---|---|---|---|")
    for method in methods:
        b = best[method]
        ratio = f"{b['total'] / base['total']:.2f}×" if base else "–"
        print(
            f"| {method} | {b['n']} | {b['n'] / b['total']:.1f} | {b['median_ms']:.2f} | {ratio} | {b['peak_mb']:.0f} |"
        )
    if run_record:
        record(run_record, args, methods, best)


def record(run_record: recording.Run, args: argparse.Namespace, methods: list[str], best: dict[str, dict]) -> None:
    """The speed and memory areas, from the same runs."""
    configuration = {
        "data": args.data,
        "methods": methods,
        "rounds": args.rounds,
        "limit": args.limit or None,
        "threads": ONE_THREAD,
    }
    base = best.get("lead")
    speed_rows = [
        [
            method,
            best[method]["n"],
            best[method]["n"] / best[method]["total"],
            best[method]["median_ms"],
            best[method]["total"] / base["total"] if base else None,
        ]
        for method in methods
    ]
    speed_columns = [
        recording.Column("method"),
        recording.Column("articles"),
        recording.Column("articles/s", 1),
        recording.Column("median ms/article", 2),
        recording.Column("time vs lead", 2),
    ]
    recording.record(
        run_record,
        "speed",
        configuration,
        speed_columns,
        speed_rows,
        notes=[
            f"Each method in a fresh process on one thread, its best of {args.rounds} rounds (the methods take "
            "turns); `summarize()` on each article after one warm-up article, wall clock."
        ],
    )
    memory_rows = [[method, best[method]["n"], best[method]["peak_mb"]] for method in methods]
    memory_columns = [recording.Column("method"), recording.Column("articles"), recording.Column("peak RSS MiB", 0)]
    recording.record(
        run_record,
        "memory",
        configuration,
        memory_columns,
        memory_rows,
        notes=[
            "Peak resident memory of each method's process (Python, the models it loads, every article), the "
            f"highest of its {args.rounds} rounds."
        ],
    )


if __name__ == "__main__":
    main()
