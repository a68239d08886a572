"""Files, URLs (bounded, SSRF-guarded) and dataset rows."""

from __future__ import annotations

import csv
import gzip
import http.server
import io
import json
import socket
import sys
import threading
import time

import pytest

from highlights.errors import FetchError, InputError
from highlights.ingest import sources
from highlights.ingest.sources import check_public_host, fetch_url, iter_records, read_document

ARTICLE = (
    b"<html><body><article><p>The mayor resigned on Tuesday. The council meets on Friday.</p></article></body></html>"
)


class _Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass

    def do_GET(self):
        if self.path == "/article":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(ARTICLE)))
            self.end_headers()
            self.wfile.write(ARTICLE)
        elif self.path.startswith("/redirect"):
            self.send_response(302)
            self.send_header("Location", self.path.split("?to=", 1)[1])
            self.end_headers()
        elif self.path == "/big":
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"x" * 200_000)
        elif self.path == "/slow":
            time.sleep(3)
            self.send_response(200)
            self.end_headers()
        else:
            self.send_response(404)
            self.end_headers()


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/a",
        "http://localhost/a",
        "http://10.1.2.3/a",
        "http://192.168.0.1/a",
        "http://172.16.0.1/a",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/a",
        "http://[::ffff:127.0.0.1]/a",
        "http://0.0.0.0/a",
    ],
)
def test_non_public_addresses_are_refused_before_connecting(url):
    with pytest.raises(FetchError, match="non-public"):
        fetch_url(url)


def test_hostname_resolving_to_private_address_is_refused(monkeypatch):
    monkeypatch.setattr(
        socket, "getaddrinfo", lambda *a, **k: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", 80))]
    )
    with pytest.raises(FetchError, match="10.0.0.7"):
        check_public_host("news.example", 80)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "gopher://example.com/", "ftp://example.com/a"])
def test_only_http_schemes(url):
    with pytest.raises(FetchError, match="only http"):
        fetch_url(url)


def test_fetch_from_allowed_local_server(server):
    body, content_type = fetch_url(server + "/article", allow_private=True)
    assert body == ARTICLE and "html" in content_type


def test_redirect_to_private_address_is_checked_again(server, monkeypatch):
    real_check = sources.check_public_host

    def allow_only_the_test_server(host, port):
        # check_public_host returns the address fetch_url then connects to (it pins the checked address).
        return "127.0.0.1" if host == "127.0.0.1" else real_check(host, port)

    monkeypatch.setattr(sources, "check_public_host", allow_only_the_test_server)
    # The first hop (the local test server) is allowed; the redirect target must be refused.
    with pytest.raises(FetchError, match="non-public"):
        fetch_url(server + "/redirect?to=http://10.0.0.1/secret")
    body, _ = fetch_url(server + "/redirect?to=/article")
    assert body == ARTICLE


def test_size_cap_timeout_and_http_errors(server):
    with pytest.raises(FetchError, match="limit"):
        fetch_url(server + "/big", allow_private=True, max_bytes=10_000)
    with pytest.raises(FetchError, match="timed out"):
        fetch_url(server + "/slow", allow_private=True, timeout=0.5)
    with pytest.raises(FetchError, match="404"):
        fetch_url(server + "/missing", allow_private=True)


def test_read_document_url_is_html(server):
    document = read_document(server + "/article", allow_private=True)
    assert document.format == "html" and document.source.endswith("/article")


