"""Abuse benchmark of `highlights serve` on loopback: N clients send a seeded mix of valid and hostile requests for
a fixed time, while a prober asks /healthz every 0.5 s.

    python benchmarks/service_abuse.py --clients 64 --duration 30 [--workers 2] [--json out.json]

Request kinds: a valid article; 120 kB of `!`; 20,000 short lines; a body over the server's limit written in full
before reading; malformed JSON; lone surrogates (\\ud800 escapes); deeply nested HTML; wrong types; a client
that drips its headers a byte every 0.5 s; a batch with bad items (empty text, a surrogate id, 50 kB of `!`).
Every request opens its own connection and is written by a small raw HTTP/1.1 client (what a hostile client
does is not what a polite library does), with a client timeout.

Reports, per kind: counts by status ("reset" when the connection was reset, "closed" when it ended without
an answer, "timeout" when the client gave up), p50/p99 latency; the 5xx total (0 expected: 504s count, since
a request past its limit is a failure to serve it); healthz probes and failures (non-200, error, or slower
than 1 s); the server's summarizer processes seen (more than --workers means some were killed and replaced)
and the peak resident memory of the server's processes, read from /proc every 0.5 s. Writes a markdown
table to stdout and, with --json, the numbers. Every loop is bounded in count and time and stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import subprocess
import time
from collections import Counter, defaultdict
from pathlib import Path

from load import ARTICLE, free_port, machine, percentile, process_tree, start_server, stop_server, wait_healthy

MAX_BODY_BYTES = 12_000_000  # the server's default limit
CLIENT_TIMEOUT_S = 60.0
HEALTHZ_EVERY_S = 0.5
HEALTHZ_SLOW_S = 1.0
DRIP_EVERY_S = 0.5
DRIP_MAX_BYTES = 60  # 30 s of dripping if the server never drops it
GRACE_S = CLIENT_TIMEOUT_S + 10  # for requests in flight at the end

WEIGHTS = {
    "valid": 30,
    "bang_120k": 6,
    "short_lines": 6,
    "over_limit_full": 3,
    "malformed_json": 8,
    "surrogates": 8,
    "deep_html": 5,
    "wrong_types": 8,
    "slow_headers": 4,
    "batch_bad_item": 10,
}


def json_body(data: object) -> bytes:
    return json.dumps(data).encode()  # ASCII: lone surrogates become \ud800 escapes, as a hostile client sends them


def request_bodies(article: str) -> dict[str, bytes]:
    """The body of each kind but slow_headers (built once: the client must not be the bottleneck)."""
    over = b'{"text": "' + b"word " * (MAX_BODY_BYTES // 5 + 20_000) + b'"}'
    return {
        "valid": json_body({"text": article}),
        "bang_120k": json_body({"text": "!" * 120_000}),
        "short_lines": json_body({"text": "a b\n" * 20_000}),
        "over_limit_full": over,
        "malformed_json": b'{"text": "The council met on Tuesday.", "bullets": 2,,}',
        "surrogates": json_body({"text": f"{article[:2000]} \ud800 \udfff", "method": "learned"}),
        "deep_html": json_body(
            {"html": "<div>" * 20_000 + "The mayor resigned on Tuesday. The council meets Friday." + "</div>" * 20_000}
        ),
        "wrong_types": json_body({"text": 42, "bullets": "three", "redundancy": [1]}),
        "batch_bad_item": json_body(
            {
                "items": [
                    {"id": "a", "text": article},
                    {"id": "empty", "text": "   "},
                    {"id": "\ud800", "text": article[:3000]},
                    {"id": "bang", "text": "!" * 50_000},
                ]
            }
        ),
    }


def http_request(path: str, body: bytes) -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode() + body


async def read_status(reader: asyncio.StreamReader) -> str:
    """The status code of the answer (its body read to the end), or 'closed' if none came."""
    status_line = await reader.readline()
    if not status_line:
        return "closed"
    await reader.read()  # Connection: close: the answer ends with the connection
    return status_line.split()[1].decode()


async def one_request(port: int, kind: str, bodies: dict[str, bytes]) -> str:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        if kind == "slow_headers":
            writer.write(b"POST /v1/highlights HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            for _ in range(DRIP_MAX_BYTES):
                try:  # stop dripping once the server answers or closes
                    status_line = await asyncio.wait_for(reader.readline(), DRIP_EVERY_S)
                    return status_line.split()[1].decode() if status_line else "closed"
                except asyncio.TimeoutError:
                    writer.write(b"X")
                    await writer.drain()
            return "never dropped"
        path = "/v1/highlights/batch" if kind == "batch_bad_item" else "/v1/highlights"
        writer.write(http_request(path, bodies[kind]))
        await writer.drain()  # the whole body is written before anything is read
        return await read_status(reader)
    finally:
        writer.close()


async def client(
    port: int,
    bodies: dict[str, bytes],
    rng: random.Random,
    deadline: float,
    max_requests: int,
    results: list[tuple[str, str, float]],
) -> None:
    kinds, weights = list(WEIGHTS), list(WEIGHTS.values())
    for _ in range(max_requests):
        if time.monotonic() >= deadline:
            return
        kind = rng.choices(kinds, weights)[0]
        started = time.monotonic()
        try:
            status = await asyncio.wait_for(one_request(port, kind, bodies), CLIENT_TIMEOUT_S)
        except asyncio.TimeoutError:
            status = "timeout"
        except ConnectionResetError:
            status = "reset"
        except (BrokenPipeError, ConnectionError, OSError) as error:
            status = type(error).__name__
        results.append((kind, status, time.monotonic() - started))


async def prober(port: int, deadline: float, probes: list[tuple[str, float]]) -> None:
    for _ in range(int((deadline - time.monotonic()) / HEALTHZ_EVERY_S) + 2):
        if time.monotonic() >= deadline:
            return
        started = time.monotonic()
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            status = await asyncio.wait_for(read_status(reader), 5)
            writer.close()
        except (OSError, asyncio.TimeoutError) as error:
            status = type(error).__name__
        probes.append((status, time.monotonic() - started))
        await asyncio.sleep(max(0.0, HEALTHZ_EVERY_S - (time.monotonic() - started)))


def server_processes(root: int) -> dict[int, tuple[int, str]]:
    """pid → (resident bytes, command line) for `root` and its descendants."""
    parents, info = {}, {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            rss = int((entry / "statm").read_text().split()[1]) * page
            info[int(entry.name)] = (rss, (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()[:120])
        except (OSError, IndexError, ValueError):
            continue  # ended meanwhile
    return {pid: info[pid] for pid in process_tree(root, parents) if pid in info}


async def memory_sampler(root: int, deadline: float, samples: dict) -> None:
    for _ in range(int((deadline - time.monotonic()) / 0.5) + 2):
        if time.monotonic() >= deadline:
            return
        processes = server_processes(root)
        samples["peak_total"] = max(samples.get("peak_total", 0), sum(rss for rss, _ in processes.values()))
        for pid, (rss, command) in processes.items():
            samples["peak_by_pid"][pid] = max(samples["peak_by_pid"].get(pid, 0), rss)
            samples["command"][pid] = command
        await asyncio.sleep(0.5)


async def run(
    port: int, server_pid: int, clients: int, duration_s: float, max_requests: int, seed: int, bodies: dict[str, bytes]
) -> tuple[list, list, dict, float]:
    results: list[tuple[str, str, float]] = []
    probes: list[tuple[str, float]] = []
    memory: dict = {"peak_by_pid": {}, "command": {}}
    started = time.monotonic()
    deadline = started + duration_s
    tasks = [
        client(port, bodies, random.Random(seed * 1000 + i), deadline, max_requests, results) for i in range(clients)
    ]
    watchers = [prober(port, deadline + GRACE_S, probes), memory_sampler(server_pid, deadline + GRACE_S, memory)]
    load = asyncio.gather(*tasks)
    watching = asyncio.gather(*watchers)
    try:
        await asyncio.wait_for(load, duration_s + GRACE_S)
    finally:
        watching.cancel()
        try:
            await watching
        except asyncio.CancelledError:
            pass
    return results, probes, memory, time.monotonic() - started


def git_commit() -> str:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True, check=True
        ).stdout.strip()
        return commit + (" (with uncommitted changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def summarize(results: list, probes: list, memory: dict, elapsed: float, args: argparse.Namespace) -> dict:
    by_kind: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for kind, status, seconds in results:
        by_kind[kind].append((status, seconds))
    kinds = {}
    for kind in WEIGHTS:
        rows = by_kind.get(kind, [])
        ms = sorted(seconds * 1000 for _, seconds in rows)
        kinds[kind] = {
            "requests": len(rows),
            "status": dict(Counter(status for status, _ in rows).most_common()),
            "p50_ms": round(percentile(ms, 50), 1) if ms else None,
            "p99_ms": round(percentile(ms, 99), 1) if ms else None,
        }
    probe_ms = sorted(seconds * 1000 for _, seconds in probes)
    summarizers = {pid: rss for pid, rss in memory["peak_by_pid"].items() if "forkserver" in memory["command"][pid]}
    return {
        "date_utc": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M"),
        "commit": git_commit(),
        "machine": machine(args.load_before),
        "clients": args.clients,
        "duration_s": args.duration,
        "elapsed_s": round(elapsed, 1),
        "workers": args.workers,
        "server_timeout_s": args.timeout,
        "seed": args.seed,
        "requests": len(results),
        "5xx": sum(1 for _, status, _ in results if status.startswith("5")),
        "not_answered": sum(1 for _, status, _ in results if not status.isdigit()),
        "kinds": kinds,
        "healthz": {
            "probes": len(probes),
            "failures": sum(1 for status, seconds in probes if status != "200" or seconds > HEALTHZ_SLOW_S),
            "p50_ms": round(percentile(probe_ms, 50), 1) if probes else None,
            "p99_ms": round(percentile(probe_ms, 99), 1) if probes else None,
        },
        # The forkserver and each summarizer process seen (replacements included; the forkserver is small).
        "processes_under_forkserver_seen": len(summarizers),
        "peak_rss_mb": {
            "all_server_processes": round(memory.get("peak_total", 0) / 2**20),
            "largest_process": round(max(memory["peak_by_pid"].values(), default=0) / 2**20),
        },
    }


def markdown(result: dict) -> str:
    title = (
        f"Abuse run: {result['clients']} clients, {result['duration_s']:g} s, {result['workers']} summarizer "
        f"processes, commit {result['commit']}, {result['machine']}"
    )
    lines = [title, "", "| kind | requests | status counts | p50 ms | p99 ms |", "|---|---|---|---|---|"]
    for kind, row in result["kinds"].items():
        counts = ", ".join(f"{status}: {count}" for status, count in row["status"].items())
        lines.append(f"| {kind} | {row['requests']} | {counts} | {row['p50_ms']} | {row['p99_ms']} |")
    health, memory = result["healthz"], result["peak_rss_mb"]
    footer = (
        f"5xx: {result['5xx']}  ·  not answered (reset/closed/timeout): {result['not_answered']}  ·  "
        f"healthz: {health['probes']} probes, {health['failures']} failures, p50 {health['p50_ms']} ms, "
        f"p99 {health['p99_ms']} ms  ·  processes under the forkserver seen: "
        f"{result['processes_under_forkserver_seen']}  ·  peak RSS: {memory['all_server_processes']} MB all "
        f"server processes, {memory['largest_process']} MB the largest"
    )
    return "\n".join([*lines, "", footer])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2, help="summarizer processes")
    parser.add_argument("--clients", type=int, default=64, help="concurrent clients")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load")
    parser.add_argument("--max-requests", type=int, default=10_000, help="most requests per client")
    parser.add_argument("--timeout", type=float, default=30.0, help="the server's request time limit, seconds")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    args.load_before = os.getloadavg()[0]  # the machine may be shared: say how busy it was

    bodies = request_bodies(ARTICLE.read_text(encoding="utf-8"))
    port = free_port()
    server = start_server(port, args.workers, None, ("--timeout", f"{args.timeout:g}"))
    try:
        wait_healthy(f"http://127.0.0.1:{port}", server)
        results, probes, memory, elapsed = asyncio.run(
            run(port, server.pid, args.clients, args.duration, args.max_requests, args.seed, bodies)
        )
    finally:
        stop_server(server)
    result = summarize(results, probes, memory, elapsed, args)
    print(markdown(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
