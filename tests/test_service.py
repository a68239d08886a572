"""The HTTP API: every endpoint, every error path, the SSRF guard through the service, and the page's files.

These run the app in-process (TestClient) with the pipeline in threads (`workers=0`); the summarizer
processes, deadlines that kill them, and the HTTP-level guards are tested on a real server in
tests/test_service_abuse.py."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import socket
import time
import warnings
from pathlib import Path

import pytest

# starlette's TestClient warns that it will move to another HTTP client; nothing to act on here.
warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
pytest.importorskip("fastapi", reason="the service needs the `serve` extra (fastapi, uvicorn)")
from fastapi.testclient import TestClient  # noqa: E402

import highlights.service.app as service_app  # noqa: E402
import highlights.service.worker as service_worker  # noqa: E402
from highlights import summarize, to_dict  # noqa: E402
from highlights.article import Fixup  # noqa: E402
from highlights.compress import apply_fixups  # noqa: E402
from highlights.score import base as scorers  # noqa: E402
from highlights.score import methods  # noqa: E402
from highlights.service.app import STATIC_DIR, create_app  # noqa: E402
from highlights.service.pool import ShortestFirst  # noqa: E402
from highlights.service.schemas import BatchResponse  # noqa: E402
from highlights.service.settings import SETTINGS_ENV, Settings, default_workers  # noqa: E402
from local_server import ARTICLE_HTML, local_server  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def client_for(**settings: object) -> TestClient:
    return TestClient(create_app(Settings(warm_up=False, workers=0, **settings)), raise_server_exceptions=False)


@pytest.fixture
def client() -> TestClient:
    return client_for()


def assert_error(response, status: int, code: str, message: str | None = None) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code
    assert "Traceback" not in response.text
    if message is not None:
        assert re.search(message, error["message"]), error["message"]
    return error


# --- POST /v1/highlights -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"method": "lead", "bullets": 2},
        {"bullets": 1, "max_words_per_bullet": 25},
        {"max_words": 30, "redundancy": 1.0, "attribution": False},
    ],
)
def test_text_gives_the_python_api_result(client: TestClient, example_text: str, options: dict) -> None:
    response = client.post("/v1/highlights", json={"text": example_text, **options})
    assert response.status_code == 200, response.text
    python_options = {("attribute" if k == "attribution" else k): v for k, v in options.items()}
    assert response.json() == to_dict(summarize(example_text, **python_options))


def test_the_response_schema_is_to_dict(client: TestClient, example_text: str) -> None:
    from highlights.service.schemas import HighlightOut, HighlightsResult

    result = client.post("/v1/highlights", json={"text": example_text}).json()
    assert set(HighlightsResult.model_fields) == set(result)
    assert set(HighlightOut.model_fields) == set(result["highlights"][0])
    assert HighlightsResult.model_validate(result).model_dump(mode="json") == result


def test_spans_point_into_text_and_reference_highlights_come_back(client: TestClient, example_text: str) -> None:
    result = client.post("/v1/highlights", json={"text": example_text, "bullets": 3}).json()
    assert len(result["highlights"]) == 3
    for highlight in result["highlights"]:
        pieces = [result["text"][start:end] for start, end in highlight["spans"]]
        fixups = tuple(Fixup(f["position"], f["old"], f["new"], f["reason"]) for f in highlight["fixups"])
        assert apply_fixups(" ".join(pieces), fixups) == highlight["source_text"]
    assert result["title"] == "River town's homemade sensors beat the flood"
    assert len(result["reference_highlights"]) == 2 and result["kind"] == "news"


def test_html_input(client: TestClient) -> None:
    result = client.post("/v1/highlights", json={"html": ARTICLE_HTML, "bullets": 2}).json()
    assert result == to_dict(summarize(ARTICLE_HTML, format="html", bullets=2))
    assert "harbor ferry" in result["text"] and len(result["highlights"]) == 2


def test_input_format_text_keeps_markup_as_text(client: TestClient) -> None:
    result = client.post("/v1/highlights", json={"text": ARTICLE_HTML, "input_format": "text"}).json()
    assert "<article>" in result["text"]


# --- validation and input errors ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, ""),
        ({"text": "a", "html": "b"}, ""),
        ({"text": "One. Two.", "method": "nope"}, "method"),
        ({"text": "One. Two.", "bullets": 0}, "bullets"),
        ({"text": "One. Two.", "bullets": "three"}, "bullets"),
        ({"text": "One. Two.", "redundancy": 2}, "redundancy"),
        ({"text": "One. Two.", "max_words_per_bullet": 0}, "max_words_per_bullet"),
        ({"text": "One. Two.", "input_format": "pdf"}, "input_format"),
        ({"text": "One. Two.", "colour": "red"}, "colour"),
        ({"text": 42}, "text"),
        ({"url": "/etc/passwd"}, "url"),
        ({"url": "file:///etc/passwd"}, "url"),
    ],
)
def test_invalid_requests_are_422_with_the_field(client: TestClient, body: dict, field: str) -> None:
    error = assert_error(client.post("/v1/highlights", json=body), 422, "validation_error")
    assert field in [detail["field"] for detail in error["details"]]
    assert error["message"].startswith("invalid request: ")


def test_unknown_method_names_the_choices(client: TestClient) -> None:
    response = client.post("/v1/highlights", json={"text": "One. Two.", "method": "nope"})
    assert_error(response, 422, "validation_error", "unknown method 'nope'; choose one of: " + ", ".join(methods()))


@pytest.mark.parametrize("raw", [b"{not json", b"[]", b'"text"', b""])
def test_malformed_bodies_are_422(client: TestClient, raw: bytes) -> None:
    response = client.post("/v1/highlights", content=raw, headers={"Content-Type": "application/json"})
    assert_error(response, 422, "validation_error")


def test_undecodable_body_is_400(client: TestClient) -> None:
    response = client.post("/v1/highlights", content=b"\xff\xfe\x00", headers={"Content-Type": "application/json"})
    assert_error(response, 400, "bad_request", "parsing the body")


@pytest.mark.parametrize(
    "body, code",
    [
        ({"text": ""}, "empty_input"),
        ({"text": " \n\t "}, "empty_input"),
        ({"html": "<html><head><title>x</title></head></html>"}, "empty_input"),
    ],
)
def test_unusable_articles_are_422_with_a_reason(client: TestClient, body: dict, code: str) -> None:
    assert_error(client.post("/v1/highlights", json=body), 422, code)


@pytest.mark.parametrize(
    "body, status, code",
    [
        ({"text": "".join(chr(i % 32) for i in range(5000))}, 422, "input_error"),  # binary-looking
        (
            {"html": "<div>" * 20000 + "The mayor resigned on Tuesday. The council meets Friday." + "</div>" * 20000},
            200,
            None,
        ),  # deeply nested
        ({"text": "\ufffd" * 3000}, 422, "empty_input"),  # what undecodable bytes become
    ],
)
def test_guide_bad_inputs(client: TestClient, body: dict, status: int, code: str | None) -> None:
    response = client.post("/v1/highlights", json=body)
    if code is None:
        assert response.status_code == status and response.json()["highlights"]
    else:
        assert_error(response, status, code)


@pytest.mark.parametrize(
    "text", ["one line without any punctuation at all", "Один. Два три.", "日本語の文章です。二つ目の文。"]
)
def test_odd_but_readable_text_gets_bullets(client: TestClient, text: str) -> None:
    response = client.post("/v1/highlights", json={"text": text})
    assert response.status_code == 200 and response.json()["highlights"]


# --- limits -----------------------------------------------------------------------------------------


def test_body_over_the_cap_is_413_by_content_length() -> None:
    client = client_for(max_body_bytes=1000)
    response = client.post("/v1/highlights", json={"text": "word " * 500})
    assert_error(response, 413, "body_too_large", "1,000 bytes")


def test_body_over_the_cap_is_413_while_reading_a_chunked_body() -> None:
    client = client_for(max_body_bytes=1000)
    chunks = (b'{"text": "' + b"word " * 100 for _ in range(5))  # a generator: sent chunked, no length
    response = client.post("/v1/highlights", content=chunks, headers={"Content-Type": "application/json"})
    assert_error(response, 413, "body_too_large")


def test_body_under_the_cap_passes(example_text: str) -> None:
    client = client_for(max_body_bytes=len(json.dumps({"text": example_text})) + 10)
    assert client.post("/v1/highlights", json={"text": example_text}).status_code == 200


def slow_summarize(monkeypatch: pytest.MonkeyPatch) -> None:
    """summarize() that takes a second (then does the real work, so the abandoned thread ends cleanly)."""
    real = service_worker.summarize

    def slow(*args: object, **kwargs: object):  # noqa: ANN202
        time.sleep(1.0)
        return real(*args, **kwargs)

    monkeypatch.setattr(service_worker, "summarize", slow)


def test_time_limit_is_504(monkeypatch: pytest.MonkeyPatch) -> None:
    slow_summarize(monkeypatch)
    response = client_for(request_timeout_s=0.05).post("/v1/highlights", json={"text": "One. Two."})
    assert_error(response, 504, "timeout", "0.05 s")


def test_unexpected_errors_are_500_json_and_logged(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(service_worker, "summarize", broken)
    with caplog.at_level(logging.ERROR, logger="highlights.service"):
        response = client_for().post("/v1/highlights", json={"text": "One. Two."})
    assert_error(response, 500, "internal_error")
    assert "secret internal detail" not in response.text
    assert "secret internal detail" in caplog.text  # the operator sees it


def test_unknown_paths_and_methods_are_json(client: TestClient) -> None:
    assert_error(client.get("/v2/nothing"), 404, "not_found")
    assert_error(client.get("/v1/highlights"), 405, "method_not_allowed")


# --- lone surrogates: JSON's \ud800 escapes give Python strings that UTF-8 cannot hold -------------------


@pytest.mark.parametrize(
    "path, body",
    [
        ("/v1/highlights", '{"text": "The mayor resigned on Tuesday \\ud800 after a long fight. The council meets."}'),
        ("/v1/highlights", '{"text": "One. Two.", "method": "\\udfff"}'),
        ("/v1/highlights", '{"text": "One. Two.", "\\ud800": 1}'),
        ("/v1/highlights", '{"html": "<p>The mayor resigned \\ud800 on Tuesday.</p>", "bullets": "\\ud800"}'),
        ("/v1/highlights/batch", '{"items": [{"id": "\\ud800", "text": "The mayor resigned \\udc80 on Tuesday."}]}'),
    ],
)
def test_lone_surrogates_become_u_fffd_and_every_response_is_utf8(client: TestClient, path: str, body: str) -> None:
    response = client.post(path, content=body.encode(), headers={"Content-Type": "application/json"})
    assert response.status_code < 500, response.text
    assert "Traceback" not in response.content.decode("utf-8")  # strict: the response is valid UTF-8
    if path.endswith("batch"):
        (item,) = response.json()["results"]
        assert item["id"] == "\ufffd" and item["result"] is not None


def test_the_method_error_echoes_the_replaced_name(client: TestClient) -> None:
    response = client.post(
        "/v1/highlights",
        content=b'{"text": "One. Two.", "method": "x\\ud800"}',
        headers={"Content-Type": "application/json"},
    )
    assert_error(response, 422, "validation_error", "unknown method 'x\ufffd'")


# --- who runs first ----------------------------------------------------------------------------------------


def test_a_short_article_is_served_before_long_ones_that_came_just_before() -> None:
    async def scenario() -> list[str]:
        queue: ShortestFirst[str] = ShortestFirst(max_delay_s=15)
        served: list[str] = []

        async def wants(name: str, size: int) -> None:
            served.append(f"{name}:{await queue.get(size)}")

        waiters = [asyncio.create_task(wants("long1", 120_000)), asyncio.create_task(wants("long2", 120_000))]
        await asyncio.sleep(0.01)
        waiters.append(asyncio.create_task(wants("short", 3_000)))
        await asyncio.sleep(0.01)
        for process in ("p1", "p2", "p3"):  # processes become idle one at a time
            queue.put(process)
            await asyncio.sleep(0)
        await asyncio.gather(*waiters)
        return served

    assert asyncio.run(scenario()) == ["short:p1", "long1:p2", "long2:p3"]


def test_a_waiter_that_gives_up_passes_its_turn_on() -> None:
    async def scenario() -> str:
        queue: ShortestFirst[str] = ShortestFirst(max_delay_s=15)
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(queue.get(10), 0.01)
        later = asyncio.create_task(queue.get(10))
        await asyncio.sleep(0)
        queue.put("p1")
        return await later

    assert asyncio.run(scenario()) == "p1"


# --- URLs and the SSRF guard --------------------------------------------------------------------------


def test_urls_are_refused_by_default(client: TestClient) -> None:
    assert_error(client.post("/v1/highlights", json={"url": "https://example.com/story"}), 403, "url_fetching_disabled")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost:8000/",
        "http://169.254.169.254/latest",
        "http://10.0.0.8/",
        "http://[::1]/",
        "http://0.0.0.0:80/",
    ],
)
def test_private_urls_are_refused_without_connecting(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a connection was attempted")

    monkeypatch.setattr(socket, "create_connection", refuse)
    response = client_for(allow_urls=True).post("/v1/highlights", json={"url": url})
    assert_error(response, 422, "fetch_error", "non-public address")


def test_a_refused_private_address_says_how_the_server_allows_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket, "create_connection", lambda *args, **kwargs: pytest.fail("a connection was attempted"))
    response = client_for(allow_urls=True).post("/v1/highlights", json={"url": "http://127.0.0.1:9/story"})
    error = assert_error(response, 422, "fetch_error", "non-public address")
    assert "highlights serve --allow-private-urls" in error["message"]
    # Only that refusal gets the hint: other fetch errors are about something else.
    monkeypatch.undo()
    with local_server() as (base, _):
        other = client_for(allow_urls=True, allow_private_urls=True).post(
            "/v1/highlights", json={"url": f"{base}/missing"}
        )
    assert "--allow-private-urls" not in assert_error(other, 422, "fetch_error")["message"]


def test_a_redirect_to_a_private_address_is_refused() -> None:
    # The first hop is loopback too, so only a server that allows private addresses reaches it: what the
    # guard's own tests check hop by hop (tests/test_url_guard.py), here through the service.
    with local_server() as (base, _):
        response = client_for(allow_urls=True).post(
            "/v1/highlights", json={"url": f"{base}/redirect?to=http://169.254.169.254/"}
        )
    assert_error(response, 422, "fetch_error", "non-public address")


def test_url_fetched_when_allowed() -> None:
    with local_server() as (base, _):
        response = client_for(allow_urls=True, allow_private_urls=True).post(
            "/v1/highlights", json={"url": f"{base}/article", "bullets": 1}
        )
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["source"] == f"{base}/article" and "harbor ferry" in result["text"]


def test_url_fetch_errors_are_422() -> None:
    with local_server() as (base, _):
        client = client_for(allow_urls=True, allow_private_urls=True)
        assert_error(client.post("/v1/highlights", json={"url": f"{base}/missing"}), 422, "fetch_error", "HTTP 404")
    with local_server() as (base, _):
        client = client_for(allow_urls=True, allow_private_urls=True, fetch_max_bytes=1000)
        assert_error(client.post("/v1/highlights", json={"url": f"{base}/big"}), 422, "fetch_error", "limit")


# --- POST /v1/highlights/batch ------------------------------------------------------------------------


def test_batch_reports_bad_items_and_goes_on(client: TestClient, example_text: str) -> None:
    items = [{"id": "a", "text": example_text, "bullets": 2}, {"id": "b", "text": "   "}, {"html": ARTICLE_HTML}]
    response = client.post("/v1/highlights/batch", json={"items": items})
    assert response.status_code == 200, response.text
    body = response.json()
    assert BatchResponse.model_validate(body).model_dump(mode="json") == body
    assert body["failed"] == 1
    first, second, third = body["results"]
    assert (first["index"], first["id"], first["error"]) == (0, "a", None)
    assert first["result"] == to_dict(summarize(example_text, bullets=2))
    assert second["id"] == "b" and second["result"] is None and second["error"]["code"] == "empty_input"
    assert third["id"] is None and third["result"]["highlights"]


def test_batch_unexpected_error_costs_only_its_item(monkeypatch: pytest.MonkeyPatch, example_text: str) -> None:
    real = service_worker.summarize

    def flaky(content, **kwargs):  # noqa: ANN001, ANN202
        if "boom" in content:
            raise RuntimeError("boom")
        return real(content, **kwargs)

    monkeypatch.setattr(service_worker, "summarize", flaky)
    body = (
        client_for()
        .post("/v1/highlights/batch", json={"items": [{"text": "boom. boom."}, {"text": example_text}]})
        .json()
    )
    assert [r["error"]["code"] if r["error"] else None for r in body["results"]] == ["internal_error", None]


def test_batch_limits_and_validation() -> None:
    client = client_for(max_batch_items=2)
    items = [{"text": "One. Two."}] * 3
    assert_error(client.post("/v1/highlights/batch", json={"items": items}), 422, "too_many_items", "at most 2")
    assert_error(client.post("/v1/highlights/batch", json={"items": []}), 422, "validation_error")
    error = assert_error(
        client.post("/v1/highlights/batch", json={"items": [{"text": "x", "bullets": -1}]}), 422, "validation_error"
    )
    assert error["details"][0]["field"] == "items.0.bullets"
    assert_error(
        client.post("/v1/highlights/batch", json={"items": [{"url": "https://example.com/"}]}),
        403,
        "url_fetching_disabled",
    )


def test_batch_items_past_the_time_limit_get_a_timeout_error(monkeypatch: pytest.MonkeyPatch) -> None:
    slow_summarize(monkeypatch)
    response = client_for(request_timeout_s=0.05).post("/v1/highlights/batch", json={"items": [{"text": "One. Two."}]})
    assert response.status_code == 200
    body = response.json()
    assert body["failed"] == 1 and body["results"][0]["error"]["code"] == "timeout"


# --- service endpoints, docs, page --------------------------------------------------------------------


def test_healthz_and_config(client: TestClient) -> None:
    health = client.get("/healthz").json()
    assert health["status"] == "ok" and health["workers"] == health["workers_ready"] == Settings().threads
    config = client.get("/v1/config").json()
    assert config["methods"] == methods() and config["default_method"] in methods()
    descriptions = config["method_descriptions"]
    assert set(descriptions) == set(methods()) and "PageRank" in descriptions["centrality"]
    assert config["url_fetching"] is False and config["max_body_bytes"] == Settings().max_body_bytes


def test_openapi_docs(client: TestClient) -> None:
    for page in ("/docs", "/redoc"):
        response = client.get(page)
        assert response.status_code == 200
        references = re.findall(r'(?:src|href)="([^"]+)"', response.text)
        assert references and all(ref.startswith("/") for ref in references), references  # no CDN
        for ref in references:
            assert client.get(ref).status_code == 200
    schema = client.get("/openapi.json").json()
    assert {"/v1/highlights", "/v1/highlights/batch", "/v1/config", "/healthz"} <= set(schema["paths"])
    # What a bullet's score is, where a client reads the response's fields: its scale is the method's own.
    bullet = schema["components"]["schemas"]["HighlightOut"]["properties"]
    assert "log-odds" in bullet["score"]["description"] and "1 =" in bullet["rank"]["description"]


def test_startup_loads_every_method_once() -> None:
    scorers._INSTANCES.clear()
    with TestClient(create_app(Settings(workers=0))) as client:  # the context runs startup (warm-up)
        assert set(scorers._INSTANCES) == {(name, None) for name in methods()}  # the shipped models
        assert client.get("/healthz").status_code == 200


def test_page_and_its_files_are_served_locally(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "default-src 'self'" in page.headers["content-security-policy"]
    references = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert references and all(ref.startswith("/") and not ref.startswith("//") for ref in references)
    for name in ("app.js", "app.css"):
        response = client.get(f"/static/{name}")
        assert response.status_code == 200
        assert not re.search(r"https?://|//cdn", response.text), f"{name} refers to another site"
    assert "innerHTML" not in (STATIC_DIR / "app.js").read_text()  # user text goes in as text nodes only
    # `hidden` hides whatever display a rule gives the element (the result panel is a grid).
    assert re.search(r"\[hidden\]\s*\{\s*display:\s*none\s*!important", client.get("/static/app.css").text)


def test_the_page_offers_a_shipped_example_article(client: TestClient) -> None:
    assert ">Try an example</button>" in client.get("/").text
    example = client.get("/static/example.txt")
    assert example.status_code == 200 and example.headers["content-type"].startswith("text/plain")
    assert len(example.text.split()) < 400  # short: a try, not a reading
    result = client.post("/v1/highlights", json={"text": example.text}).json()
    assert result["highlights"] and result["title"] and not result["warnings"]


# --- the command --------------------------------------------------------------------------------------


def serve(monkeypatch: pytest.MonkeyPatch, *options: str) -> tuple[Settings, dict]:
    """Run `highlights serve` with uvicorn stubbed out: (the app's settings, uvicorn.run's keyword arguments)."""
    import uvicorn
    from typer.testing import CliRunner

    from highlights.cli import app

    apps, runs = [], []
    monkeypatch.setattr(service_app, "create_app", lambda settings: apps.append(settings) or "the app")
    monkeypatch.setattr(uvicorn, "run", lambda target, **kwargs: runs.append((target, kwargs)))
    result = CliRunner().invoke(app, ["serve", "--port", str(free_port()), *options])
    assert result.exit_code == 0, result.output
    assert runs[0][0] == "the app"
    return apps[0], runs[0][1]


def test_serve_command_starts_uvicorn_with_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    from highlights.service.protocol import GuardedH11Protocol

    settings, kwargs = serve(
        monkeypatch, "--workers", "3", "--allow-urls", "--timeout", "5", "--header-timeout", "7", "--body-timeout", "8"
    )
    assert settings.workers == 3 and settings.allow_urls and not settings.allow_private_urls
    assert (settings.request_timeout_s, settings.header_timeout_s, settings.body_timeout_s) == (5, 7, 8)
    # One server process (the summarizers are its children), read timeouts in its protocol, and a shutdown
    # that waits for requests in progress no longer than they may take.
    assert "workers" not in kwargs and kwargs["host"] == "127.0.0.1"
    assert issubclass(kwargs["http"], GuardedH11Protocol)
    assert (kwargs["http"].header_timeout_s, kwargs["http"].body_timeout_s) == (7, 8)
    assert kwargs["timeout_graceful_shutdown"] >= 5


def test_workers_default_to_the_cores_and_threads_is_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    settings, _ = serve(monkeypatch, "--threads", "4")
    assert settings.workers == default_workers() >= 1


def test_serve_says_when_the_port_is_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn
    from typer.testing import CliRunner

    from highlights.cli import app

    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: pytest.fail("uvicorn should not start"))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(app, ["serve", "--port", str(port)])
    assert result.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.output and "Traceback" not in result.output


def test_app_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SETTINGS_ENV, Settings(allow_urls=True, max_batch_items=7, warm_up=False, workers=0).to_env())
    config = TestClient(service_app.app_from_env()).get("/v1/config").json()
    assert config["url_fetching"] is True and config["max_batch_items"] == 7


def test_static_files_are_package_data() -> None:
    pyproject = (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text()
    assert '"service/static/*"' in pyproject
    assert {p.name for p in STATIC_DIR.iterdir()} >= {"index.html", "app.js", "app.css", "example.txt"}
