"""Fuzz campaign: many generated inputs through summarize() (and ingest + segment), every result checked.

    python benchmarks/fuzz.py --inputs 1000000 --workers 2 --seed 1          # a full campaign
    python benchmarks/fuzz.py --seconds 600                                 # as many as fit in 10 minutes
    python benchmarks/fuzz.py --inputs 2000 --strategies news,html --out runs/fuzz-html

Strategies (share of the inputs by `--weights`): the seeded grammars of `tests/fuzz_strategies.py` (text,
bytes, news, html, encoded, pathological), `segment` (ingest + segment alone on those grammars, the cheap
stages), `hypothesis` (the same grammars driven by hypothesis' engine outside pytest) and `atheris`
(coverage-guided bytes from libFuzzer, in a child process; skipped with a note when atheris is missing).
Each input is checked as the property tests do (`fuzz_strategies.run_case`): only HighlightsError escapes,
results encode as UTF-8, spans rebuild every bullet, and time stays within `time_allowed(len(input))`.

Everything lands under `--out` (default runs/fuzz/seed-N): `failures/<signature>/*.json` (each a `FuzzCase`
that `FuzzCase.from_json` reloads, with the error and traceback), `minimized.json` (the smallest input found
for each signature), `slowest.json`, and `summary.json` + `summary.md` with the counts.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import resource
import signal
import subprocess
import sys
import time
import traceback
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # fuzz_strategies: the grammars and invariants the tests use too
# highlights and fuzz_strategies are imported inside the functions: the atheris child has to import highlights
# under atheris' instrumentation, which only covers modules imported after it starts.

NATIVE = ("text", "bytes", "news", "html", "encoded", "pathological")
DEFAULT_WEIGHTS = "text=15,bytes=10,news=20,html=3,encoded=8,pathological=4,segment=25,hypothesis=3,atheris=10"
SEGMENT_GRAMMARS = ("text", "news", "encoded", "pathological")  # HTML goes to trafilatura: not cheap
CHUNK_INPUTS = {"hypothesis": 250, "atheris": 20_000}
DEFAULT_CHUNK = 1_000
LARGE_SCALE = 40  # a large input repeats its grammar's parts this many times (tens to hundreds of kilobytes)
SAVED_PER_SIGNATURE = 3  # example files kept per failure signature in each chunk
ATHERIS_MAX_LEN = 4096


# --- One input ---------------------------------------------------------------------------------------------


class Hang(BaseException):
    """An input ran past --hang-seconds (raised from SIGALRM). Not an Exception, so that no `except Exception`
    in the code under test swallows it."""


@dataclass
class ChunkStats:
    """What one chunk of one strategy saw; chunks add up into the campaign's totals."""

    strategy: str
    inputs: int = 0
    chars: int = 0
    seconds: float = 0.0  # CPU seconds inside run_case, summed over the inputs
    cpu_seconds: float = 0.0  # CPU seconds of the whole chunk: generating, running, checking, saving
    outcomes: Counter = field(default_factory=Counter)  # "ok" or the HighlightsError class name
    failures: dict[str, dict[str, Any]] = field(default_factory=dict)  # signature -> count, kind, message, files
    slowest: dict[str, Any] | None = None  # seconds, chars and the case itself

    def add(self, other: ChunkStats) -> None:
        self.inputs += other.inputs
        self.chars += other.chars
        self.seconds += other.seconds
        self.cpu_seconds += other.cpu_seconds
        self.outcomes.update(other.outcomes)
        for signature, failure in other.failures.items():
            mine = self.failures.setdefault(signature, {**failure, "count": 0, "files": []})
            mine["count"] += failure["count"]
            mine["files"] = (mine["files"] + failure["files"])[:10]
        if other.slowest and (not self.slowest or other.slowest["seconds"] > self.slowest["seconds"]):
            self.slowest = other.slowest


