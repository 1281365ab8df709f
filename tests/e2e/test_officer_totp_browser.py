"""An officer turns on their own second factor in the console (Bengali), in real Chromium: the
password again, the key shown in groups and as an otpauth:// link, the app's first code; then
log-ins need a code, and a supervisor resets it from the officers' list."""

from __future__ import annotations

import time

import pyotp
import pytest
from playwright.sync_api import expect

from locales import translate
from tests.e2e.conftest import RunningStack
from tests.e2e.console_pages import WAIT_MS, add_officer, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


def _word(key: str, lang: str, **params: str) -> str:
    text = translate(f"console.{key}", lang)
    for name, value in params.items():
        text = text.replace("{" + name + "}", value)
    return text


def _log_in_with_code(page, stack: RunningStack, who: tuple[str, str], code: str) -> None:
    page.goto(f"{stack.api_url}/console?lang=bn")
    page.fill("#username", who[0])
    page.fill("#password", who[1])
    page.fill("#totp-code", code)
    page.click("#login-form button[type=submit]")


def test_an_officer_turns_on_a_second_factor_and_a_supervisor_resets_it(
    browser, running_stack: RunningStack
) -> None:
    officer = add_officer(running_stack, "officer")
    page = browser.new_context().new_page()
    log_in(page, running_stack, officer, "bn")
    page.click("#views button[data-view=security]")
    expect(page.locator("#security-heading")).to_have_text(_word("security_heading", "bn"))
    expect(page.locator("#totp-state")).to_have_text(_word("totp_off", "bn"))

    page.fill("#totp-password", "not the password")
    page.click("#totp-start-form button[type=submit]")
    expect(page.locator("#alert")).to_have_text(_word("totp_wrong_password", "bn"))
    page.fill("#totp-password", officer[1])
    page.click("#totp-start-form button[type=submit]")
    shown = page.locator("#totp-secret")
    expect(shown).to_be_visible()
    groups = shown.inner_text().split()
    assert all(len(group) == 4 for group in groups)
    secret = "".join(groups)
    link = page.locator("#totp-link").get_attribute("href") or ""
    assert link.startswith("otpauth://totp/") and f"secret={secret}" in link

    page.fill("#totp-first-code", "000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    page.click("#totp-confirm-form button[type=submit]")
    expect(page.locator("#alert")).to_have_text(_word("totp_wrong_code", "bn"))
    page.fill("#totp-first-code", pyotp.TOTP(secret).at(time.time() - 30))  # a step behind
    page.click("#totp-confirm-form button[type=submit]")
    expect(page.locator("#notice")).to_have_text(_word("totp_enabled_note", "bn"))
    expect(page.locator("#totp-state")).to_have_text(_word("totp_on", "bn"))
    expect(page.locator("#totp-off-form")).to_be_visible()
    page.click("#logout")

    page.goto(f"{running_stack.api_url}/console?lang=bn")
    page.fill("#username", officer[0])
    page.fill("#password", officer[1])
    page.click("#login-form button[type=submit]")
    expect(page.locator("#alert")).to_have_text(_word("login_failed", "bn"))
    _log_in_with_code(page, running_stack, officer, pyotp.TOTP(secret).now())
    page.locator("#queue").wait_for(timeout=WAIT_MS)

    supervisor = add_officer(running_stack, "supervisor")
    boss = browser.new_context().new_page()
    log_in(boss, running_stack, supervisor, "bn")
    boss.click("#views button[data-view=officers]")
    row = boss.locator(f'#officer-rows tr[data-username="{officer[0]}"]')
    boss.on("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name=_word("reset_totp", "bn") + " " + officer[0]).click()
    done = _word("totp_reset_done", "bn", username=officer[0])
    expect(boss.locator("#notice")).to_have_text(done)
    expect(
        row.get_by_role("button", name=_word("reset_totp", "bn") + " " + officer[0])
    ).to_have_count(0)

    page.reload()  # the officer's session ended with the reset; the password alone works again
    page.locator("#login").wait_for(timeout=WAIT_MS)
    log_in(page, running_stack, officer, "bn")
    page.click("#views button[data-view=security]")
    expect(page.locator("#totp-state")).to_have_text(_word("totp_off", "bn"))
