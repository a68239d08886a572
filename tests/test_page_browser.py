"""The web page in real headless Chromium (the system's `chromium`, driven by Playwright; nothing downloaded):
paste an article, get bullets, click one and see its source marked in the article.

Skips, saying why, only when Playwright or a Chromium that starts is missing (CI installs both, see .ci/run).
"""

from __future__ import annotations

import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

pytest.importorskip("fastapi", reason="the service needs the `serve` extra (fastapi, uvicorn)")
sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need playwright (in the dev extra)")
import uvicorn  # noqa: E402

from highlights.service.app import STATIC_DIR, create_app  # noqa: E402
from highlights.service.settings import Settings  # noqa: E402
from local_server import local_server  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # starting Chromium alone takes seconds
# No network in CI: keep Chromium from calling home (updates, sync, safe browsing, metrics).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--no-first-run",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--metrics-recording-only",
    "--disable-client-side-phishing-detection",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(settings: Settings) -> Iterator[str]:
    """A real uvicorn server on 127.0.0.1 running the app, in a background thread: its base URL."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with running_server(Settings()) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.skip("no `chromium` on PATH (Debian: apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, timeout=60_000)
        except Exception as error:  # noqa: BLE001 - any launch failure means: cannot test here
            pytest.skip(f"Chromium at {executable} cannot start: {str(error).splitlines()[0]}")
        yield browser
        browser.close()


def open_page(context, base: str):  # noqa: ANN001, ANN201
    page = context.new_page()
    page.requests, page.problems = [], []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("console", lambda message: message.type == "error" and page.problems.append(message.text))
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    page.set_default_timeout(20_000)
    page.goto(base + "/")
    page.wait_for_selector("#method option", state="attached")  # the methods came from /v1/config
    return page


@pytest.fixture
def page(browser, server: str) -> Iterator[object]:  # noqa: ANN001
    context = browser.new_context()
    yield open_page(context, server)
    context.close()


def test_bullets_mark_their_source_in_the_article(page, server: str, example_text: str) -> None:  # noqa: ANN001
    page.fill("#article-input", example_text)
    page.select_option("#method", "centrality")
    page.fill("#bullets", "3")
    page.uncheck("#compress")  # whole sentences: a bullet's marked source reads exactly as the bullet
    page.click("#submit")
    bullets = page.locator("#bullets-list li")
    bullets.nth(2).wait_for()
    assert bullets.count() == 3

    # The page's own highlights are shown when the input had them.
    assert page.locator("#reference").is_visible()
    assert page.locator("#reference-list li").count() == 2

    assert page.locator("#article mark.source.active").count() == 0
    assert page.locator("#article span.cut").count() == 0  # whole sentences: nothing cut
    # Each bullet says which sentence it is and how the method ranked it (not a bare score).
    assert re.match(r"Sentence \d+ of \d+; centrality ranks it #\d+ of \d+\.", bullets.nth(0).get_attribute("title"))
    bullets.nth(1).click()
    active = page.locator("#article mark.source.active")
    assert active.count() >= 1
    assert " ".join(active.all_inner_texts()) == bullets.nth(1).inner_text()  # exactly its source, nothing else
    assert all("1" in (mark.get_attribute("data-bullets") or "").split() for mark in active.all())
    assert "pinned" in (bullets.nth(1).get_attribute("class") or "")

    # Hovering another bullet marks that one's source instead.
    bullets.nth(0).hover()
    assert " ".join(page.locator("#article mark.source.active").all_inner_texts()) == bullets.nth(0).inner_text()

    # Shortened (the default): the marked pieces are the words the bullet kept, in order.
    page.check("#compress")
    with page.expect_response(lambda response: "/v1/highlights" in response.url):
        page.click("#submit")
    page.wait_for_function("document.querySelector('#status').textContent !== 'Working…'")
    bullets = page.locator("#bullets-list li")
    bullets.nth(2).wait_for()
    assert page.locator("#article span.cut").count() >= 1  # compression cut something from some bullet
    for k in range(bullets.count()):
        bullets.nth(k).hover()
        # What the bullet kept is marked; what compression cut from its sentence is struck through.
        assert all(
            str(k) in (cut.get_attribute("data-bullets") or "").split()
            for cut in page.locator("#article span.cut.active").all()
        )
        marked = " ".join(page.locator("#article mark.source.active").all_inner_texts()).split()
        text = bullets.nth(k).inner_text()
        # A speaker's label (`Police: …`, a fix-up made of words the cut took) is not among the kept words.
        label = re.match(r"[^:\"“]{1,60}: ", text)
        shown = (text[label.end() :] if label and not marked[0].endswith(":") else text).split()
        # Equal but for the recorded fix-ups (a capital, a final mark, a comma re-attached).
        assert [re.sub(r"\W", "", w).lower() for w in marked] == [re.sub(r"\W", "", w).lower() for w in shown]

    # Every request stayed on this server (no CDN), and nothing went wrong in the page.
    assert page.requests and all(url.startswith(server) for url in page.requests), page.requests
    assert page.problems == []


def test_errors_are_shown_and_user_text_stays_text(page) -> None:  # noqa: ANN001
    page.click("#submit")  # nothing pasted
    page.wait_for_selector("#status.error")
    assert "empty" in page.inner_text("#status")

    hostile = (
        'The council met on Monday. A resident wrote <img src=x onerror="window.pwned=1"> on the form. '
        "The vote was delayed until spring, officials said."
    )
    page.fill("#article-input", hostile)
    page.check('input[name="kind"][value="text"]')
    page.click("#submit")
    page.locator("#bullets-list li").first.wait_for()
    assert page.locator("#article img").count() == 0 and page.locator("#bullets-list img").count() == 0
    assert page.evaluate("window.pwned") is None


def test_url_input_only_when_the_server_fetches(page, browser) -> None:  # noqa: ANN001
    assert not page.locator("#url-choice").is_visible()  # the default server does not fetch URLs
    with local_server() as (site, _), running_server(Settings(allow_urls=True, allow_private_urls=True)) as base:
        context = browser.new_context()
        page = open_page(context, base)
        page.check('input[name="kind"][value="url"]')
        assert page.locator("#url-input").is_visible() and not page.locator("#article-input").is_visible()
        page.fill("#url-input", f"{site}/article")
        page.fill("#bullets", "1")
        page.click("#submit")
        page.locator("#bullets-list li").first.wait_for()
        assert page.inner_text("#title") == "Harbor ferry returns"
        page.locator("#bullets-list li").first.click()
        assert page.locator("#article mark.source.active").count() >= 1
        context.close()


def test_api_docs_render_without_a_network(browser, server: str) -> None:  # noqa: ANN001
    context = browser.new_context()
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(server + "/docs")
    page.get_by_text("/v1/highlights/batch").first.wait_for(timeout=20_000)  # Swagger UI drew the operations
    assert all(url.startswith(server) for url in requests), requests
    context.close()


def test_the_result_panel_is_hidden_until_there_is_a_result(page) -> None:  # noqa: ANN001
    # `main {display: grid}` used to beat the `hidden` attribute: an empty panel with its headings on load.
    assert not page.locator("#result").is_visible()
    assert page.locator("#result").bounding_box() is None
    assert not page.get_by_text("Highlights", exact=True).is_visible()


def test_an_error_hides_the_previous_result(page, example_text: str) -> None:  # noqa: ANN001
    page.fill("#article-input", example_text)
    page.select_option("#method", "lead")
    page.click("#submit")
    page.locator("#bullets-list li").first.wait_for()
    assert page.locator("#result").is_visible()

    page.fill("#article-input", "")
    page.click("#submit")
    page.wait_for_selector("#status.error")
    assert "empty" in page.inner_text("#status")
    # No stale bullets under the error: they belonged to another article.
    assert not page.locator("#result").is_visible() and not page.locator("#bullets-list li").first.is_visible()

    page.fill("#article-input", example_text)
    page.click("#submit")
    page.locator("#bullets-list li").first.wait_for()  # a new result shows again, and the error goes
    assert page.locator("#result").is_visible() and not page.locator("#status.error").count()


def test_try_an_example_fills_the_input_with_the_shipped_article(page) -> None:  # noqa: ANN001
    shipped = (STATIC_DIR / "example.txt").read_text(encoding="utf-8")
    page.check('input[name="kind"][value="html"]')
    page.get_by_role("button", name="Try an example").click()
    sync_api.expect(page.locator("#article-input")).to_have_value(shipped)  # polls without eval, which CSP forbids
    assert page.is_checked('input[name="kind"][value="text"]')  # the example is plain text
    page.click("#submit")
    page.locator("#bullets-list li").first.wait_for()
    assert page.locator("#bullets-list li").count() >= 1 and page.problems == []


def test_cnn_length_gives_short_bullets_cut_from_the_story(page, example_text: str) -> None:  # noqa: ANN001
    page.fill("#article-input", example_text)
    page.select_option("#length", "cnn")
    page.click("#submit")
    bullets = page.locator("#bullets-list li")
    bullets.first.wait_for()
    texts = bullets.all_inner_texts()
    assert texts and all(len(text.split()) <= 15 for text in texts)
    assert page.locator("#article span.cut").count() >= 1  # the example's sentences are longer: cut to fit
