"""Load benchmark of `highlights serve` on loopback: N concurrent clients for a fixed time (and at most a fixed
number of requests) posting one ~600-word article to POST /v1/highlights.

    python benchmarks/load.py --workers 2 --clients 64 --duration 30 [--method centrality] [--client httpx|wrk]

Starts the server itself (a subprocess: one uvicorn process and `--workers` summarizer processes, pinned with
taskset when `--server-cpus` is given), waits for /healthz, runs a short untimed warm-up, then measures. Reports
requests, errors, latency percentiles and requests/s, and the machine it ran on. `--record` writes the service
area (benchmarks/results/service.json) for benchmarks/render_results.py.

Two clients: `httpx` (one asyncio process of this Python; costs about as much CPU per request as the server)
and `wrk` (C, far cheaper; needs the `wrk` program). On a small machine either competes with the server for
the same cores, which the numbers include.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

import recording

HERE = Path(__file__).resolve().parent
ARTICLE = HERE / "load_article.txt"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, workers: int, cpus: str | None, options: tuple[str, ...] = ()) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "highlights.cli",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        *options,
    ]
    if cpus:
        if not shutil.which("taskset"):
            sys.exit("--server-cpus needs taskset (util-linux)")
        command = ["taskset", "-c", cpus, *command]
    # Its own session, so that stopping it stops its summarizer processes too.
    return subprocess.Popen(command, start_new_session=True)


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def process_tree_cpu_s(root: int) -> float:
    """User + system CPU seconds of `root` and its descendants (Linux /proc), to report server CPU per request:
    a number the other load on a shared machine does not inflate the way it inflates wall-clock latency."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    return sum(times.get(pid, 0.0) for pid in process_tree(root, parents))


def process_tree(root: int, parents: dict[int, int]) -> set[int]:
    """`root` and its descendants, from a pid → parent pid map."""
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        children = [child for child, parent in parents.items() if parent == pid]
        tree.update(children)
        frontier.extend(children)
    return tree


def wait_healthy(base: str, process: subprocess.Popen, timeout_s: float = 90.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"the server exited with code {process.returncode}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    sys.exit(f"the server was not healthy within {timeout_s:g} s")


async def run_load(
    url: str, body: dict, clients: int, duration_s: float, max_requests: int, timeout_s: float
) -> tuple[list[float], dict[str, int], float]:
    """(latencies in seconds of the successful requests, error counts by kind, elapsed seconds)."""
    latencies: list[float] = []
    errors: dict[str, int] = {}
    sent = 0
    started = time.perf_counter()
    deadline = started + duration_s

    async def one_client() -> None:
        # Each client has its own connection, as separate callers would; one httpx pool shared by all 64
        # made the client itself the bottleneck (BENCHMARKS.md, "Service load").
        nonlocal sent
        async with httpx.AsyncClient(timeout=timeout_s) as client:
            while time.perf_counter() < deadline and sent < max_requests:
                sent += 1
                t0 = time.perf_counter()
                try:
                    response = await client.post(url, json=body)
                    ok = response.status_code == 200 and response.json()["highlights"]
                    kind = None if ok else f"HTTP {response.status_code}"
                except httpx.HTTPError as error:
                    kind = type(error).__name__
                if kind is None:
                    latencies.append(time.perf_counter() - t0)
                else:
                    errors[kind] = errors.get(kind, 0) + 1

    await asyncio.gather(*(one_client() for _ in range(clients)))
    return latencies, errors, time.perf_counter() - started


# wrk reports through this script: a POST of the article, a stop after `max` responses per thread, and the
# numbers as one JSON line (latencies in microseconds).
WRK_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [==[%(body)s]==]
local limit, seen = %(per_thread)d, 0
function response(status, headers, body)
  seen = seen + 1
  if seen >= limit then wrk.thread:stop() end
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRK {"requests": %%d, "seconds": %%.3f, "status_errors": %%d, "socket_errors": %%d, ' ..
    '"p50": %%d, "p95": %%d, "p99": %%d, "max": %%d}\\n', summary.requests, summary.duration / 1e6, e.status,
    e.connect + e.read + e.write + e.timeout, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max))
