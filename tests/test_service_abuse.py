"""The service under abuse, against a real `run_server` (the code `highlights serve` runs) on 127.0.0.1:
a stuck task is killed at its deadline and the next request is served, /healthz answers throughout,
a body over the limit sent in full before reading gets its 413 (not a reset), slow or stalled clients are
dropped, lone surrogates never give a 500, and shutdown leaves no process behind.

The stuck task is injected by tests/service_stuck_hook.py through `Settings.worker_init` (an operator
setting; no request can trigger it). Timing bounds here are hang guards, generous on purpose.
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the service needs the `serve` extra (fastapi, uvicorn)")
httpx = pytest.importorskip("httpx")
if not sys.platform.startswith("linux"):
    pytest.skip("these tests read the process tree from /proc", allow_module_level=True)

from service_stuck_hook import STUCK_DIR_ENV, STUCK_MARKER  # noqa: E402

TESTS = Path(__file__).resolve().parent
ARTICLE = (
    "The harbor ferry returned to service on Monday after a six-week repair of its engine. The city paid "
    "for the repair from its transport budget, officials said. Commuters had taken a bus around the bay."
)
TIMEOUT_S = 3.0  # the servers' request time limit
READ_TIMEOUT_S = 1.0  # their header and body timeouts
MAX_BODY = 100_000
_SERVE = (
    "import json, sys\n"
    "from highlights.service.cli import run_server\n"
    "from highlights.service.settings import Settings\n"
    "run_server(Settings(**json.loads(sys.argv[1])), '127.0.0.1', int(sys.argv[2]), 'warning')\n"
)


@dataclass
class Server:
    base: str
    port: int
    process: subprocess.Popen
    stuck_dir: Path

    def descendants(self) -> set[int]:
        return descendants(self.process.pid)

    def wait_ready(self, timeout_s: float = 90.0) -> None:
        """Until every summarizer process is warm (a replaced one warms up after a kill)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"the server exited with code {self.process.returncode}")
            try:
                health = httpx.get(f"{self.base}/healthz", timeout=2).json()
                if health["workers_ready"] == health["workers"]:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        pytest.fail(f"the server was not ready within {timeout_s:g} s")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def descendants(root: int) -> set[int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass  # ended meanwhile
    found, frontier = set(), [root]
    while frontier:
        pid = frontier.pop()
        children = [child for child, parent in parents.items() if parent == pid]
        found.update(children)
        frontier.extend(children)
    return found


def alive(pid: int) -> bool:
    try:  # a zombie has ended: it only waits for its parent to read its status
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_until(condition: Callable[[], bool], timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@contextmanager
def running_server(tmp_path: Path, **settings: object) -> Iterator[Server]:
    port = free_port()
    stuck_dir = tmp_path / "stuck"
    stuck_dir.mkdir(exist_ok=True)
    env = {
        **os.environ,
        STUCK_DIR_ENV: str(stuck_dir),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(TESTS), os.environ.get("PYTHONPATH")])),
    }
    settings = {
        "workers": 2,
        "request_timeout_s": TIMEOUT_S,
        "header_timeout_s": READ_TIMEOUT_S,
        "body_timeout_s": READ_TIMEOUT_S,
        "max_body_bytes": MAX_BODY,
        "worker_init": "service_stuck_hook:install",
        **settings,
    }
    with open(tmp_path / "server.log", "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-c", _SERVE, json.dumps(settings), str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(f"http://127.0.0.1:{port}", port, process, stuck_dir)
    try:
        server.wait_ready()
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)  # its own session: only what this test started
                process.wait()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(tmp_path_factory.mktemp("server")) as running:
        yield running


def post_raw(base: str, path: str, body: str) -> httpx.Response:
    """POST `body` as is: JSON written with \\ud800-style escapes, which httpx's own encoder refuses."""
    return httpx.post(f"{base}{path}", content=body.encode(), headers={"Content-Type": "application/json"}, timeout=30)


def stuck_pids(server: Server) -> set[int]:
    return {int(path.name) for path in server.stuck_dir.iterdir()}


# --- deadlines stop the work ----------------------------------------------------------------------------