def failure_signature(error: BaseException) -> tuple[str, str]:
    """(kind, signature): violations group by invariant; crashes by type and where they were raised."""
    from fuzz_strategies import Violation

    if isinstance(error, Violation):
        return "violation", f"violation-{error.kind}"
    if isinstance(error, Hang):
        return "violation", "violation-hang"
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if "/highlights/" in f.filename and "/tests/" not in f.filename]
    where = [frames[-1]] if frames else []
    if ours and ours[-1] is not frames[-1]:
        where.insert(0, ours[-1])
    place = " <- ".join(f"{Path(f.filename).name}:{f.lineno}:{f.name}" for f in reversed(where))
    return "crash", f"{type(error).__name__} at {place}"


def slug(signature: str) -> str:
    readable = re.sub(r"[^A-Za-z0-9]+", "-", signature)[:60].strip("-")
    return f"{readable}-{hashlib.sha1(signature.encode()).hexdigest()[:8]}"


def _alarm(signum: int, frame: Any) -> None:
    raise Hang()


def run_one(case: Any, stats: ChunkStats, out: Path, label: str, hang_seconds: float | None) -> None:
    """Run one case, count its outcome, and save it when it crashes or breaks an invariant."""
    from fuzz_strategies import run_case, time_allowed

    error: BaseException | None = None
    start = time.process_time()  # CPU time, as `timed_run`: other processes' turns are not the input's cost
    try:
        if hang_seconds:
            signal.setitimer(signal.ITIMER_REAL, hang_seconds)
        stats.outcomes[run_case(case)] += 1
    except (Exception, Hang) as caught:  # noqa: BLE001 - every escape is what the campaign looks for
        error = caught
    finally:
        if hang_seconds:
            signal.setitimer(signal.ITIMER_REAL, 0)
    seconds = time.process_time() - start
    size = len(case.content)
    stats.inputs += 1
    stats.chars += size
    stats.seconds += seconds
    if not stats.slowest or seconds > stats.slowest["seconds"]:
        stats.slowest = {"seconds": seconds, "chars": size, "strategy": stats.strategy, "case": case.to_json()}
    if error is None and seconds > time_allowed(size):
        from fuzz_strategies import Violation

        error = Violation("slow", f"{seconds:.1f} s for {size:,} characters ({case.stage}, {case.method})")
    if error is not None:
        save_failure(error, case, stats, out, label)


def save_failure(error: BaseException, case: Any, stats: ChunkStats, out: Path, label: str) -> None:
    kind, signature = failure_signature(error)
    failure = stats.failures.setdefault(signature, {"kind": kind, "count": 0, "message": str(error)[:500], "files": []})
    failure["count"] += 1
    if len(failure["files"]) >= SAVED_PER_SIGNATURE:
        return
    folder = out / "failures" / slug(signature)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{label}-{stats.inputs}.json"
    record = {
        "signature": signature,
        "kind": kind,
        "strategy": stats.strategy,
        "error": f"{type(error).__name__}: {str(error)[:2000]}",
        "traceback": "".join(traceback.format_exception(error))[-6000:],
        "case": case.to_json(),
    }
    path.write_text(json.dumps(record, indent=1))
    failure["files"].append(str(path))


# --- Workers -------------------------------------------------------------------------------------------------