end
"""


def run_wrk(
    url: str, body: dict, clients: int, duration_s: float, max_requests: int, timeout_s: float, threads: int
) -> dict:
    if not shutil.which("wrk"):
        sys.exit("--client wrk needs the wrk program (Debian: apt-get install wrk)")
    script = WRK_SCRIPT % {"body": json.dumps(body), "per_thread": max(1, max_requests // threads)}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        output = subprocess.run(
            [
                "wrk",
                "-t",
                str(threads),
                "-c",
                str(clients),
                "-d",
                f"{duration_s:g}s",
                "--timeout",
                f"{timeout_s:g}s",
                "-s",
                handle.name,
                url,
            ],
            capture_output=True,
            text=True,
            timeout=duration_s + 60,
            check=True,
        ).stdout
    finally:
        os.unlink(handle.name)
    line = next(line for line in output.splitlines() if line.startswith("WRK "))
    return json.loads(line[4:])


def machine(load_before: float) -> str:
    return (
        f"{platform.machine()}, {os.cpu_count()} CPUs visible, {platform.python_implementation()} "
        f"{platform.python_version()}, load average before {load_before:.1f}"
    )


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(q / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[index]  # nearest-rank


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2, help="summarizer processes")
    parser.add_argument("--clients", type=int, default=64, help="concurrent clients")
    parser.add_argument("--duration", type=float, default=30.0, help="measured seconds")
    parser.add_argument("--max-requests", type=int, default=200_000, help="stop after this many requests")
    parser.add_argument("--warmup", type=float, default=3.0, help="unmeasured seconds of load first")
    parser.add_argument("--method", default="centrality", help="scoring method to request")
    parser.add_argument("--article", type=Path, default=ARTICLE, help="the article to post")
    parser.add_argument("--server-cpus", help="pin the server to these CPUs (taskset list, e.g. 0,1)")
    parser.add_argument("--client", choices=("httpx", "wrk"), default="httpx", help="load generator")
    parser.add_argument("--wrk-threads", type=int, default=2, help="wrk threads (with --client wrk)")
    parser.add_argument("--timeout", type=float, default=10.0, help="client timeout per request, seconds")
    parser.add_argument("--json", type=Path, help="also write the results here")
    recording.add_arguments(parser)
    args = parser.parse_args()
    run_record = recording.start_or_exit(args)

    text = args.article.read_text(encoding="utf-8")
    body = {"text": text, "method": args.method}
    load_before = os.getloadavg()[0]  # the machine may be shared: say how busy it was
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(port, args.workers, args.server_cpus)
    try:
        wait_healthy(base, server)
        url = f"{base}/v1/highlights"
        if args.client == "wrk":
            if args.warmup > 0:
                run_wrk(url, body, args.clients, args.warmup, args.max_requests, args.timeout, args.wrk_threads)
            cpu_before = process_tree_cpu_s(server.pid)
            measured = run_wrk(
                url, body, args.clients, args.duration, args.max_requests, args.timeout, args.wrk_threads
            )
        else:
            if args.warmup > 0:
                asyncio.run(run_load(url, body, args.clients, args.warmup, args.max_requests, args.timeout))
            cpu_before = process_tree_cpu_s(server.pid)
            latencies, errors, elapsed = asyncio.run(
                run_load(url, body, args.clients, args.duration, args.max_requests, args.timeout)
            )
        server_cpu_s = process_tree_cpu_s(server.pid) - cpu_before
    finally:
        server_tree_cpu_s = process_tree_cpu_s(server.pid)
        reaped_before = recording.children_cpu_seconds()
        stop_server(server)
        if run_record:
            # The summarizer processes are not waited for through this process, so their CPU would otherwise be
            # counted as other people's: what the tree used that did not come back with its exit.
            reaped = recording.children_cpu_seconds() - reaped_before
            run_record.unreaped_cpu_s += max(0.0, server_tree_cpu_s - reaped)

    if args.client == "wrk":
        elapsed, total = measured["seconds"], measured["requests"]
        errors = {k: measured[k] for k in ("status_errors", "socket_errors") if measured[k]}
        p50, p95, p99, worst = (measured[k] / 1000 for k in ("p50", "p95", "p99", "max"))
    else:
        latencies.sort()
        ms = [value * 1000 for value in latencies]
        total = len(latencies) + sum(errors.values())
        p50, p95, p99 = (percentile(ms, q) for q in (50, 95, 99))
        worst = ms[-1] if ms else float("nan")
    result = {
        "date_utc": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M"),
        "machine": machine(load_before),
        "client": args.client,
        "server_cpus": args.server_cpus or "any",
        "workers": args.workers,
        "clients": args.clients,
        "duration_s": round(elapsed, 1),
        "method": args.method,
        "article_words": len(text.split()),
        "requests": total,
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "rps": round(total / elapsed, 1),
        "p50_ms": round(p50, 1),
        "p95_ms": round(p95, 1),
        "p99_ms": round(p99, 1),
        "max_ms": round(worst, 1),
        "server_cpu_ms_per_request": round(1000 * server_cpu_s / total, 2) if total else None,
    }
    print(json.dumps(result, indent=2))
    print(
        "\n| client | workers | clients | method | requests | errors | req/s | p50 ms | p95 ms | p99 ms | max ms "
        "| server CPU ms/req |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    print(
        f"| {args.client} | {args.workers} | {args.clients} | {args.method} | {total} | {result['errors']} | "
        f"{result['rps']} | {result['p50_ms']} | {result['p95_ms']} | {result['p99_ms']} | {result['max_ms']} | "
        f"{result['server_cpu_ms_per_request']} |"
    )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    if run_record:
        server_cpu_ms = 1000 * server_cpu_s / total if total else None
        record(run_record, args, result, [total / elapsed, p50, p95, p99, worst, server_cpu_ms])


def record(run_record: recording.Run, args: argparse.Namespace, result: dict, unrounded: list) -> None:
    """The service area: the printed table's row, its measured numbers unrounded."""
    configuration = {
        key: result[key] for key in ("client", "server_cpus", "workers", "clients", "method", "article_words")
    }
    configuration |= {"duration_s": args.duration, "warmup_s": args.warmup, "timeout_s": args.timeout}
    columns = [
        recording.Column("client"),
        recording.Column("workers"),
        recording.Column("clients"),
        recording.Column("method"),
        recording.Column("requests"),
        recording.Column("errors"),
        recording.Column("req/s", 1),
        recording.Column("p50 ms", 0),
        recording.Column("p95 ms", 0),
        recording.Column("p99 ms", 0),
        recording.Column("max ms", 0),
        recording.Column("server CPU ms/req", 1),
    ]
    row = [args.client, args.workers, args.clients, args.method, result["requests"], result["errors"], *unrounded]
    errors = ", ".join(f"{kind} × {count}" for kind, count in result["error_kinds"].items())
    notes = [
        f"One {result['article_words']}-word article (`benchmarks/load_article.txt`) posted to `POST /v1/highlights` "
        f"by {args.clients} clients for {result['duration_s']:.0f} s after a {args.warmup:g} s warm-up; the "
        "clients share the machine with the server. Server CPU: the server's process tree, per request."
    ]
    if errors:
        notes.append(f"Errors: {errors}.")
    recording.record(run_record, "service", configuration, columns, [row], notes)


if __name__ == "__main__":
    main()
