"""The reproducers of issue #19 (items 4-7, lone surrogates), as users met them: malformed URLs, huge and
endless inputs, pipes without a writer, enormous dataset rows, surrogates in batch rows.

Each command runs in a subprocess under a time limit, so a regression fails instead of hanging the suite;
where memory was the problem, the child's peak memory (from wait4) is checked too. Large files are sparse.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest

from highlights.batch import Engine, Job, run_job
from highlights.batch.inputs import Item, Position
from highlights.batch.journal import Journal
from highlights.batch.work import Outcome, Settings, summarize_item
from highlights.ingest import sources
from highlights.pipeline import Options

LEAD = Settings(Options(method="lead"))

ARTICLE = "The council met on Monday. It approved the new bridge over the river after a long debate."
HANG_GUARD_S = 120
# Far above what the command needs (~150 MB) and far below the 3 GB a whole read of the inputs here would take.
MEMORY_BOUND = 1 << 30


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str  # unwrapped: rich breaks long lines at the terminal width, after a space it keeps
    peak_rss: int  # bytes

    def refused(self, message: str) -> None:
        assert self.returncode == 2, self
        assert message in self.stderr, self.stderr
        assert "Traceback" not in self.stderr + self.stdout


def run(command: list[str], *, stdin=subprocess.DEVNULL, address_space: int | None = None) -> Run:
    """Run `command`; kill it after HANG_GUARD_S. `address_space`: run it under `ulimit -v` (bytes)."""
    if address_space is not None:
        command = ["bash", "-c", f'ulimit -v {address_space // 1024} && exec "$@"', "bash", *command]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, stdin=stdin, stdout=out, stderr=err)
        guard = threading.Timer(HANG_GUARD_S, process.kill)
        guard.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            guard.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(
            process.returncode,
            out.read().decode(errors="replace"),
            err.read().decode(errors="replace").replace("\n", ""),
            usage.ru_maxrss * 1024,
        )


def highlights(*args: str, **kwargs) -> Run:
    return run([sys.executable, "-m", "highlights", *args], **kwargs)


def sparse(path: Path, size: int) -> Path:
    with open(path, "wb") as handle:
        handle.truncate(size)  # no disk blocks: the file reads as zeros
    return path


# --- item 4: malformed URLs ------------------------------------------------------------------------------

MALFORMED = ["http://[::1", "http://127.0.0.1:99999/", "http://127.0.0.1:abc/"]


def test_malformed_urls_are_one_line_errors_in_the_cli():
    result = highlights(*MALFORMED)
    result.refused("not a valid URL")
    assert all(f"error: {url}" in result.stderr for url in MALFORMED)


@pytest.mark.parametrize("url", MALFORMED)
def test_malformed_urls_are_4xx_in_the_service(url: str):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette's notice about its test client
        from fastapi.testclient import TestClient

        from highlights.service.app import create_app
        from highlights.service.settings import Settings as ServiceSettings

    with TestClient(
        create_app(ServiceSettings(warm_up=False, allow_urls=True)), raise_server_exceptions=False
    ) as client:
        response = client.post("/v1/highlights", json={"url": url})
    assert 400 <= response.status_code < 500, response.text
    assert "not a valid URL" in response.json()["error"]["message"]


# --- item 7: whole files read before they were checked ----------------------------------------------------


def test_a_3gb_sparse_file_is_refused_unread(tmp_path):
    result = highlights(str(sparse(tmp_path / "big.txt", 3_000_000_000)))
    result.refused("is 3,000,000,000 bytes; one article may be at most")
    assert result.peak_rss < MEMORY_BOUND


def test_an_8gb_file_under_ulimit_v(tmp_path):
    result = highlights(str(sparse(tmp_path / "huge.txt", 8_000_000_000)), address_space=MEMORY_BOUND)
    result.refused("is 8,000,000,000 bytes")


@pytest.mark.parametrize("address_space", [None, MEMORY_BOUND])
def test_dev_zero_is_refused_after_a_bounded_read(address_space):
    result = highlights("/dev/zero", address_space=address_space)
    result.refused(f"is more than {sources.MAX_INPUT_BYTES:,} bytes")
    assert result.peak_rss < MEMORY_BOUND


def test_endless_stdin_is_refused_after_a_bounded_read():
    with open("/dev/zero", "rb") as zeros:
        result = highlights("-", stdin=zeros)
    result.refused(f"standard input is more than {sources.MAX_INPUT_BYTES:,} bytes")


def test_a_named_pipe_without_a_writer_is_given_up(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = highlights("--timeout", "0.5", str(fifo))
    result.refused("is a named pipe and nothing opened it for writing within 0.5 s")


def test_a_named_pipe_with_a_writer_is_read(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "highlights", str(fifo)], stdout=out, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + HANG_GUARD_S
            while True:  # non-blocking: ENXIO until the command has the pipe open for reading
                try:
                    writer = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
                    break
                except OSError:
                    assert time.monotonic() < deadline and process.poll() is None, "the command never opened the pipe"
                    time.sleep(0.05)
            os.write(writer, ARTICLE.encode())
            os.close(writer)
            assert process.wait(timeout=HANG_GUARD_S) == 0
        finally:
            process.kill()
        out.seek(0)
        assert "• The council met on Monday." in out.read().decode()


@pytest.mark.slow
def test_process_substitution_still_works_with_a_slow_writer(tmp_path):
    """`highlights <(command)` reads /dev/fd/63, a pipe whose writer is there from the start: it is read
    even when the writer takes longer than the timeout to write."""
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE)
    result = run(["bash", "-c", f'"{sys.executable}" -m highlights --timeout 0.5 <(sleep 1.5; cat "{article}")'])
    assert result.returncode == 0, result
    assert "• The council met on Monday." in result.stdout


@pytest.mark.slow
def test_a_3gb_line_in_a_dataset_is_one_bad_row(tmp_path):
    path = tmp_path / "rows.jsonl"
    with open(path, "wb") as handle:
        handle.write(json.dumps({"id": "a", "article": ARTICLE}).encode() + b"\n")
        handle.seek(3_000_000_000)  # a hole of zeros: one 3 GB line with no newline
        handle.write(b"\n" + json.dumps({"id": "b", "article": ARTICLE}).encode() + b"\n")
    result = highlights(str(path), "-f", "jsonl", "-m", "lead")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result  # one row failed, two did not
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a", "b"]
    assert f"rows.jsonl:2 id=row-2: row is longer than {sources.MAX_ROW_BYTES:,} bytes" in result.stderr
    assert result.peak_rss < MEMORY_BOUND


def test_dev_zero_as_a_dataset(tmp_path):
    zeros = tmp_path / "zeros.jsonl"
    zeros.symlink_to("/dev/zero")
    result = highlights(str(zeros), "-f", "json")
    result.refused("row is longer than")
    assert "the rest of this stream is not read" in result.stderr
    assert result.peak_rss < MEMORY_BOUND
    highlights("batch", str(zeros), "-o", str(tmp_path / "out.jsonl"), "--no-progress").refused("is not a regular file")


def test_batch_reports_a_long_row_and_goes_on(tmp_path, monkeypatch):
    monkeypatch.setattr(sources, "MAX_ROW_BYTES", 2000)
    path = tmp_path / "rows.jsonl"
    rows = [{"id": "a", "article": ARTICLE}, {"id": "long", "article": ARTICLE * 50}, {"id": "b", "article": ARTICLE}]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    report = run_job(Job([path], tmp_path / "out.jsonl", settings=LEAD), Engine(workers=1))
    assert (report.done, report.failed) == (2, 1)
    (error,) = [json.loads(line) for line in (tmp_path / "out.errors.jsonl").read_text().splitlines()]
    assert error == {"id": "row-2", "file": str(path), "line": 2, "reason": "row is longer than 2,000 bytes"}


# --- lone surrogates in batch rows ---------------------------------------------------------------------

SURROGATE_ROWS = [
    '{"id":"a","article":"The council met. It approved the \\ud800 bridge."}',
    '{"id":"b\\ud800","article":"The council met. It approved the bridge.","title":"x\\udfff"}',
]


def test_surrogates_in_rows_do_not_stop_a_batch(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_text("\n".join(SURROGATE_ROWS) + "\n")
    out = tmp_path / "o.jsonl"
    args = ["batch", str(path), "-o", str(out), "-w", "1", "--no-progress"]
    first = highlights(*args)
    assert first.returncode == 0 and "done 2" in first.stderr, first
    again = highlights(*args)
    assert again.returncode == 0 and "already complete" in again.stderr, again
    rows = [json.loads(line) for line in out.read_bytes().decode("utf-8").splitlines()]  # strict UTF-8
    assert [row["id"] for row in rows] == ["a", "b\ufffd"]


def test_surrogates_in_rows_in_the_dataset_mode_of_the_cli(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_text("\n".join(SURROGATE_ROWS) + "\n")
    result = highlights(str(path), "-f", "json")
    assert result.returncode == 0, result
    assert [row["id"] for row in json.loads(result.stdout)] == ["a", "b\ufffd"]


def test_a_row_that_cannot_be_written_goes_to_the_errors_file(tmp_path):
    """Strings that bypass the reader's cleaning (an Item made by hand, another engine) still never stop
    the writer: the row becomes an error row, with its id cleaned and the reason."""
    item = Item(0, 0, "in.jsonl", 1, "a\ud800", ARTICLE, None)
    outcome = summarize_item(item, LEAD)
    assert not outcome.ok and "U+D800, which cannot be written as UTF-8" in json.loads(outcome.json)["reason"]
    assert json.loads(outcome.json)["id"] == "a\ufffd"

    out = tmp_path / "out.jsonl"
    journal = Journal.open(out, tmp_path / "out.errors.jsonl", {"test": 1})
    try:
        journal.record(
            [
                Outcome(True, json.dumps({"id": "x\udfff", "file": "f", "line": 1}, ensure_ascii=False)),
                Outcome(False, json.dumps({"id": "y", "reason": "bad \ud800"}, ensure_ascii=False)),
            ],
            Position(0, 2),
        )
        journal.finish()
    finally:
        journal.close()
    assert out.read_bytes() == b"" and journal.progress.errors == 2 and journal.progress.rows == 0
    errors = [json.loads(line) for line in (tmp_path / "out.errors.jsonl").read_bytes().decode().splitlines()]
    assert [e["id"] for e in errors] == ["x\ufffd", "y"] and "bad \ufffd" in errors[1]["reason"]


def test_an_undecodable_file_name_is_written_cleaned(tmp_path):
    name = os.fsdecode(b"caf\xe9.jsonl")  # Latin-1 bytes in a UTF-8 system: a surrogate escape in Python
    path = tmp_path / name
    path.write_text(json.dumps({"id": "a", "article": ARTICLE}) + "\n")
    out = tmp_path / "out.jsonl"
    assert run_job(Job([path], out, settings=LEAD)).done == 1
    (row,) = [json.loads(line) for line in out.read_bytes().decode("utf-8").splitlines()]
    assert row["file"].endswith("caf\ufffd.jsonl")
