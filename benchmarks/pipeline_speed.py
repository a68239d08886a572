"""The default pipeline's speed in this checkout and others, side by side on the same articles.

Each checkout runs in its own fresh process (`PYTHONPATH=<checkout>/src`, one thread), summarizes the first
`--warm-up` articles untimed (models loaded, caches filled), then every article with `summarize(text)`, and
reports articles per CPU second. The checkouts take turns for `--rounds` rounds, so load drift on a shared
machine hits them alike; the table keeps each one's best round and its ratio to the first checkout.

    git worktree add /tmp/before a5f34f9
    .venv/bin/python benchmarks/pipeline_speed.py ../shared/data/cnndm/validation-raw.jsonl.gz /tmp/before .
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

CHILD = r"""
import sys, time
from highlights import summarize
from highlights.evaluate.data import load_dataset
texts = [a.text for a in load_dataset(sys.argv[1], limit=int(sys.argv[2]) or None).articles]
for text in texts[: int(sys.argv[3])]:
    summarize(text)
start = time.process_time()
for text in texts:
    summarize(text)
print(len(texts) / (time.process_time() - start))
"""


def articles_per_second(checkout: Path, data: str, limit: int, warm_up: int) -> float:
    env = {
        **os.environ,
        "PYTHONPATH": str(checkout.resolve() / "src"),
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }
    done = subprocess.run(
        [sys.executable, "-c", CHILD, data, str(limit), str(warm_up)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", help="rows with an article (e.g. ../shared/data/cnndm/validation-raw.jsonl.gz)")
    parser.add_argument("checkouts", nargs="+", type=Path, help="checkouts to compare (the first is the baseline)")
    parser.add_argument("--limit", type=int, default=0, help="first N articles only (0: all)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warm-up", type=int, default=20)
    args = parser.parse_args()
    rates: dict[Path, list[float]] = {checkout: [] for checkout in args.checkouts}
    for _ in range(args.rounds):
        for checkout in args.checkouts:
            rates[checkout].append(articles_per_second(checkout, args.data, args.limit, args.warm_up))
    base = max(rates[args.checkouts[0]])
    print("| checkout | best articles/s (CPU) | median | vs first |")
    print("|---|---:|---:|---:|")
    for checkout, values in rates.items():
        print(f"| {checkout} | {max(values):.1f} | {statistics.median(values):.1f} | {max(values) / base:.2f}× |")


if __name__ == "__main__":
    main()
