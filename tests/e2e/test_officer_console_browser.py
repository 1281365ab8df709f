"""The officers' console in real Chromium: a WhatsApp worker asks for an officer, who answers.

The worker's side goes through the real stack as Twilio would send it (signed webhooks); the
officer's reply must leave through twilio's client, captured where it would reach Twilio.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from locales import translate
from tests.e2e.conftest import RunningStack
from tests.secrets import STAFF_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.browser]
PASSWORD = STAFF_PASSWORD
WORKER = "+919822000071"


def _log_in(page, password: str) -> None:
    page.fill("#username", "officer1")
    page.fill("#password", password)
    page.click("#login-form button[type=submit]")


def _row(page, reference: str):
    return page.locator(f'#tickets tr[data-reference="{reference}"]')


def test_officer_picks_up_answers_and_closes_a_hand_over(
    browser, running_stack: RunningStack, tmp_path
) -> None:
    turns = iter(range(7_100_000, 7_100_100))
    sender = f"whatsapp:{WORKER}"
    running_stack.sms(sender, "नमस्ते", next(turns))
    handed_over = running_stack.sms(sender, "9", next(turns))
    found = re.search(r"HND-\d{4}-\d{6}", handed_over)
    assert found, handed_over
    reference = found.group(0)
    running_stack.sms(sender, "<b>mera</b> khata 12345678901 hai, paisa nahi aaya", next(turns))

    page = browser.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{running_stack.api_url}/console?lang=hi")
    assert page.locator("h1").inner_text() == translate("console.title", "hi")

    _log_in(page, "not-the-password")
    # the console's content policy forbids evaluating strings, so waits go through locators
    expect(page.locator("#alert")).not_to_be_empty()
    assert page.locator("#alert").inner_text() == translate("console.login_failed", "hi")
    assert page.locator("#queue").is_hidden()

    _log_in(page, PASSWORD)
    row = _row(page, reference)
    row.wait_for(timeout=10000)
    cells = row.locator("td").all_inner_texts()
    assert cells[1:5] == [
        translate("console.status.open", "hi"),
        translate("console.channel.whatsapp", "hi"),
        translate("console.language.hi", "hi"),
        translate("console.reason.asked", "hi"),
    ], cells
    title = translate("console.title", "hi")
    assert re.fullmatch(rf"\(\d+\) {title}", page.title()), "the tab counts who is waiting"
    page.select_option("#language-filter", "bn")  # an officer who answers Bengali only
    row.wait_for(state="detached", timeout=10000)
    page.select_option("#language-filter", "hi")
    row.wait_for(timeout=10000)

    row.locator("button").click()
    page.locator("#ticket").wait_for()
    assert reference in page.locator("#ticket-title").inner_text()
    transcript = page.locator("#transcript").inner_text()
    assert "नमस्ते" in transcript and "8901" in transcript
    assert "12345678901" not in transcript, "account numbers reach the officer masked"
    assert "<b>mera</b>" in transcript and page.locator("#transcript b").count() == 0
    assert page.locator("#delivery").inner_text() == translate("console.delivery.whatsapp", "hi")

    page.click("#reply-form button[type=submit]")
    assert page.locator("#alert").inner_text() == translate("console.empty_reply", "hi")
    page.fill("#reply", "कल तक पैसा आ जाएगा, हम देख रहे हैं")
    page.click("#reply-form button[type=submit]")
    expect(page.locator("#transcript li.staff")).to_have_count(1)
    assert page.locator("#notice").inner_text() == translate("console.reply_sent", "hi")
    handled = translate("console.handled_by", "hi", name="Demo Officer")
    assert handled in page.locator("#ticket-meta").inner_text()
    sent = running_stack.sent_message(f"whatsapp:{WORKER}", containing="कल तक पैसा")
    assert sent == "कल तक पैसा आ जाएगा, हम देख रहे हैं"
    page.screenshot(path=str(tmp_path / "console-ticket.png"))

    page.click("#close")
    page.locator("#closed-note").wait_for()
    assert page.locator("#reply-form").is_hidden()
    page.click("#back")
    page.select_option("#status-filter", "closed")
    _row(page, reference).wait_for(timeout=10000)

    after = running_stack.sms(sender, "namaste", next(turns))
    assert re.search(r"[\u0900-\u097F]", after), "after closing, the assistant answers again"

    page.reload()  # the session survives a reload: straight to the queue
    page.locator("#queue").wait_for()
    assert page.locator("#language-filter").input_value() == "hi", "the browser remembers it"
    page.click("#logout")
    page.locator("#login").wait_for()
    assert page.locator("#queue").is_hidden()
    page.close()


def test_console_speaks_each_language_and_the_queue_needs_a_log_in(
    browser, running_stack: RunningStack
) -> None:
    page = browser.new_page()
    for lang in ("bn", "en"):
        page.goto(f"{running_stack.api_url}/console?lang={lang}")
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("h1").inner_text() == translate("console.title", lang)
        page.locator("#login").wait_for()
        assert page.locator("label[for=username]").inner_text() == translate(
            "console.username", lang
        )
    answer = page.request.get(f"{running_stack.api_url}/api/v1/staff/handoffs")
    assert answer.status == 401
    page.close()


def test_a_web_chat_worker_sees_the_officer_reply_without_writing(
    browser, running_stack: RunningStack
) -> None:
    worker = browser.new_context().new_page()  # own cookies: the worker's browser
    worker.goto(f"{running_stack.api_url}/chat?lang=en")
    worker.fill("#text", "hello")
    worker.press("#text", "Enter")
    worker.wait_for_function("document.querySelectorAll('#log li.bot').length > 0")
    worker.fill("#text", "9")
    worker.press("#text", "Enter")
    worker.wait_for_function(
        "[...document.querySelectorAll('#log li.bot')].some(li => /HND-/.test(li.textContent))"
    )
    log = worker.locator("#log").inner_text()
    reference = re.findall(r"HND-\d{4}-\d{6}", log)[0]

    officer = browser.new_context().new_page()
    officer.goto(f"{running_stack.api_url}/console?lang=en")
    _log_in(officer, PASSWORD)
    _row(officer, reference).locator("button").click()
    officer.locator("#ticket").wait_for()
    assert officer.locator("#delivery").inner_text() == translate("console.delivery.web", "en")
    officer.fill("#reply", "Hello, I am checking your claim now.")
    officer.click("#reply-form button[type=submit]")

    worker.wait_for_function(
        "document.querySelectorAll('#log li.officer').length === 1", timeout=15000
    )
    bubble = worker.locator("#log li.officer").inner_text()
    assert bubble.startswith(translate("web.officer", "en"))
    assert "Hello, I am checking your claim now." in bubble
    bubbles = worker.locator("#log li").count()
    worker.fill("#text", "thank you")
    worker.press("#text", "Enter")
    worker.wait_for_timeout(7000)  # one more poll and the assistant's turn
    assert worker.locator("#log li.officer").count() == 1, "the reply is not shown twice"
    assert worker.locator("#log li").count() == bubbles + 1  # only the worker's own message
    worker.close()
    officer.close()


# Counts the tones the page plays: headless Chromium has no speaker to listen to.
COUNT_CHIMES = """
window.chimes = 0;
const RealAudioContext = window.AudioContext;
window.AudioContext = class extends RealAudioContext {
  constructor(...args) { super(...args); window.chimes += 1; }
};
"""


def test_a_new_hand_over_is_announced_to_a_console_left_open(
    browser, running_stack: RunningStack
) -> None:
    page = browser.new_page()
    page.add_init_script(COUNT_CHIMES)
    page.goto(f"{running_stack.api_url}/console?lang=en")
    _log_in(page, PASSWORD)
    expect(page.locator("#count")).not_to_be_empty()
    title = translate("console.title", "en")
    found = re.fullmatch(rf"(?:\((\d+)\) )?{title}", page.title())
    assert found, page.title()
    waiting = int(found.group(1) or 0)

    sender, turns = "+919822000072", iter(range(7_200_000, 7_200_100))
    running_stack.sms(sender, "hello", next(turns))
    assert "HND-" in running_stack.sms(sender, "9", next(turns))
    expect(page).to_have_title(f"({waiting + 1}) {title}", timeout=15000)  # the next refresh
    assert page.evaluate("window.chimes") == 1
    page.click("#logout")
    page.locator("#login").wait_for()
    assert page.title() == title
    page.close()
