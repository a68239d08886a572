"""Where articles come from: a file, standard input, a URL, or the rows of a dataset file.

URL fetching is bounded (timeout, byte cap, at most 5 redirects), http(s) only, and refuses loopback,
private, link-local and other non-public addresses (also when an IPv6 address embeds one), checked after DNS
resolution and again on every redirect. A file is checked before it is read: one over the size limit is
refused unread, anything else (a device, a pipe, stdin) is read only up to the limit, and a named pipe with no
writer is given up after a timeout. Datasets are JSONL, CSV or Parquet, gzip or not, read as a stream of rows,
each row bounded in length.
"""

from __future__ import annotations

import csv
import gzip
import io
import ipaddress
import json
import os
import socket
import stat
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Generic, Protocol, TypeVar
from urllib.parse import SplitResult, urljoin, urlsplit, urlunsplit

from highlights.errors import PRIVATE_ADDRESS_REFUSAL, FetchError, InputError, PrivateAddressError
from highlights.ingest.decode import MAX_CHARS, clean_text

MAX_FETCH_BYTES = 5_000_000
FETCH_TIMEOUT_S = 10.0
MAX_REDIRECTS = 5
# One article file (or stdin) may hold at most this many bytes; a larger regular file is refused unread. The
# decoder refuses texts over MAX_CHARS characters, and English news takes ~1.01 UTF-8 bytes per character
# (curly quotes and dashes take three), so 10% over MAX_CHARS passes every mostly-Latin text the decoder
# would take, while reading stays within ~2 x 55 MB, however large or endless the input (4 x MAX_CHARS, what
# any text of MAX_CHARS characters may need, would be 200 MB to read before most of it is refused anyway).
MAX_INPUT_BYTES = MAX_CHARS + MAX_CHARS // 10
# One dataset row (a JSONL line, a CSV record): an article plus its id and highlights, so the same bound; a
# longer row is reported as bad, and the rows after it are read.
MAX_ROW_BYTES = MAX_INPUT_BYTES
PIPE_WAIT_S = FETCH_TIMEOUT_S  # how long a named pipe may go without a writer before it is given up
_READ_CHUNK = 1 << 20
DATASET_SUFFIXES = (".jsonl", ".jsonl.gz", ".json.gz", ".ndjson", ".csv", ".csv.gz", ".parquet")


@dataclass(frozen=True, slots=True)
class Document:
    """Raw article content plus where it came from. `format` is "text", "html" or "auto"."""

    content: str | bytes
    source: str
    format: str = "auto"


def is_url(spec: str) -> bool:
    return spec.startswith(("http://", "https://"))


def is_dataset(path: str | Path) -> bool:
    return str(path).lower().endswith(DATASET_SUFFIXES)


def read_document(spec: str, *, allow_private: bool = False, timeout: float = FETCH_TIMEOUT_S) -> Document:
    """`-` for standard input, an http(s) URL, or a file path (a named pipe too: `timeout` is also how long
    it may wait for a writer). At most `MAX_INPUT_BYTES` are read; a larger input is an InputError."""
    if spec == "-":
        return Document(_read_capped(sys.stdin.buffer, "standard input"), "stdin")
    if "://" in spec and not is_url(spec):
        raise InputError(f"only http(s) URLs can be fetched, not {spec!r}")
    if is_url(spec):
        return fetch_document(spec, allow_private=allow_private, timeout=timeout)
    path = Path(spec)
    info = _stat_input(path, "an article file")
    if stat.S_ISREG(info.st_mode) and info.st_size > MAX_INPUT_BYTES:
        raise InputError(_too_large(spec, f"{info.st_size:,} bytes"))
    with _open_input(path, info, timeout) as handle:
        data = _read_capped(handle, spec)
    fmt = "html" if path.suffix.lower() in (".html", ".htm") else "auto"
    return Document(data, str(path), fmt)


# --- files, devices and pipes ------------------------------------------------------------------------


def _too_large(name: str, size: str) -> str:
    return (
        f"{name} is {size}; one article may be at most {MAX_INPUT_BYTES:,} bytes (give one article per "
        "file, or a JSONL/CSV/Parquet dataset for many)"
    )