def test_read_document_errors(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_document(str(tmp_path / "missing.txt"))
    with pytest.raises(InputError, match="directory"):
        read_document(str(tmp_path))


ROWS = [
    {"id": "1", "article": "The mayor resigned.", "highlights": "Mayor quits .\nCouncil meets ."},
    {"id": "2", "article": "  ", "highlights": ""},
    {"id": "3", "highlights": "x"},
]


def _check(records):
    assert [r.id for r in records] == ["1", "2", "3"]
    assert records[0].article == "The mayor resigned." and records[0].highlights == ["Mayor quits .", "Council meets ."]
    assert records[0].error is None
    assert "empty" in records[1].error and "no 'article'" in records[2].error


def test_jsonl_and_gzip(tmp_path):
    lines = "\n".join(json.dumps(r) for r in ROWS) + "\n"
    (tmp_path / "a.jsonl").write_text(lines)
    with gzip.open(tmp_path / "a.jsonl.gz", "wt") as handle:
        handle.write(lines)
    _check(list(iter_records(tmp_path / "a.jsonl")))
    _check(list(iter_records(tmp_path / "a.jsonl.gz")))


def test_jsonl_bad_lines_are_reported_not_raised(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "ok", "article": "Fine."}\n{broken\n[1, 2]\n')
    records = list(iter_records(path))
    assert records[0].error is None
    assert "malformed JSON" in records[1].error and records[1].line == 2
    assert "not a JSON object" in records[2].error


def test_csv_with_mapped_fields(tmp_path):
    path = tmp_path / "a.csv"
    with open(path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["story_id", "body", "summary"])
        writer.writeheader()
        writer.writerow({"story_id": "x", "body": "Line one.\nLine two.", "summary": "A .\nB ."})
    (record,) = iter_records(path, id_field="story_id", article_field="body", highlights_field="summary")
    assert record.id == "x" and record.article == "Line one.\nLine two." and record.highlights == ["A .", "B ."]


def test_parquet(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist(
        [{"id": r["id"], "article": r.get("article"), "highlights": r["highlights"]} for r in ROWS]
    )
    pq.write_table(table, tmp_path / "a.parquet")
    records = list(iter_records(tmp_path / "a.parquet"))
    assert records[0].article == "The mayor resigned." and records[2].error


# --- bounded reading (issue #19, item 7) -------------------------------------------------------------------


@pytest.fixture
def small_limits(monkeypatch):
    """Limits of 1,000 bytes, so that "too large" needs no large file."""
    monkeypatch.setattr(sources, "MAX_INPUT_BYTES", 1000)
    monkeypatch.setattr(sources, "MAX_ROW_BYTES", 1000)


def test_input_limit_is_consistent_with_the_decoder():
    from highlights.ingest.decode import MAX_CHARS

    assert MAX_CHARS <= sources.MAX_INPUT_BYTES < 2 * MAX_CHARS


def test_a_file_over_the_limit_is_refused_without_reading_it(tmp_path, small_limits, monkeypatch):
    path = tmp_path / "big.txt"
    path.write_bytes(b"The mayor resigned. " * 60)
    monkeypatch.setattr(sources, "_open_input", lambda *args: pytest.fail("the file was opened"))
    with pytest.raises(InputError, match="1,200 bytes; one article may be at most 1,000 bytes"):
        read_document(str(path))


def test_a_file_at_the_limit_is_read(tmp_path, small_limits):
    path = tmp_path / "fits.txt"
    path.write_bytes(b"x" * 1000)
    assert read_document(str(path)).content == b"x" * 1000


def test_stdin_over_the_limit_is_refused_after_a_bounded_read(small_limits, monkeypatch):
    stream = io.BytesIO(b"y" * 5000)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(stream))
    with pytest.raises(InputError, match="standard input is more than 1,000 bytes"):
        read_document("-")
    assert stream.tell() <= 1001 + 8192  # read up to the limit (plus what a buffer holds), not to the end


def test_memory_error_while_reading_is_an_input_error(monkeypatch):
    class Exhausted(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, buffer):
            raise MemoryError

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(Exhausted())))
    with pytest.raises(InputError, match="not enough memory to read standard input"):
        read_document("-")


def _jsonl(path, *lines: str) -> None:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def test_a_row_over_the_limit_is_reported_and_the_rest_read(tmp_path, small_limits):
    path = tmp_path / "rows.jsonl"
    long_row = json.dumps({"id": "long", "article": "word " * 400})
    _jsonl(path, json.dumps({"id": "a", "article": "Fine."}), long_row, json.dumps({"id": "b", "article": "Fine."}))
    records = list(iter_records(path))
    assert [(r.id, r.line) for r in records] == [("a", 1), ("row-2", 2), ("b", 3)]
    assert records[1].error == "row is longer than 1,000 bytes" and records[2].error is None


def test_a_long_row_at_the_end_without_a_newline(tmp_path, small_limits):
    path = tmp_path / "rows.jsonl.gz"
    with gzip.open(path, "wt") as handle:
        handle.write(json.dumps({"id": "a", "article": "Fine."}) + "\n" + "x" * 5000)
    assert [r.error for r in iter_records(path)] == [None, "row is longer than 1,000 bytes"]


def test_a_csv_row_over_the_limit_is_reported_and_the_rest_read(tmp_path, small_limits):
    path = tmp_path / "rows.csv"
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerows([["id", "article"], ["a", "Fine."], ["long", "word " * 400], ["b", "Line one.\nLine two."]])
    records = list(iter_records(path))
    assert [r.id for r in records] == ["a", "row-2", "b"]
    assert "longer than 1,000 characters" in records[1].error and records[2].article == "Line one.\nLine two."


def test_deeply_nested_json_is_a_bad_row(tmp_path):
    path = tmp_path / "rows.jsonl"
    _jsonl(path, "[" * 100_000, json.dumps({"id": "b", "article": "Fine."}))
    records = list(iter_records(path))
    assert "malformed JSON" in records[0].error and records[1].id == "b"


def test_a_utf8_bom_does_not_spoil_the_first_row(tmp_path):
    path = tmp_path / "rows.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"id": "a", "article": "Fine."}).encode() + b"\n")
    (record,) = iter_records(path)
    assert record.id == "a" and record.error is None


def test_surrogates_from_json_escapes_are_replaced(tmp_path):
    path = tmp_path / "rows.jsonl"
    path.write_text('{"id": "a\\ud800", "article": "The \\udfff council met.", "highlights": ["x\\ud800"]}\n')
    (record,) = iter_records(path)
    assert (record.id, record.article, record.highlights) == ("a\ufffd", "The \ufffd council met.", ["x\ufffd"])
    assert len(record.article) == len("The \udfff council met.")  # one for one: offsets hold


def test_a_directory_named_like_a_dataset_is_an_input_error(tmp_path):
    (tmp_path / "rows.jsonl").mkdir()
    with pytest.raises(InputError, match="is a directory"):
        list(iter_records(tmp_path / "rows.jsonl"))
