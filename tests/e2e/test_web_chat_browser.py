"""The web chat page in real Chromium (Debian's), driven by Playwright, against the real stack."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import RunningStack
from tests.factory import RAMESH

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


def _send(page, text: str, replies_before: int) -> str:
    page.fill("#text", text)
    page.press("#text", "Enter")
    page.wait_for_function(
        f"document.querySelectorAll('#log li.bot').length > {replies_before}", timeout=20000
    )
    page.wait_for_timeout(300)  # an answer may come as several bubbles
    return "\n".join(page.locator("#log li.bot").all_inner_texts()[replies_before:])


def test_status_check_in_the_browser(browser, running_stack: RunningStack, tmp_path) -> None:
    page = browser.new_page()
    page.goto(f"{running_stack.api_url}/chat?lang=hi")
    assert page.locator("h1").inner_text().startswith("श्रमिक सहायक")
    menu = _send(page, "नमस्ते", 0)
    assert "1" in menu
    _send(page, "1", page.locator("#log li.bot").count())
    _send(page, RAMESH.uan, page.locator("#log li.bot").count())
    status = _send(page, RAMESH.dob_typed, page.locator("#log li.bot").count())
    assert "31 अक्टूबर 2026" in status and "नवीनीकरण" in status, status
    page.screenshot(path=str(tmp_path / "web-chat.png"))
    page.close()


def test_page_shows_each_language(browser, running_stack: RunningStack) -> None:
    page = browser.new_page()
    for lang, title in (("bn", "শ্রমিক সহায়ক"), ("en", "Shramik Sahayak")):
        page.goto(f"{running_stack.api_url}/chat?lang={lang}")
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("h1").inner_text().startswith(title)
    page.close()