def _stat_input(path: Path, what: str) -> os.stat_result:
    """What `path` is (symlinks followed), or an InputError saying why it cannot be read."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError(f"no such file: {path}") from None
    except (OSError, ValueError) as error:  # ValueError: a NUL in the name
        raise InputError(f"cannot read {path}: {getattr(error, 'strerror', None) or error}") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{path} is a directory; give {what}")
    return info


@contextmanager
def _open_input(path: Path, info: os.stat_result, pipe_wait: float) -> Iterator[BinaryIO]:
    """`path` open for binary reading. A named pipe is opened only once a writer comes, within `pipe_wait`
    seconds: a pipe nobody writes to must not hang the command."""
    try:
        # A 64 KiB buffer, not 8 KiB: skipping a 3 GB dataset line by readline takes 3 s instead of 20.
        handle = open(
            _open_pipe(path, pipe_wait) if stat.S_ISFIFO(info.st_mode) else path,
            "rb",  # noqa: SIM115
            buffering=1 << 16,
        )
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror or error}") from None
    with handle:
        yield handle


def _open_pipe(path: Path, wait: float) -> int:
    """A file descriptor for reading the named pipe `path`, or an InputError if no writer opens it in time.

    A blocking open returns as soon as the pipe has a writer (at once for `<(command)`, whose writer is
    already there, even when it is slow to write), so the wait is only for a pipe that nobody writes to.
    It runs in a thread; giving up wakes it by opening the pipe for writing once, and it closes what it got.
    """
    lock = threading.Lock()
    state: dict = {"fd": None, "error": None, "gave_up": False}

    def open_blocking() -> None:
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError as error:
            with lock:
                state["error"] = error
            return
        with lock:
            if state["gave_up"]:
                os.close(fd)
            else:
                state["fd"] = fd

    thread = threading.Thread(target=open_blocking, name=f"open {path}", daemon=True)
    thread.start()
    thread.join(wait)
    with lock:
        if state["error"] is not None:
            raise state["error"]
        if state["fd"] is not None:
            return state["fd"]
        state["gave_up"] = True
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))  # the blocked open returns, and is closed
    except OSError:
        pass  # the thread stays blocked; it is a daemon and holds nothing
    raise InputError(
        f"{path} is a named pipe and nothing opened it for writing within {wait:g} s; write the "
        "article into it (or give a regular file)"
    )


def _read_capped(handle: BinaryIO, name: str) -> bytes:
    """All of `handle`, or an InputError as soon as it holds more than MAX_INPUT_BYTES (an endless device, a
    file still growing): never more than one byte past the limit is read."""
    limit = MAX_INPUT_BYTES
    chunks: list[bytes] = []
    size = 0
    try:
        while size <= limit:
            chunk = handle.read(min(_READ_CHUNK, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise InputError(_too_large(name, f"more than {limit:,} bytes"))
        return b"".join(chunks)
    except MemoryError:
        chunks.clear()
        raise InputError(
            f"not enough memory to read {name} ({size:,} bytes read); free some memory or give a smaller input"
        ) from None
    except OSError as error:
        raise InputError(f"cannot read {name}: {error.strerror or error}") from None


# --- URLs -------------------------------------------------------------------------------------------


def fetch_document(
    url: str,
    *,
    allow_private: bool = False,
    timeout: float = FETCH_TIMEOUT_S,
    max_bytes: int = MAX_FETCH_BYTES,
) -> Document:
    """`fetch_url` as a Document: HTML when the server says so, else sniffed."""
    content, content_type = fetch_url(url, allow_private=allow_private, timeout=timeout, max_bytes=max_bytes)
    return Document(content, url, "html" if "html" in content_type else "auto")


# IPv6 forms that carry an IPv4 address in their last 32 bits: IPv4-compatible (::a.b.c.d, deprecated),
# IPv4-translated (::ffff:0:a.b.c.d, RFC 2765) and NAT64's well-known prefix (RFC 6052). 6to4 and Teredo
# carry theirs elsewhere and `ipaddress` reads them. NAT64's local-use prefix 64:ff9b:1::/48 (RFC 8215) is
# never public: where it sits in the address depends on the operator's prefix length.
_IPV4_IN_LOW_BITS = tuple(ipaddress.ip_network(net) for net in ("::/96", "::ffff:0:0:0/96", "64:ff9b::/96"))
_NAT64_LOCAL_USE = ipaddress.ip_network("64:ff9b:1::/48")


def embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address stands for or leads to (mapped, compatible, translated, NAT64,
    6to4, Teredo server and client); empty for a plain IPv6 address."""
    found = []
    if address.ipv4_mapped is not None:
        found.append(address.ipv4_mapped)
    if any(address in network for network in _IPV4_IN_LOW_BITS):
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    if address.sixtofour is not None:
        found.append(address.sixtofour)
    if address.teredo is not None:
        found.extend(address.teredo)
    return found


