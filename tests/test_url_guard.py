"""The SSRF guard of `fetch_url`: only http(s), only public addresses (after DNS, on every redirect, and the
connection goes to the very address that was checked), bounded in time and size.

No test here leaves the machine: literal non-public addresses are refused before any connection, and the
rest talk to a server on 127.0.0.1 (tests/local_server.py), made to look public by patching the predicate.
"""

from __future__ import annotations

import ipaddress
import socket

import pytest

from highlights.errors import PRIVATE_ADDRESS_REFUSAL, FetchError, PrivateAddressError, with_private_address_hint
from highlights.ingest import sources
from highlights.ingest.sources import fetch_document, fetch_url, is_public_address
from local_server import local_server, self_signed_certificate

# Beyond the plain cases in tests/test_sources.py: other spellings of loopback, credentials, other ranges.
NON_PUBLIC = [
    "http://127.1.2.3:8080/x",
    "http://2130706433/",
    "http://0x7f.1/",
    "http://127.1/",
    "http://user:secret@127.0.0.1/",
    "http://100.64.0.1/",
    "http://[fe80::1]/",
    "http://[fc00::1]/",
    "http://224.0.0.1/",
    "https://127.0.0.1:8443/",
    "http://[::ffff:169.254.169.254]/",
    # IPv6 forms that embed a non-public IPv4 address: IPv4-compatible, IPv4-translated, NAT64 (well-known and
    # local-use prefixes), 6to4, Teredo (server 65.54.227.120, client 192.0.2.45 / 10.0.0.1).
    "http://[::127.0.0.1]/",
    "http://[::ffff:0:7f00:1]/",
    "http://[64:ff9b::7f00:1]/",
    "http://[64:ff9b::a9fe:a9fe]/",
    "http://[64:ff9b:1::7f00:1]/",
    "http://[64:ff9b:1:7f00:1::]/",
    "http://[2002:7f00:1::1]/",
    "http://[2002:a00:1::1]/",
    "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",
    "http://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/",
]


@pytest.fixture
def no_connections(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"a connection was attempted: {args}")

    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture
