"""Time and peak memory of summarize() against input size, per kind of input: it must grow linearly (GUIDE §5).

    python benchmarks/scaling.py                                   # every kind, 10 KB to 10 MB, default method
    python benchmarks/scaling.py --kinds bang,short-lines --sizes 10k,100k     # a quick subset
    python benchmarks/scaling.py --method lead --json runs/scaling.json

Kinds: news prose (the shipped example repeated), the same prose as one long line, many short lines without
punctuation, a run of `!`, nested HTML (divs 40 deep, text at every level), and text with no punctuation.
The table gives each kind's time at each size and its growth per 10x of input; the requirement is at most
12x per 10x up to 10 MB (linear work gives 10x or less: fixed costs only lower it).

Each measurement runs in a fresh child process: it builds the input, loads the models on a small article,
then times summarize() (best of --repeat, CPU seconds of the process so that other processes on a shared
machine do not count) and reads its peak RSS. Peak RSS of a fresh process, not tracemalloc: tracemalloc
sees only Python's own allocations (not lxml's trees, LightGBM's or numpy's buffers) and slows Python down
several times, and a peak measured in a process that already handled a larger input would hide a smaller
one's. "added" is the peak minus the RSS just before summarize(): what the call itself needed (about 0 when it
stayed below the peak that loading the models reached).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "river-sensors.txt"
MAX_GROWTH_PER_10X = 12.0
KINDS = ("prose", "long-line", "short-lines", "bang", "nested-html", "no-punctuation")
HTML_DEPTH = 40


def build(kind: str, size: int) -> str:
    """`size` characters of one kind of input (the HTML closes its tags, so it can overshoot by a few)."""
    base = EXAMPLE.read_text(encoding="utf-8")
    if kind == "prose":
        return _repeat(base, size)
    if kind == "long-line":
        return _repeat(" ".join(base.split()) + " ", size)
    if kind == "short-lines":
        rng = random.Random(size)
        words = [w for w in base.lower().split() if w.isalpha()]
        lines = (" ".join(rng.choice(words) for _ in range(rng.randint(1, 3))) for _ in range(size // 8 + 1))
        return "\n".join(lines)[:size]
    if kind == "bang":
        return "!" * size
    if kind == "nested-html":
        sentences = [s.strip() + "." for s in base.replace("\n", " ").split(". ") if s.strip()]
        block = "".join(f"<div><p>{sentences[i % len(sentences)]}</p>" for i in range(HTML_DEPTH))
        block += "</div>" * HTML_DEPTH
        head = "<!doctype html><html><head><title>Sensors</title></head><body><article>"
        tail = "</article></body></html>"
        return head + block * max(1, (size - len(head) - len(tail)) // len(block)) + tail
    if kind == "no-punctuation":
        return _repeat("abc def ghi ", size)
    raise ValueError(f"unknown kind {kind!r}; choose from {', '.join(KINDS)}")


def _repeat(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def _rss_mb() -> float:
    """Resident set size now (Linux /proc), in MB."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 1e6
    except (OSError, ValueError, IndexError):
        return float("nan")


def child(kind: str, size: int, method: str, repeat: int) -> dict:
    """One measurement, in this (fresh) process."""
    from highlights import HighlightsError, summarize

    text = build(kind, size)
    summarize(EXAMPLE.read_text(encoding="utf-8"), method=method)  # warm up: imports, models
    before = _rss_mb()
    best = math.inf
    outcome = "ok"
    for _ in range(repeat):
        start = time.process_time()
        try:
            summary = summarize(text, method=method)
            outcome = f"{len(summary.highlights)} bullets"
        except HighlightsError as error:
            outcome = type(error).__name__
        best = min(best, time.process_time() - start)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6  # KiB on Linux
    return {
        "kind": kind,
        "size": size,
        "chars": len(text),
        "seconds": best,
        "peak_mb": peak,
        "added_mb": peak - before,
        "outcome": outcome,
    }