def warm_up() -> None:
    """Load every model once per worker, and take each grammar down its paths once (trafilatura, the charset
    guesser and dateparser each load or compile more the first time), so that no input is charged for it."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")  # one process per core already; no thread oversubscription
    from fuzz_strategies import GRAMMARS, FuzzCase, RandomDraw, draw_case, run_case

    cp1252 = "Le maire a parlé à la réunion. Ça va être difficile.".encode("cp1252") * 20  # not UTF-8
    # A time of day in a page sends htmldate to dateparser, which compiles its 200 locales' patterns (1.4 s).
    dated = "<html><head><title>Bridge</title></head><body><p>Sen. 10:30 . The mayor spoke on Monday.</p></body></html>"
    draw = RandomDraw(random.Random("warm-up"))
    cases = [FuzzCase(cp1252), FuzzCase(dated)] + [draw_case(draw, grammar) for _ in range(30) for grammar in GRAMMARS]
    for case in cases:
        try:
            run_case(case)
        except Exception:  # noqa: BLE001, S112 - failures are the campaign's business, not the warm-up's
            continue


def native_chunk(
    strategy: str,
    seed: int,
    index: int,
    inputs: int,
    deadline: float | None,
    out: str,
    large_share: float,
    hang_seconds: float,
) -> ChunkStats:
    """`inputs` cases from one seeded grammar (or from several, for `segment`)."""
    from fuzz_strategies import RandomDraw, draw_case

    started = time.process_time()
    rng = random.Random(f"{seed}/{strategy}/{index}")
    draw = RandomDraw(rng)
    stats = ChunkStats(strategy)
    signal.signal(signal.SIGALRM, _alarm)
    for _ in range(inputs):
        if deadline is not None and time.time() > deadline:
            break
        scale = LARGE_SCALE if rng.random() < large_share else 1
        if strategy == "segment":
            case = draw_case(draw, rng.choice(SEGMENT_GRAMMARS), scale, stage="segment")
        else:
            case = draw_case(draw, strategy, scale)
        run_one(case, stats, Path(out), f"{strategy}-{index}", hang_seconds)
    stats.cpu_seconds = time.process_time() - started
    return stats


def hypothesis_chunk(
    strategy: str,
    seed: int,
    index: int,
    inputs: int,
    deadline: float | None,
    out: str,
    large_share: float,
    hang_seconds: float,
) -> ChunkStats:
    """Hypothesis' engine generating cases from every grammar, outside pytest; failures are recorded, not
    raised, so that one bug does not end the chunk (the property tests shrink; `minimize` does it here)."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hypothesis_seed

    from fuzz_strategies import cases

    started = time.process_time()
    stats = ChunkStats(strategy)
    signal.signal(signal.SIGALRM, _alarm)

    @hypothesis_seed(seed * 1_000_003 + index)
    @settings(
        max_examples=inputs,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(cases())
    def fuzz(case: Any) -> None:
        if deadline is None or time.time() <= deadline:
            run_one(case, stats, Path(out), f"{strategy}-{index}", hang_seconds)

    fuzz()
    stats.cpu_seconds = time.process_time() - started
    return stats


def atheris_chunk(
    strategy: str,
    seed: int,
    index: int,
    inputs: int,
    deadline: float | None,
    out: str,
    large_share: float,
    hang_seconds: float,
) -> ChunkStats:
    """libFuzzer through atheris in a child process (atheris.Fuzz() never returns); the child writes its
    counts and failures where this process reads them."""
    seconds = max(1, int(deadline - time.time())) if deadline is not None else 0
    stats_path = Path(out) / "atheris" / f"stats-{index}.json"
    corpus = Path(out) / "atheris" / "corpus"  # shared by the chunks: coverage found once is kept
    corpus.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        __file__,
        "--atheris-child",
        "--out",
        out,
        "--seed",
        str(seed * 1000 + index),
        "--inputs",
        str(inputs),
        "--hang-seconds",
        str(hang_seconds),
        "--atheris-stats",
        str(stats_path),
        "--seconds",
        str(seconds),
    ]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    stats = ChunkStats(strategy)
    if stats_path.exists():
        saved = json.loads(stats_path.read_text())
        stats = ChunkStats(
            strategy,
            inputs=saved["inputs"],
            chars=saved["chars"],
            seconds=saved["seconds"],
            outcomes=Counter(saved["outcomes"]),
            failures=saved["failures"],
            slowest=saved["slowest"],
        )
    done = re.search(r"Done (\d+) runs", result.stderr)
    if done:
        stats.inputs = max(stats.inputs, int(done.group(1)))
    stats.cpu_seconds = (children.ru_utime + children.ru_stime) - (children_before.ru_utime + children_before.ru_stime)
    # A libFuzzer timeout or a crash of the interpreter itself ends the child with an artifact file.
    artifact = re.search(r"Test unit written to (\S+)", result.stderr)
    if result.returncode != 0 and (artifact or "ALARM" in result.stderr):
        signature = (
            "violation-hang"
            if "ALARM" in result.stderr or "timeout" in result.stderr
            else f"atheris-exit-{result.returncode}"
        )
        stats.failures.setdefault(
            signature,
            {
                "kind": "violation" if "hang" in signature else "crash",
                "count": 0,
                "message": result.stderr[-500:],
                "files": [],
            },
        )
        stats.failures[signature]["count"] += 1
        if artifact:
            stats.failures[signature]["files"].append(artifact.group(1))
    return stats


