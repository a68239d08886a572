"""The web page shows the warnings above the bullets, in real headless Chromium (issue #20). Uses the browser and
server of tests/test_page_browser.py, and skips as it does."""

from __future__ import annotations

import pytest

from test_language import GERMAN
from test_page_browser import browser, page, server  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # as in test_page_browser.py: it drives Chromium


def test_warnings_are_listed_above_the_bullets_and_cleared_for_english(page, example_text: str) -> None:  # noqa: F811
    assert page.locator("#method").input_value() == ""  # auto: the server picks by language
    page.fill("#article-input", GERMAN)
    page.click("#submit")
    page.wait_for_selector("#bullets-list li")
    warnings = page.locator("#warnings li")
    assert warnings.count() == 2 and page.locator("#warnings").is_visible()
    assert "German (de)" in warnings.first.inner_text()
    above = page.evaluate(
        "document.getElementById('warnings').compareDocumentPosition("
        "document.getElementById('bullets-list')) & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    assert above
    assert "language de" in page.inner_text("#status") and "method lead" in page.inner_text("#status")

    page.fill("#article-input", example_text)
    page.click("#submit")
    page.locator("#status", has_text="language en").wait_for()
    assert page.locator("#warnings li").count() == 0 and not page.locator("#warnings").is_visible()
    assert not page.problems
