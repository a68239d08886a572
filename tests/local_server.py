"""A tiny HTTP server on 127.0.0.1 for URL-fetching tests (traffic never leaves loopback)."""

from __future__ import annotations

import shutil
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ARTICLE_HTML = (
    "<html><head><title>Harbor ferry returns</title></head><body><article><h1>Harbor ferry returns</h1>"
    "<p>The harbor ferry returned to service on Monday after a six-week repair of its engine.</p>"
    "<p>The city paid for the repair from its transport budget, officials said.</p>"
    "<p>Commuters had taken a bus around the bay, which added forty minutes to the trip.</p>"
    "</article></body></html>"
)


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if "Content-Length" not in (headers or {}):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        self.server.seen_hosts.append(self.headers.get("Host"))  # type: ignore[attr-defined]
        if parts.path == "/article":
            self._send(200, ARTICLE_HTML.encode(), {"Content-Type": "text/html; charset=utf-8"})
        elif parts.path == "/redirect":
            self._send(302, headers={"Location": query["to"][0]})
        elif parts.path == "/loop":
            self._send(302, headers={"Location": "/loop"})
        elif parts.path == "/big":
            self._send(200, b"x" * 200_000, {"Content-Type": "text/plain"})
        elif parts.path == "/big-undeclared":  # no Content-Length: the cap must hold while reading
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b"x" * 200_000)
        elif parts.path == "/drip":  # one byte at a time, each well inside a read timeout
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            for _ in range(1000):
                try:
                    self.wfile.write(b"x")
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.1)
        elif parts.path == "/missing":
            self._send(404, b"gone")
        else:
            self._send(404)


@contextmanager
def local_server(tls: tuple[Path, Path] | None = None) -> Iterator[tuple[str, ThreadingHTTPServer]]:
    """(base URL like http://127.0.0.1:PORT, server) for the duration of the block; HTTPS with `tls`
    = (certificate file, key file)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    scheme = "http"
    if tls is not None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*tls)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        scheme = "https"
    server.daemon_threads = True
    server.seen_hosts = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"{scheme}://127.0.0.1:{server.server_address[1]}", server
    finally:
        server.shutdown()
        server.server_close()


def self_signed_certificate(directory: Path, host: str) -> tuple[Path, Path] | None:
    """A throwaway certificate for `host` made with the openssl program (None when it is missing)."""
    if shutil.which("openssl") is None:
        return None
    cert, key = directory / f"{host}.crt", directory / f"{host}.key"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "1",
            "-subj",
            f"/CN={host}",
            "-addext",
            f"subjectAltName=DNS:{host}",
        ],
        check=True,
        capture_output=True,
    )
    return cert, key