def is_public_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Globally routable unicast: not loopback, private, link-local, shared (CGNAT), reserved or multicast,
    nor an IPv6 address that embeds an IPv4 address that is not public (::127.0.0.1, 64:ff9b::10.0.0.1,
    2002:7f00:1::1, Teredo, ...)."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:  # the connection goes to the IPv4 address itself
            return is_public_address(address.ipv4_mapped)
        if address in _NAT64_LOCAL_USE or not all(is_public_address(v4) for v4 in embedded_ipv4(address)):
            return False
    return address.is_global and not address.is_multicast


def check_public_host(host: str, port: int) -> str:
    """Resolve `host` and refuse it unless every address it resolves to is public (the SSRF guard).

    Returns the address to connect to: the caller connects to exactly this one, so a DNS answer that changes
    between the check and the connection (DNS rebinding) cannot lead it to a private address.
    """
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(f"cannot resolve host {host!r}: {error}") from None
    # TCP gives IPv4 and IPv6 socket addresses only, whose first item is the address as a string.
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    if not addresses:
        raise FetchError(f"cannot resolve host {host!r}: no addresses")
    for address in addresses:
        if not is_public_address(address):
            raise PrivateAddressError(f"refusing to fetch {host!r}: it {PRIVATE_ADDRESS_REFUSAL} {address}")
    return str(addresses[0])