def atheris_child(args: argparse.Namespace) -> None:
    """Runs inside the child: instrument highlights, then let libFuzzer drive `one_input` until done."""
    import atheris

    with atheris.instrument_imports(include=["highlights"]):
        import highlights.compress.deletions  # noqa: F401
        import highlights.pipeline  # noqa: F401 - loaded here so that its code is instrumented
        import highlights.score.centrality  # noqa: F401
        import highlights.score.lead  # noqa: F401
        import highlights.score.learned  # noqa: F401
        import highlights.segment  # noqa: F401
    from fuzz_strategies import METHODS, FuzzCase

    warm_up()
    out = Path(args.out)
    stats = ChunkStats("atheris")
    stats_path = Path(args.atheris_stats)
    last_write = [time.time()]

    def write_stats() -> None:
        stats_path.parent.mkdir(parents=True, exist_ok=True)
        temporary = stats_path.with_suffix(".tmp")
        temporary.write_text(
            json.dumps(
                {
                    "inputs": stats.inputs,
                    "chars": stats.chars,
                    "seconds": stats.seconds,
                    "outcomes": stats.outcomes,
                    "failures": stats.failures,
                    "slowest": stats.slowest,
                }
            )
        )
        temporary.replace(stats_path)
        last_write[0] = time.time()

    def one_input(data: bytes) -> None:
        # Byte 0 picks the configuration, byte 1 how the rest becomes content.
        config, mode, body = (data[0] if data else 0), (data[1] if len(data) > 1 else 0), data[2:]
        if mode % 4 == 0:
            content: str | bytes = body
        elif mode % 4 == 1:
            content = body.decode("utf-8", errors="surrogateescape")  # invalid bytes become lone surrogates
        elif mode % 4 == 2:
            content = body.decode("utf-16-le", errors="surrogatepass") if len(body) % 2 == 0 else body.decode("latin-1")
        else:
            content = body.decode("utf-8", errors="replace")
        case = FuzzCase(
            content,
            method=METHODS[config % 3],
            compress=bool(config & 4),
            format=("auto", "text", "html", "auto")[(config >> 3) & 3],
            stage="segment" if config & 32 else "summarize",
            bullets=(None, 1, 2, 5)[(config >> 6) & 3],
        )
        failures = len(stats.failures)
        run_one(case, stats, out, f"atheris-{args.seed}", None)  # libFuzzer's own -timeout catches hangs
        # libFuzzer ends the process with exit(), past any atexit hook: write often (its "Done N runs" line
        # gives the exact count; at most the last 50 outcomes go uncounted).
        if len(stats.failures) != failures or stats.inputs % 50 == 0 or time.time() - last_write[0] > 2:
            write_stats()

    seeds = out / "atheris" / "corpus"
    if not any(seeds.iterdir()):
        example = (ROOT / "examples" / "river-sensors.txt").read_bytes()
        for k, text in enumerate(
            [
                example[:2000],
                b"<html><body><p>The mayor spoke.</p></body></html>",
                b"Story highlights\nA bullet\n\nBODY (CNN) -- Text. More text!",
            ]
        ):
            (seeds / f"seed-{k}").write_bytes(bytes([k, k]) + text)
    libfuzzer = [
        sys.argv[0],
        f"-runs={args.inputs}",
        f"-seed={args.seed % 2**31 + 1}",
        f"-max_len={ATHERIS_MAX_LEN}",
        f"-timeout={int(args.hang_seconds)}",
        f"-artifact_prefix={out}/atheris/",
        "-rss_limit_mb=4096",
        "-print_final_stats=0",
        str(seeds),
    ]
    if args.seconds:
        libfuzzer.insert(2, f"-max_total_time={int(args.seconds)}")
    write_stats()
    atheris.Setup(libfuzzer, one_input)
    atheris.Fuzz()


