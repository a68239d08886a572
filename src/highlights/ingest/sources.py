"""Where articles come from: a file, standard input, a URL, or the rows of a dataset file.

URL fetching is bounded (timeout, byte cap, at most 5 redirects), http(s) only, and refuses loopback,
private, link-local and other non-public addresses, checked after DNS resolution and again on every
redirect. Datasets are JSONL, CSV or Parquet, gzip or not, read as a stream of rows.
"""

from __future__ import annotations

import csv
import gzip
import io
import ipaddress
import json
import socket
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import SplitResult, urljoin, urlsplit, urlunsplit

from highlights.errors import FetchError, InputError

MAX_FETCH_BYTES = 5_000_000
FETCH_TIMEOUT_S = 10.0
MAX_REDIRECTS = 5
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
    """`-` for standard input, an http(s) URL, or a file path."""
    if spec == "-":
        return Document(sys.stdin.buffer.read(), "stdin")
    if "://" in spec and not is_url(spec):
        raise InputError(f"only http(s) URLs can be fetched, not {spec!r}")
    if is_url(spec):
        return fetch_document(spec, allow_private=allow_private, timeout=timeout)
    path = Path(spec)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"no such file: {spec}") from None
    except IsADirectoryError:
        raise InputError(f"{spec} is a directory; give an article file") from None
    except OSError as error:
        raise InputError(f"cannot read {spec}: {error.strerror or error}") from None
    fmt = "html" if path.suffix.lower() in (".html", ".htm") else "auto"
    return Document(data, str(path), fmt)


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
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    if not addresses:
        raise FetchError(f"cannot resolve host {host!r}: no addresses")
    for address in addresses:
        if not is_public_address(address):
            raise FetchError(f"refusing to fetch {host!r}: it resolves to the non-public address {address}")
    return str(addresses[0])


def _split_url(url: str, referrer: str | None = None) -> tuple[SplitResult, int]:
    """The parts of an http(s) URL and the port it names (or the scheme's), or a FetchError that says what is
    wrong with it: urllib raises ValueError for '[::1' without its ']' or a port that is not 0-65535."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise FetchError(_invalid_url(url, error, referrer)) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"only http(s) URLs can be fetched, not {url!r}")
    return parts, port if port is not None else (443 if parts.scheme == "https" else 80)


def _invalid_url(url: str, error: ValueError, referrer: str | None) -> str:
    if referrer:
        return f"{referrer} redirected to {url!r}, which is not a valid URL ({error})"
    return f"{url!r} is not a valid URL ({error}); check it"


def _pinned(parts: SplitResult, address: str) -> tuple[str, dict[str, str], dict[str, str]]:
    """The URL to request from `address` instead of the host name, with the Host header and TLS name
    (SNI, certificate check) still those of the original host."""
    literal = f"[{address}]" if ":" in address else address
    netloc = literal if parts.port is None else f"{literal}:{parts.port}"
    host = parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"
    extensions = {"sni_hostname": parts.hostname} if parts.scheme == "https" else {}
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
    import httpx

    current, referrer = url, None
    deadline = time.monotonic() + timeout
    with httpx.Client(follow_redirects=False, headers={"User-Agent": "highlights"}) as client:
        for _ in range(MAX_REDIRECTS + 1):
            parts, port = _split_url(current, referrer)
            target, headers, extensions = current, {}, {}
            if not allow_private:
                address = check_public_host(parts.hostname, port)
                target, headers, extensions = _pinned(parts, address)
            try:
                remaining = max(deadline - time.monotonic(), 0.001)
                with client.stream("GET", target, headers=headers, extensions=extensions,
                                   timeout=remaining) as response:
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


def _open_text(path: Path) -> io.TextIOBase:
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", errors="replace", newline="")
    return open(path, encoding="utf-8", errors="replace", newline="")


def _record(row: dict, line: int, id_field: str, article_field: str, highlights_field: str) -> Record:
    raw_id = row.get(id_field)
    rid = str(raw_id) if raw_id not in (None, "") else f"row-{line}"
    article = row.get(article_field)
    highlights = row.get(highlights_field) or ""
    if isinstance(highlights, list):
        refs = [str(h).strip() for h in highlights if str(h).strip()]
    else:
        refs = [h.strip() for h in str(highlights).split("\n") if h.strip()]
    if article is None:
        return Record(rid, None, refs, line, f"no {article_field!r} field")
    if not isinstance(article, str):
        return Record(rid, None, refs, line, f"{article_field!r} is not text")
    if not article.strip():
        return Record(rid, None, refs, line, f"{article_field!r} is empty")
    return Record(rid, article, refs, line)


def iter_records(
    path: str | Path,
    *,
    id_field: str = "id",
    article_field: str = "article",
    highlights_field: str = "highlights",
) -> Iterator[Record]:
    """Stream the rows of a JSONL / CSV / Parquet file (gzip allowed). Bad rows come back with `error` set."""
    path = Path(path)
    name = path.name.lower()
    if not path.exists():
        raise InputError(f"no such file: {path}")
    fields = (id_field, article_field, highlights_field)
    if name.endswith(".parquet"):
        yield from _iter_parquet(path, *fields)
    elif name.endswith((".csv", ".csv.gz")):
        csv.field_size_limit(sys.maxsize)
        with _open_text(path) as handle:
            for line, row in enumerate(csv.DictReader(handle), start=1):
                yield _record(row, line, *fields)
    else:
        with _open_text(path) as handle:
            for line, raw in enumerate(handle, start=1):
                if not raw.strip():
                    continue
                try:
                    row = json.loads(raw)
                except json.JSONDecodeError as error:
                    yield Record(f"row-{line}", None, [], line, f"malformed JSON: {error.msg}")
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