def loopback_is_public(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend 127.0.0.1 (only) is a public address, so the test server stands in for a public site."""
    real = is_public_address
    monkeypatch.setattr(
        sources, "is_public_address", lambda address: address == ipaddress.ip_address("127.0.0.1") or real(address)
    )


@pytest.mark.parametrize("url", NON_PUBLIC)
def test_non_public_addresses_are_refused_before_connecting(url: str, no_connections: None) -> None:
    with pytest.raises(FetchError, match="non-public address"):
        fetch_url(url)


def test_the_refusal_is_one_the_cli_and_the_service_recognize(no_connections: None) -> None:
    # They add how to allow private addresses (the guard cannot know the option), by the refusal's type.
    with pytest.raises(PrivateAddressError) as refused:
        fetch_url("http://127.0.0.1:9/")
    assert isinstance(refused.value, FetchError) and PRIVATE_ADDRESS_REFUSAL in str(refused.value)
    assert str(with_private_address_hint(refused.value, "HOW")).endswith("; HOW")
    not_refused = FetchError("http://x/ answered HTTP 404")
    assert str(with_private_address_hint(not_refused, "HOW")) == "http://x/ answered HTTP 404"


@pytest.mark.parametrize(
    "address, public",
    [
        ("::ffff:8.8.8.8", True),
        ("64:ff9b::808:808", True),
        ("2002:808:808::1", True),
        ("2606:4700::1111", True),
        ("::8.8.8.8", True),
        ("::10.0.0.1", False),
        ("::ffff:0:a00:1", False),
        ("64:ff9b::a00:1", False),
        ("64:ff9b:1::808:808", False),
        ("2002:c0a8:101::1", False),
        ("2002:6440:1::1", False),
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", False),
        ("2001:0:808:808:8000:63bf:f7f7:f7f7", False),
    ],
)
def test_embedded_ipv4_decides_for_the_ipv6_forms_that_carry_one(address: str, public: bool) -> None:
    """NAT64 and 6to4 to a public address stay usable (DNS64 networks answer with 64:ff9b:: addresses);
    Teredo is refused even with public ends (Python does not count 2001::/23 as global)."""
    assert is_public_address(ipaddress.ip_address(address)) is public


@pytest.mark.parametrize("url", ["http://[::1", "http://127.0.0.1:99999/", "http://127.0.0.1:abc/", "https://[::1/x"])
def test_malformed_urls_are_fetch_errors(url: str, no_connections: None) -> None:
    with pytest.raises(FetchError, match="not a valid URL"):
        fetch_url(url)
    with pytest.raises(FetchError, match="not a valid URL"):
        fetch_url(url, allow_private=True)


def test_a_name_with_any_private_address_is_refused(monkeypatch: pytest.MonkeyPatch, no_connections: None) -> None:
    answers = [
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", 80)),
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", 80)),
    ]
    monkeypatch.setattr(socket, "getaddrinfo", lambda *args, **kwargs: answers)
    with pytest.raises(FetchError, match="10.1.2.3"):
        fetch_url("http://mixed.example/")


def test_unresolvable_host_is_a_fetch_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", fail)
    with pytest.raises(FetchError, match="cannot resolve"):
        fetch_url("http://no-such-host.example/")


def test_loopback_is_fetched_when_private_is_allowed() -> None:
    with local_server() as (base, _):
        document = fetch_document(f"{base}/article", allow_private=True)
    assert document.format == "html" and b"harbor ferry" in document.content


def test_connection_goes_to_the_checked_address(monkeypatch: pytest.MonkeyPatch, loopback_is_public: None) -> None:
    """DNS rebinding: the name resolves to 127.0.0.1 (passes the check), then to 127.0.0.2. Resolving again
    to connect would reach 127.0.0.2, where nothing listens; the pinned fetch connects to 127.0.0.1."""
    real_getaddrinfo = socket.getaddrinfo
    lookups = []

    def rebinding(host: str, port: int, *args: object, **kwargs: object) -> list:
        if host != "news.test":
            return real_getaddrinfo(host, port, *args, **kwargs)
        lookups.append(host)
        address = "127.0.0.1" if len(lookups) == 1 else "127.0.0.2"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    with local_server() as (base, server):
        port = base.rsplit(":", 1)[1]
        body, content_type = fetch_url(f"http://news.test:{port}/article")
    assert b"harbor ferry" in body and "html" in content_type
    assert lookups == ["news.test"]  # resolved once, for the check
    assert server.seen_hosts == [f"news.test:{port}"]  # the site still sees its own name


@pytest.mark.parametrize("cert_host, works", [("news.test", True), ("other.test", False)])
def test_https_to_the_pinned_address_still_checks_the_certificate_name(
    cert_host: str, works: bool, tmp_path, monkeypatch: pytest.MonkeyPatch, loopback_is_public: None
) -> None:
    """Connecting to the checked address keeps TLS right: SNI and the certificate check use the host name."""
    tls = self_signed_certificate(tmp_path, cert_host)
    if tls is None:
        pytest.skip("no openssl program to make a test certificate")
    monkeypatch.setenv("SSL_CERT_FILE", str(tls[0]))  # trust the throwaway certificate (httpx reads this)
    real_getaddrinfo = socket.getaddrinfo
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, port, *a, **k: real_getaddrinfo("127.0.0.1" if host == "news.test" else host, port, *a, **k),
    )
    with local_server(tls=tls) as (base, _):
        url = f"https://news.test:{base.rsplit(':', 1)[1]}/article"
        if works:
            assert b"harbor ferry" in fetch_url(url)[0]
        else:
            with pytest.raises(FetchError, match="CERTIFICATE_VERIFY_FAILED|certificate|hostname"):
                fetch_url(url)


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.2:{port}/article",
        "http://10.0.0.1/",
        "http://[::1]:{port}/article",
        "file:///etc/passwd",
        "http://169.254.169.254/",
    ],
)
def test_redirects_are_checked_on_every_hop(target: str, loopback_is_public: None) -> None:
    with local_server() as (base, server):
        port = base.rsplit(":", 1)[1]
        with pytest.raises(FetchError, match="non-public|only http"):
            fetch_url(f"{base}/redirect?to={target.format(port=port)}")
        assert len(server.seen_hosts) == 1  # the redirect itself; the target was never requested


@pytest.mark.parametrize("target", ["http://[::1", "http://127.0.0.1:99999/", "http://127.0.0.1:abc/"])
def test_malformed_redirect_targets_are_fetch_errors(target: str, loopback_is_public: None) -> None:
    with local_server() as (base, server):
        with pytest.raises(FetchError, match="redirected to .* not a valid URL|Invalid URL in location"):
            fetch_url(f"{base}/redirect?to={target}")
        with pytest.raises(FetchError, match="redirected to .* not a valid URL|Invalid URL in location"):
            fetch_url(f"{base}/redirect?to={target}", allow_private=True)
        assert len(server.seen_hosts) == 2  # the two redirects; the target was never requested


def test_a_redirect_to_a_public_address_is_followed(loopback_is_public: None) -> None:
    with local_server() as (base, server):
        body, _ = fetch_url(f"{base}/redirect?to=/article")
    assert b"harbor ferry" in body and len(server.seen_hosts) == 2


def test_redirect_loops_end(loopback_is_public: None) -> None:
    with local_server() as (base, _), pytest.raises(FetchError, match="redirected more than"):
        fetch_url(f"{base}/loop")


@pytest.mark.parametrize("path", ["/big", "/big-undeclared"])
def test_size_cap(path: str) -> None:
    with local_server() as (base, _), pytest.raises(FetchError, match="limit"):
        fetch_url(f"{base}{path}", allow_private=True, max_bytes=50_000)


def test_a_dripping_body_hits_the_overall_timeout() -> None:
    # Each byte arrives well inside the read timeout; only a deadline on the whole fetch stops it.
    with local_server() as (base, _), pytest.raises(FetchError, match="timed out"):
        fetch_url(f"{base}/drip", allow_private=True, timeout=0.5)


def test_http_errors_are_fetch_errors() -> None:
    with local_server() as (base, _), pytest.raises(FetchError, match="HTTP 404"):
        fetch_url(f"{base}/missing", allow_private=True)