def atheris_available() -> str | None:
    """None when atheris runs here, else why not."""
    try:
        import atheris  # noqa: F401
    except ImportError as error:
        return f"atheris is not installed ({error}); pip install atheris"
    return None


# --- Campaign ------------------------------------------------------------------------------------------------

RUNNERS = {
    **dict.fromkeys(NATIVE, native_chunk),
    "segment": native_chunk,
    "hypothesis": hypothesis_chunk,
    "atheris": atheris_chunk,
}


def chunk_size(strategy: str, default: int) -> int:
    return CHUNK_INPUTS.get(strategy, default)


def campaign(args: argparse.Namespace) -> dict[str, Any]:
    weights = parse_weights(args.weights, args.strategies)
    notes = []
    if "atheris" in weights and (why := atheris_available()):
        notes.append(why)
        del weights["atheris"]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    total_weight = sum(weights.values())
    quota = {name: (args.inputs * weight // total_weight if args.inputs else None) for name, weight in weights.items()}
    if args.inputs:  # rounding leftovers go to the first strategy so the total is exactly --inputs
        quota[next(iter(quota))] += args.inputs - sum(quota.values())  # type: ignore[operator]
    submitted = Counter()  # type: ignore[var-annotated]
    totals = {name: ChunkStats(name) for name in weights}
    start = time.time()
    deadline = start + args.seconds if args.seconds else None
    index = 0
    with ProcessPoolExecutor(args.workers, mp_context=get_context("spawn"), initializer=warm_up) as pool:
        running: set[Future] = set()
        while True:
            while len(running) < args.workers * 2 and (deadline is None or time.time() < deadline):
                pending = [n for n in weights if quota[n] is None or submitted[n] < quota[n]]  # type: ignore[operator]
                if not pending:
                    break
                # The strategy furthest behind its share of inputs (chunk sizes differ: hypothesis' are small,
                # atheris' large), so that every strategy runs all along, --seconds or not.
                name = min(pending, key=lambda n: submitted[n] / weights[n])
                size = chunk_size(name, args.chunk)
                if quota[name] is not None:
                    size = min(size, quota[name] - submitted[name])  # type: ignore[operator]
                submitted[name] += size
                index += 1
                running.add(
                    pool.submit(
                        RUNNERS[name],
                        name,
                        args.seed,
                        index,
                        size,
                        deadline,
                        str(out),
                        args.large_share,
                        args.hang_seconds,
                    )
                )
            if not running:
                break
            done, running = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                chunk = future.result()
                totals[chunk.strategy].add(chunk)
            progress(totals, start)
    wall = time.time() - start
    summary = summarize_campaign(totals, wall, args, notes)
    if args.minimize_seconds > 0:
        summary["minimized"] = minimize_all(summary, out, args.minimize_seconds)
    write_reports(summary, totals, out)
    return summary


def parse_weights(spec: str, only: str | None) -> dict[str, int]:
    weights = {}
    for item in spec.split(","):
        name, _, weight = item.partition("=")
        if name not in RUNNERS:
            raise SystemExit(f"unknown strategy {name!r}; choose from {', '.join(RUNNERS)}")
        weights[name] = int(weight or 1)
    if only:
        chosen = only.split(",")
        unknown = [name for name in chosen if name not in RUNNERS]
        if unknown:
            raise SystemExit(f"unknown strategy {unknown[0]!r}; choose from {', '.join(RUNNERS)}")
        weights = {name: weights.get(name, 1) for name in chosen}
    return {name: weight for name, weight in weights.items() if weight > 0}


def progress(totals: dict[str, ChunkStats], start: float) -> None:
    inputs = sum(t.inputs for t in totals.values())
    failures = sum(f["count"] for t in totals.values() for f in t.failures.values())
    elapsed = time.time() - start
    print(
        f"\r{inputs:,} inputs, {failures:,} failures, {inputs / max(elapsed, 1e-9):,.0f}/s, {elapsed:,.0f} s",
        end="",
        file=sys.stderr,
        flush=True,
    )


def summarize_campaign(
    totals: dict[str, ChunkStats], wall: float, args: argparse.Namespace, notes: list[str]
) -> dict[str, Any]:
    everything = ChunkStats("all")
    for stats in totals.values():
        everything.add(stats)
    failures = everything.failures
    slowest = everything.slowest or {}
    return {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "commit": git_commit(),
        "cores": os.cpu_count(),
        "workers": args.workers,
        "seed": args.seed,
        "inputs": everything.inputs,
        "wall_seconds": round(wall, 1),
        "inputs_per_second": round(everything.inputs / max(wall, 1e-9), 1),
        # Load-independent: what one core does. On a shared machine the wall rate above is lower.
        "cpu_seconds": round(everything.cpu_seconds, 1),
        "inputs_per_cpu_second": round(everything.inputs / max(everything.cpu_seconds, 1e-9), 1),
        "characters": everything.chars,
        "crashes": sum(f["count"] for f in failures.values() if f["kind"] == "crash"),
        "violations": sum(f["count"] for f in failures.values() if f["kind"] == "violation"),
        "strategies": {
            name: {
                "inputs": s.inputs,
                "seconds": round(s.seconds, 1),
                "cpu_seconds": round(s.cpu_seconds, 1),
                "characters": s.chars,
                "outcomes": dict(s.outcomes.most_common()),
                "crashes": sum(f["count"] for f in s.failures.values() if f["kind"] == "crash"),
                "violations": sum(f["count"] for f in s.failures.values() if f["kind"] == "violation"),
            }
            for name, s in totals.items()
        },
        "failures": dict(sorted(failures.items(), key=lambda item: -item[1]["count"])),
        "slowest": {k: slowest.get(k) for k in ("seconds", "chars", "strategy")},
        "notes": notes,
        "_slowest_case": slowest.get("case"),
    }


def git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def markdown_line(summary: dict[str, Any]) -> str:
    slowest = summary["slowest"]
    slow = (
        f"{slowest['seconds']:.2f} s ({slowest['chars']:,} chars, {slowest['strategy']})" if slowest["seconds"] else "-"
    )
    per = ", ".join(f"{name} {s['inputs']:,}" for name, s in summary["strategies"].items())
    return (
        f"| {summary['date']} | {summary['commit']} | {summary['workers']} of {summary['cores']} cores | "
        f"{summary['inputs']:,} | {summary['wall_seconds']:,.0f} s | {summary['inputs_per_second']:,.0f} | "
        f"{summary['inputs_per_cpu_second']:,.0f} | "
        f"{summary['crashes']:,} | {summary['violations']:,} | {len(summary['failures'])} | {slow} | {per} |"
    )


MARKDOWN_HEADER = (
    "| date | commit | workers | inputs | wall | inputs/s | inputs per CPU second | crashes "
    "| violations | signatures | slowest (CPU) | inputs per strategy |\n" + "|---" * 12 + "|"
)


def write_reports(summary: dict[str, Any], totals: dict[str, ChunkStats], out: Path) -> None:
    slowest_case = summary.pop("_slowest_case")
    if slowest_case is not None:
        (out / "slowest.json").write_text(json.dumps({**summary["slowest"], "case": slowest_case}, indent=1))
    (out / "summary.json").write_text(json.dumps(summary, indent=1))
    (out / "summary.md").write_text(f"{MARKDOWN_HEADER}\n{markdown_line(summary)}\n")


# --- Minimizing -----------------------------------------------------------------------------------------------


def minimize_all(summary: dict[str, Any], out: Path, seconds: float) -> dict[str, Any]:
    """The smallest input found for each crash and invariant (not for slow ones: each try would be slow)."""
    from fuzz_strategies import FuzzCase

    warm_up()
    found = {}
    signatures = [s for s in summary["failures"] if s not in ("violation-slow", "violation-hang")]
    for signature in signatures:
        files = [f for f in summary["failures"][signature]["files"] if f.endswith(".json")]
        if not files:
            continue
        case = FuzzCase.from_json(json.loads(Path(files[0]).read_text())["case"])
        smaller = minimize(case, signature, time.time() + seconds / max(len(signatures), 1))
        found[signature] = {"chars": len(smaller.content), "from_chars": len(case.content), "case": smaller.to_json()}
    (out / "minimized.json").write_text(json.dumps(found, indent=1))
    return {signature: {"chars": m["chars"], "from_chars": m["from_chars"]} for signature, m in found.items()}


def minimize(case: Any, signature: str, deadline: float) -> Any:
    """Delete ever smaller pieces of the input while it still fails with the same signature (ddmin, simplified)."""
    from dataclasses import replace

    def fails(content: str | bytes) -> bool:
        try:
            run_one_plain(replace(case, content=content))
        except Exception as error:  # noqa: BLE001
            return failure_signature(error)[1] == signature
        return False

    content = case.content
    piece = max(len(content) // 2, 1)
    while piece >= 1 and time.time() < deadline:
        position, changed = 0, False
        while position < len(content) and time.time() < deadline:
            shorter = content[:position] + content[position + piece :]
            if fails(shorter):
                content, changed = shorter, True
            else:
                position += piece
        if not changed:
            piece //= 2
    return replace(case, content=content)


def run_one_plain(case: Any) -> None:
    from fuzz_strategies import run_case

    run_case(case)


# --- Command line ---------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--inputs", type=int, help="stop after this many inputs (default 10,000 without --seconds)")
    parser.add_argument("--seconds", type=float, help="stop after this long")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes (default: all cores)")
    parser.add_argument("--seed", type=int, default=0, help="same seed, same native and hypothesis inputs")
    parser.add_argument("--out", help="output folder (default runs/fuzz/seed-N)")
    parser.add_argument("--weights", default=DEFAULT_WEIGHTS, help=f"share of inputs per strategy ({DEFAULT_WEIGHTS})")
    parser.add_argument("--strategies", help="only these, comma-separated")
    parser.add_argument("--chunk", type=int, default=DEFAULT_CHUNK, help="inputs per task of the native strategies")
    parser.add_argument(
        "--large-share",
        type=float,
        default=0.0005,
        help=f"share of inputs made {LARGE_SCALE}x larger (tens to hundreds of kilobytes)",
    )
    parser.add_argument("--hang-seconds", type=float, default=60.0, help="an input running longer is a hang")
    parser.add_argument("--minimize-seconds", type=float, default=30.0, help="time for shrinking failures (0: off)")
    parser.add_argument("--atheris-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--atheris-stats", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.atheris_child:
        atheris_child(args)
        return
    if args.inputs is None and args.seconds is None:
        args.inputs = 10_000
    args.out = args.out or str(ROOT / "runs" / "fuzz" / f"seed-{args.seed}")
    os.environ.setdefault("OMP_NUM_THREADS", "1")  # the workers inherit it: parallel by process, not thread
    summary = campaign(args)
    print(file=sys.stderr)
    print(json.dumps({k: v for k, v in summary.items() if k != "failures"}, indent=1))
    for signature, failure in summary["failures"].items():
        print(f"{failure['count']:>8,}  {signature}  e.g. {failure['files'][:1]}")
    print(f"\n{MARKDOWN_HEADER}\n{markdown_line(summary)}")


if __name__ == "__main__":
    main()