def measure(kind: str, size: int, method: str, repeat: int, timeout: float) -> dict:
    command = [sys.executable, __file__, "--child", kind, str(size), "--method", method, "--repeat", str(repeat)]
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1")},
        )
    except subprocess.TimeoutExpired:
        return {"kind": kind, "size": size, "seconds": None, "timeout": timeout}
    if done.returncode != 0:
        return {"kind": kind, "size": size, "seconds": None, "error": done.stderr.strip().splitlines()[-1:]}
    return json.loads(done.stdout.splitlines()[-1])


def growth_per_10x(rows: list[dict]) -> list[float | None]:
    """Time ratio of each size to the previous one, scaled to a 10x step of input."""
    out: list[float | None] = []
    for small, large in zip(rows, rows[1:], strict=False):
        if small["seconds"] is None or large["seconds"] is None:
            out.append(None)
            continue
        ratio = large["seconds"] / max(small["seconds"], 1e-3)
        out.append(ratio ** (1 / math.log10(large["size"] / small["size"])))
    return out


def parse_size(text: str) -> int:
    text = text.strip().lower()
    for suffix, factor in (("k", 1_000), ("m", 1_000_000)):
        if text.endswith(suffix):
            return int(float(text[:-1]) * factor)
    return int(float(text))


def label(size: int) -> str:
    return f"{size / 1e6:g} MB" if size >= 1_000_000 else f"{size / 1e3:g} KB"


def table(results: dict[str, list[dict]], sizes: list[int]) -> str:
    header = "| input | " + " | ".join(label(s) for s in sizes) + " | growth per 10x | peak RSS (added) at largest |"
    lines = [header, "|" + "---|" * (len(sizes) + 3)]
    for kind, rows in results.items():
        cells = []
        for row in rows:
            if row["seconds"] is None:
                cells.append(f"> {row['timeout']:.0f} s" if "timeout" in row else "error")
            else:
                cells.append(f"{row['seconds']:.3f} s")
        growth = growth_per_10x(rows)
        worst = max((g for g in growth if g is not None), default=None)
        verdict = "" if worst is None else (" ✓" if worst <= MAX_GROWTH_PER_10X else " ✗")
        growth_text = ", ".join("—" if g is None else f"{g:.1f}x" for g in growth) + verdict
        last = next((r for r in reversed(rows) if r["seconds"] is not None), None)
        memory = f"{last['peak_mb']:.0f} MB ({last['added_mb']:+.0f} MB) at {label(last['size'])}" if last else "—"
        lines.append(f"| {kind} | " + " | ".join(cells) + f" | {growth_text} | {memory} |")
    return "\n".join(lines)


def main() -> None:
    from highlights import DEFAULT_METHOD

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--method", default=DEFAULT_METHOD)
    parser.add_argument("--kinds", default=",".join(KINDS), help=f"comma-separated, from {', '.join(KINDS)}")
    parser.add_argument("--sizes", default="10k,100k,1m,10m", help="characters, comma-separated (k, m suffixes)")
    parser.add_argument("--repeat", type=int, default=3, help="timings per measurement below 5 MB (best counts)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds before a measurement is given up")
    parser.add_argument("--json", help="also write the measurements here")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], int(args.child[1]), args.method, args.repeat)))
        return
    kinds = args.kinds.split(",")
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        parser.error(f"unknown kind {unknown[0]!r}; choose from {', '.join(KINDS)}")
    sizes = sorted(parse_size(s) for s in args.sizes.split(","))
    results: dict[str, list[dict]] = {}
    for kind in kinds:
        results[kind] = []
        for size in sizes:
            repeat = args.repeat if size < 5_000_000 else 1
            row = measure(kind, size, args.method, repeat, args.timeout)
            results[kind].append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
            if row["seconds"] is None:  # larger sizes of a kind that already overran would only overrun longer
                results[kind] += [
                    {"kind": kind, "size": s, "seconds": None, "timeout": args.timeout}
                    for s in sizes[len(results[kind]) :]
                ]
                break
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    print(
        f"method {args.method} · commit {commit.strip()} · {os.cpu_count()} cores · {time.strftime('%Y-%m-%d')} · "
        f"CPU seconds, best of {args.repeat} below 5 MB\n"
    )
    print(table(results, sizes))
    if args.json:
        Path(args.json).write_text(
            json.dumps({"method": args.method, "commit": commit.strip(), "results": results}, indent=1)
        )


if __name__ == "__main__":
    main()
