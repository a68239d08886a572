"""Time and peak memory of summarize() against input size: it must grow linearly (GUIDE §5).

    python benchmarks/scaling.py [--method centrality] [--sizes 1,2,4,8]

Inputs are the shipped example article repeated to N megabytes (prose), and the same size of text with no
punctuation at all; time per megabyte should stay flat.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from pathlib import Path

from highlights import summarize

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "river-sensors.txt"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--method", default="centrality")
    parser.add_argument("--sizes", default="1,2,4,8", help="megabytes, comma-separated")
    args = parser.parse_args()
    base = EXAMPLE.read_text()
    summarize(base, method=args.method)  # warm up: imports, model load
    print("| input | MB | seconds | s/MB | peak Python MB |\n|---|---|---|---|---|")
    for mb in (float(s) for s in args.sizes.split(",")):
        n = int(mb * 1_000_000)
        for name, text in (("prose", (base * (n // len(base) + 1))[:n]), ("no punctuation", "abc def ghi " * (n // 12))):
            start = time.perf_counter()
            summarize(text, method=args.method)
            seconds = time.perf_counter() - start
            tracemalloc.start()  # a second pass: tracing slows Python down too much to time it
            summarize(text, method=args.method)
            peak = tracemalloc.get_traced_memory()[1] / 1e6
            tracemalloc.stop()
            print(f"| {name} | {mb:g} | {seconds:.2f} | {seconds / mb:.2f} | {peak:.0f} |")


if __name__ == "__main__":
    main()