@pytest.mark.slow
def test_a_stuck_task_is_killed_at_its_deadline_and_the_service_goes_on(server: Server) -> None:
    already = stuck_pids(server)
    answer: dict[str, object] = {}

    def stuck_request() -> None:
        started = time.monotonic()
        answer["response"] = httpx.post(
            f"{server.base}/v1/highlights", json={"text": f"{ARTICLE} {STUCK_MARKER}"}, timeout=60
        )
        answer["elapsed"] = time.monotonic() - started

    thread = threading.Thread(target=stuck_request)
    thread.start()
    assert wait_until(lambda: stuck_pids(server) - already, 10), "the stuck task never started"
    (stuck,) = stuck_pids(server) - already
    # While one process spins, the other serves, and /healthz answers from the server process.
    assert httpx.post(f"{server.base}/v1/highlights", json={"text": ARTICLE}, timeout=30).status_code == 200
    while thread.is_alive():
        assert httpx.get(f"{server.base}/healthz", timeout=2).status_code == 200
        time.sleep(0.2)
    thread.join()

    response = answer["response"]
    assert response.status_code == 504 and response.json()["error"]["code"] == "timeout"  # type: ignore[union-attr]
    assert TIMEOUT_S - 0.1 <= answer["elapsed"] < TIMEOUT_S + 10  # type: ignore[operator]
    assert wait_until(lambda: not alive(stuck), 5), "the stuck process still runs after the 504"
    server.wait_ready()  # a fresh process took its place
    assert httpx.post(f"{server.base}/v1/highlights", json={"text": ARTICLE}, timeout=30).status_code == 200


@pytest.mark.slow
def test_a_stuck_batch_item_gets_a_timeout_error_and_the_others_their_results(server: Server) -> None:
    items = [
        {"id": "first", "text": ARTICLE},
        {"id": "stuck", "text": f"{ARTICLE} {STUCK_MARKER}"},
        {"id": "last", "text": ARTICLE},
    ]
    started = time.monotonic()
    response = httpx.post(f"{server.base}/v1/highlights/batch", json={"items": items}, timeout=60)
    elapsed = time.monotonic() - started
    assert response.status_code == 200, response.text
    body = response.json()
    assert [item["id"] for item in body["results"]] == ["first", "stuck", "last"] and body["failed"] == 1
    first, stuck, last = body["results"]
    assert first["result"]["highlights"] and last["result"]["highlights"]
    assert stuck["result"] is None and stuck["error"]["code"] == "timeout"
    assert elapsed < TIMEOUT_S + 10
    server.wait_ready()


# --- what clients send -----------------------------------------------------------------------------------


def send_then_read(port: int, head: bytes, body_chunks: list[bytes]) -> bytes:
    """Write the whole request first, then read the whole answer, as simple clients do."""
    with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
        sock.sendall(head)
        for chunk in body_chunks:
            sock.sendall(chunk)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
        return answer


@pytest.mark.parametrize("connection", ["keep-alive", "close"])
@pytest.mark.parametrize("chunked", [False, True])
def test_a_body_over_the_limit_sent_in_full_gets_the_413(server: Server, connection: str, chunked: bool) -> None:
    body = json.dumps({"text": "word " * (6 * MAX_BODY)}).encode()  # 30 times the limit
    head = f"POST /v1/highlights HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: {connection}\r\n"
    if chunked:
        pieces = [body[i : i + 65536] for i in range(0, len(body), 65536)]
        chunks = [b"%x\r\n%s\r\n" % (len(piece), piece) for piece in pieces] + [b"0\r\n\r\n"]
        head += "Transfer-Encoding: chunked\r\n\r\n"
    else:
        chunks = [body]
        head += f"Content-Length: {len(body)}\r\n\r\n"
    answer = send_then_read(server.port, head.encode(), chunks)  # a reset would raise here
    status_line, _, rest = answer.partition(b"\r\n")
    assert status_line == b"HTTP/1.1 413 Request Entity Too Large"
    error = json.loads(rest.partition(b"\r\n\r\n")[2])["error"]
    assert error["code"] == "body_too_large" and f"{MAX_BODY:,} bytes" in error["message"]


def read_until_closed(sock: socket.socket) -> bytes:
    answer = b""
    while chunk := sock.recv(65536):
        answer += chunk
    return answer


def drip(sock: socket.socket, pieces: list[bytes], every_s: float) -> None:
    """Send `pieces` one at a time, `every_s` apart, until the server answers or closes."""
    for piece in pieces:
        if select.select([sock], [], [], every_s)[0]:
            return
        try:
            sock.sendall(piece)
        except OSError:
            return


def test_a_client_that_drips_its_headers_is_dropped_with_408(server: Server) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=20) as sock:
        started = time.monotonic()
        sock.sendall(b"POST /v1/highlights HTTP/1.1\r\nHost: x\r\n")
        drip(sock, [bytes([byte]) for byte in b"X-Slow: " + b"a" * 100], 0.2)  # 20 s if nobody stopped it
        answer = read_until_closed(sock)
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert json.loads(answer.partition(b"\r\n\r\n")[2])["error"]["code"] == "request_timeout"
    assert time.monotonic() - started < READ_TIMEOUT_S + 5