def _split_url(url: str, referrer: str | None = None) -> tuple[SplitResult, str, int]:
    """The parts of an http(s) URL, its host name and the port it names (or the scheme's), or a FetchError that
    says what is wrong with it: urllib raises ValueError for '[::1' without its ']' or a port that is not 0-65535."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise FetchError(_invalid_url(url, error, referrer)) from None
    hostname = parts.hostname
    if parts.scheme not in ("http", "https") or not hostname:
        raise FetchError(f"only http(s) URLs can be fetched, not {url!r}")
    return parts, hostname, port if port is not None else (443 if parts.scheme == "https" else 80)


def _invalid_url(url: str, error: ValueError, referrer: str | None) -> str:
    if referrer:
        return f"{referrer} redirected to {url!r}, which is not a valid URL ({error})"
    return f"{url!r} is not a valid URL ({error}); check it"


def _pinned(parts: SplitResult, hostname: str, address: str) -> tuple[str, dict[str, str], dict[str, str]]:
    """The URL to request from `address` instead of `hostname`, with the Host header and TLS name
    (SNI, certificate check) still those of the original host."""
    literal = f"[{address}]" if ":" in address else address
    netloc = literal if parts.port is None else f"{literal}:{parts.port}"
    host = hostname if parts.port is None else f"{hostname}:{parts.port}"
    extensions = {"sni_hostname": hostname} if parts.scheme == "https" else {}
    return urlunsplit(parts._replace(netloc=netloc)), {"Host": host}, extensions


def fetch_url(
    url: str,
    *,
    allow_private: bool = False,
    timeout: float = FETCH_TIMEOUT_S,
    max_bytes: int = MAX_FETCH_BYTES,
) -> tuple[bytes, str]:
    """GET a page: (body, content type). Raises FetchError with the reason on any failure.

    `timeout` bounds the whole fetch, redirects and a slowly dripping body included.
    """
    import httpx  # loaded with the first URL: files, stdin and datasets never need it

    current, referrer = url, None
    deadline = time.monotonic() + timeout
    with httpx.Client(follow_redirects=False, headers={"User-Agent": "highlights"}) as client:
        for _ in range(MAX_REDIRECTS + 1):
            parts, hostname, port = _split_url(current, referrer)
            headers: dict[str, str] = {}
            extensions: dict[str, str] = {}
            target = current
            if not allow_private:
                address = check_public_host(hostname, port)
                target, headers, extensions = _pinned(parts, hostname, address)
            try:
                remaining = max(deadline - time.monotonic(), 0.001)
                with client.stream(
                    "GET", target, headers=headers, extensions=extensions, timeout=remaining
                ) as response:
                    if response.is_redirect:
                        location = response.headers.get("location")
                        if not location:
                            raise FetchError(f"{current} redirected without a location")
                        referrer = current
                        try:
                            current = urljoin(current, location)
                        except ValueError as error:  # urljoin parses the target: 'http://[::1' fails here
                            raise FetchError(_invalid_url(location, error, referrer)) from None
                        continue
                    if response.status_code >= 400:
                        raise FetchError(f"{current} answered HTTP {response.status_code}")
                    declared = response.headers.get("content-length")
                    if declared and declared.isdigit() and int(declared) > max_bytes:
                        raise FetchError(f"{current} is {int(declared):,} bytes; the limit is {max_bytes:,}")
                    body = bytearray()
                    for chunk in response.iter_bytes():
                        body += chunk
                        if len(body) > max_bytes:
                            raise FetchError(f"{current} is larger than the {max_bytes:,}-byte limit")
                        if time.monotonic() > deadline:
                            raise httpx.ReadTimeout("deadline passed")
                    return bytes(body), response.headers.get("content-type", "")
            except httpx.TimeoutException:
                raise FetchError(f"fetching {current} timed out after {timeout:g} s") from None
            except httpx.InvalidURL as error:  # not an HTTPError: a host httpx cannot encode, say
                raise FetchError(f"cannot fetch {current!r}: {error}") from None
            except httpx.HTTPError as error:
                raise FetchError(f"fetching {current} failed: {error}") from None
    raise FetchError(f"{url} redirected more than {MAX_REDIRECTS} times")


# --- Datasets ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Record:
    """One dataset row: `article` is None when the row has none; `error` says why the row is unusable."""

    id: str
    article: str | None
    highlights: list[str]
    line: int  # 1-based row number in the file
    error: str | None = None


# What reading a dataset may raise part-way (a truncated gzip, a corrupt Parquet file, a failing disk): the
# rows before it are good, the rest of that file cannot be read.
READ_ERRORS = (OSError, EOFError, ValueError)


class RowTooLong(Exception):
    """A dataset row over MAX_ROW_BYTES. `final`: the rest of the stream could not be skipped, so it is not read."""

    def __init__(self, message: str, final: bool) -> None:
        super().__init__(message)
        self.final = final


_Line = TypeVar("_Line", bytes, str)
_ReadLine = TypeVar("_ReadLine", bytes, str, covariant=True)


class _LineReader(Protocol[_ReadLine]):
    """A binary or text stream, as far as `_BoundedLines` reads it."""

    def readline(self, size: int = -1, /) -> _ReadLine: ...


class _BoundedLines(Generic[_Line]):
    """The lines of `handle` (bytes or text), none longer than `limit`. A longer line raises RowTooLong after its
    rest is skipped in chunks (memory stays flat), and the next call goes on with the line after it. Where the
    rest may never end (not a regular file: /dev/zero is one endless line) nothing more is read."""

    def __init__(self, handle: _LineReader[_Line], limit: int, *, can_skip: bool, unit: str) -> None:
        self.handle: _LineReader[_Line] = handle
        self.limit = limit
        self.can_skip = can_skip
        self.unit = unit
        # text is read with newline=""
        self.newlines: tuple[bytes | str, ...] = (b"\n",) if unit == "bytes" else ("\n", "\r")
        self.done = False

    def __iter__(self) -> _BoundedLines[_Line]:
        return self

    def __next__(self) -> _Line:
        if self.done:
            raise StopIteration
        line = self.handle.readline(self.limit + 1)
        if not line:
            raise StopIteration
        if len(line) > self.limit and line[-1:] not in self.newlines:
            too_long = f"row is longer than {self.limit:,} {self.unit}"
            if not self.can_skip:
                self.done = True
                raise RowTooLong(f"{too_long}; the rest of this stream is not read", final=True)
            while (rest := self.handle.readline(_READ_CHUNK)) and rest[-1:] not in self.newlines:
                pass
            raise RowTooLong(too_long, final=False)
        return line


_Row = TypeVar("_Row")


def _numbered(rows: Iterator[_Row]) -> Iterator[tuple[int, _Row | None, str | None]]:
    """(1-based number, row, None) for each row, or (number, None, reason) for one that cannot be read."""
    number = 0
    while True:
        number += 1
        try:
            row = next(rows)
        except StopIteration:
            return
        except RowTooLong as error:
            yield number, None, str(error)
            if error.final:
                return
            continue
        except csv.Error as error:  # the reader goes on with the next line
            yield number, None, f"malformed CSV: {error}"
            continue
        yield number, row, None


@contextmanager
def _open_dataset(path: Path, pipe_wait: float) -> Iterator[tuple[BinaryIO | gzip.GzipFile, bool]]:
    """(binary stream of the rows, gunzipped if the name ends in .gz; whether it is a regular file)."""
    info = _stat_input(path, "a dataset file")
    regular = stat.S_ISREG(info.st_mode)
    with _open_input(path, info, pipe_wait) as raw:
        if path.name.lower().endswith(".gz"):
            with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
                yield unzipped, regular
        else:
            yield raw, regular


def _record(row: dict, line: int, id_field: str, article_field: str, highlights_field: str) -> Record:
    raw_id = row.get(id_field)
    rid = clean_text(str(raw_id)) if raw_id not in (None, "") else f"row-{line}"
    article = row.get(article_field)
    highlights = row.get(highlights_field) or ""
    if isinstance(highlights, list):
        refs = [clean_text(str(h).strip()) for h in highlights if str(h).strip()]
    else:
        refs = [clean_text(h.strip()) for h in str(highlights).split("\n") if h.strip()]
    if article is None:
        return Record(rid, None, refs, line, f"no {article_field!r} field")
    if not isinstance(article, str):
        return Record(rid, None, refs, line, f"{article_field!r} is not text")
    if not article.strip():
        return Record(rid, None, refs, line, f"{article_field!r} is empty")
    return Record(rid, clean_text(article), refs, line)


def iter_records(
    path: str | Path,
    *,
    id_field: str = "id",
    article_field: str = "article",
    highlights_field: str = "highlights",
    pipe_wait: float = PIPE_WAIT_S,
) -> Iterator[Record]:
    """Stream the rows of a JSONL / CSV / Parquet file (gzip allowed). Bad rows come back with `error` set,
    a row over MAX_ROW_BYTES among them. Strings are cleaned of surrogates (`clean_text`)."""
    path = Path(path)
    name = path.name.lower()
    fields = (id_field, article_field, highlights_field)
    if name.endswith(".parquet"):
        if not stat.S_ISREG(_stat_input(path, "a dataset file").st_mode):
            raise InputError(f"{path} is not a regular file; Parquet is read from a file")
        yield from _iter_parquet(path, *fields)
    elif name.endswith((".csv", ".csv.gz")):
        csv.field_size_limit(MAX_ROW_BYTES)  # a field is bounded as a line is (a quoted field spans lines)
        with (
            _open_dataset(path, pipe_wait) as (stream, regular),
            io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="") as text_stream,
        ):
            reader = csv.DictReader(_BoundedLines(text_stream, MAX_ROW_BYTES, can_skip=regular, unit="characters"))
            try:
                reader.fieldnames  # noqa: B018 - reads the header row
            except (RowTooLong, csv.Error) as error:
                raise InputError(f"cannot read the header row of {path}: {error}") from None
            for line, row, problem in _numbered(reader):
                yield Record(f"row-{line}", None, [], line, problem) if row is None else _record(row, line, *fields)
    else:
        with _open_dataset(path, pipe_wait) as (stream, regular):
            lines = _BoundedLines(stream, MAX_ROW_BYTES, can_skip=regular, unit="bytes")
            for line, raw, problem in _numbered(lines):
                if raw is None:
                    yield Record(f"row-{line}", None, [], line, problem)
                    continue
                text = raw.decode("utf-8-sig" if line == 1 else "utf-8", errors="replace")
                if not text.strip():
                    continue
                try:
                    row = json.loads(text)
                except json.JSONDecodeError as error:
                    yield Record(f"row-{line}", None, [], line, f"malformed JSON: {error.msg}")
                    continue
                except RecursionError:
                    yield Record(f"row-{line}", None, [], line, "malformed JSON: nested too deeply")
                    continue
                if not isinstance(row, dict):
                    yield Record(f"row-{line}", None, [], line, "row is not a JSON object")
                    continue
                yield _record(row, line, *fields)


def _iter_parquet(path: Path, id_field: str, article_field: str, highlights_field: str) -> Iterator[Record]:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError("reading Parquet needs pyarrow: pip install 'highlights[parquet]'") from None
    line = 0
    parquet = pq.ParquetFile(path)
    for batch in parquet.iter_batches(batch_size=1024):
        for row in batch.to_pylist():
            line += 1
            yield _record(row, line, id_field, article_field, highlights_field)