def test_a_connection_that_sends_nothing_is_closed(server: Server) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=20) as sock:
        started = time.monotonic()
        assert read_until_closed(sock) == b""
    assert time.monotonic() - started < READ_TIMEOUT_S + 5


@pytest.mark.parametrize("dripping", [False, True])
def test_a_stalled_or_dripping_body_is_dropped_with_408(server: Server, dripping: bool) -> None:
    head = (
        b"POST /v1/highlights HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b'Content-Length: 50000\r\n\r\n{"text": "'
    )
    with socket.create_connection(("127.0.0.1", server.port), timeout=20) as sock:
        started = time.monotonic()
        sock.sendall(head)
        if dripping:  # 10 bytes every 0.1 s: 100 B/s, far below the minimum rate
            drip(sock, [b"word word "] * 100, 0.1)
        answer = read_until_closed(sock)
    assert answer.startswith(b"HTTP/1.1 408 "), answer[:200]
    assert time.monotonic() - started < 2 * READ_TIMEOUT_S + 5
    assert httpx.get(f"{server.base}/healthz", timeout=5).status_code == 200


@pytest.mark.parametrize(
    "path, body",
    [
        ("/v1/highlights", {"text": f"{ARTICLE} \ud800 and \udfff."}),
        ("/v1/highlights", {"html": f"<p>{ARTICLE} \ud800</p>"}),
        ("/v1/highlights", {"text": ARTICLE, "method": "\ud800"}),
        ("/v1/highlights", {"text": ARTICLE, "\udc80": 1}),
        ("/v1/highlights", {"url": "http://\ud800.example/"}),
        ("/v1/highlights/batch", {"items": [{"id": "\ud800", "text": f"{ARTICLE} \ud800"}, {"text": ARTICLE}]}),
    ],
)
def test_lone_surrogates_never_give_a_500(server: Server, path: str, body: dict) -> None:
    response = post_raw(server.base, path, json.dumps(body))  # ASCII JSON: lone surrogates as \ud800 escapes
    assert response.status_code < 500, response.text
    text = response.content.decode("utf-8")  # strict: the response is valid UTF-8
    assert "\ud800" not in text and "Traceback" not in text
    if path.endswith("batch"):
        first, second = response.json()["results"]
        assert first["id"] == "\ufffd" and first["result"] is not None and second["result"] is not None


# --- stopping ---------------------------------------------------------------------------------------------


def post_ignoring_errors(url: str, body: dict) -> None:
    try:
        httpx.post(url, json=body, timeout=60)
    except httpx.HTTPError:
        pass  # the server was killed under it


@pytest.mark.slow
@pytest.mark.parametrize("how", ["SIGTERM", "SIGINT to the group", "SIGKILL"])
def test_stopping_the_server_leaves_no_process_behind(tmp_path: Path, how: str) -> None:
    with running_server(tmp_path, warm_up=False) as server:
        family = server.descendants()
        assert len(family) >= 3  # the forkserver and two summarizer processes at least
        stuck = threading.Thread(
            target=post_ignoring_errors, args=(f"{server.base}/v1/highlights", {"text": f"{ARTICLE} {STUCK_MARKER}"})
        )
        stuck.start()
        assert wait_until(lambda: stuck_pids(server), 10)  # a task is running when the stop comes
        if how == "SIGTERM":
            server.process.send_signal(signal.SIGTERM)  # graceful: the request ends by its deadline first
        elif how == "SIGKILL":
            server.process.kill()  # no shutdown code runs: the children must notice by themselves
        else:
            os.killpg(server.process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        server.process.wait(timeout=TIMEOUT_S + 20)
        stuck.join(timeout=30)
        assert wait_until(lambda: not any(alive(pid) for pid in family), 15), (
            f"left behind: {[pid for pid in family if alive(pid)]}"
        )


def test_an_app_used_without_its_lifespan_starts_its_processes_and_keeps_them() -> None:
    """A TestClient used without `with` runs each request on a new thread and loop: the summarizer processes
    start on the first request and must outlive that thread (they die with the process, not the thread)."""
    import warnings

    from fastapi.testclient import TestClient

    from highlights.service.app import create_app
    from highlights.service.settings import Settings

    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    client = TestClient(create_app(Settings(workers=1, warm_up=False)))
    for _ in range(3):
        assert client.post("/v1/highlights", json={"text": ARTICLE}).status_code == 200
    assert client.get("/healthz").json()["workers_ready"] == 1
