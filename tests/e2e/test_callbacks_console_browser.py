"""Call-backs, two officers at once and a refusal, in the console in real Chromium.

A missed call becomes a call-back case holding the number; "call" asks Twilio (the loopback
stand-in, at its HTTP boundary) to ring the officer's own phone and bridge it to the worker.
Two officers approving the same claim at once: one wins, the other is told and sees the case
reloaded. A rejected claim's worker hears the reason in their language. Each test runs on
SQLite and again on PostgreSQL (`database_stack`).
"""

from __future__ import annotations

import re
import secrets

import pytest
from playwright.sync_api import expect

from bench.conversations.backend_db import BackendDb
from locales import format_number, translate
from tests.e2e.conftest import RunningStack
from tests.e2e.console_pages import (
    add_officer,
    decide,
    decided,
    fresh_number,
    log_in,
    missed_call,
    open_case,
    placed_call,
)
from tests.secrets import STAFF_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.browser]
SUPERVISOR_PHONE = "+919830000012"
RINA, RINA_CLAIM = "+919800000001", "CLM-2026-000101"  # demo: under review


@pytest.fixture(scope="module")
def supervisor(database_stack: RunningStack) -> tuple[str, str]:
    db = BackendDb(database_stack.env["DATABASE_URL"])
    db.reset()  # the demo workers as the dataset has them, whatever ran before
    db.close()
    return add_officer(database_stack, "supervisor", phone=SUPERVISOR_PHONE)


def _word(key: str, lang: str = "en") -> str:
    return translate(f"console.{key}", lang)


def _callback_reference(page, number: str) -> str:
    """The call-back case of `number`, found by opening the waiting ones (the queue shows no
    personal data: the number is on the case page only)."""
    page.click("#views button[data-view=cases]")
    page.click("#kind-callback")
    expect(page.locator("#kind-callback")).to_have_attribute("aria-selected", "true")
    rows = page.locator("#case-rows tr")
    # the claims queue stays on screen until the call-backs arrive: wait for their references
    expect(rows.first).to_have_attribute("data-reference", re.compile(r"^CBK-"))
    for reference in reversed(rows.evaluate_all("rows => rows.map(r => r.dataset.reference)")):
        open_case(page, "callback", reference)
        if page.locator("#callback-phone").inner_text() == number:
            return str(reference)
    raise AssertionError(f"no call-back case for {number}")


def test_a_missed_call_becomes_a_call_back_that_the_officer_places(
    browser, database_stack: RunningStack, supervisor: tuple[str, str], tmp_path
) -> None:
    caller = fresh_number()
    missed_call(database_stack, caller, f"CA{secrets.token_hex(16)}")

    page = browser.new_page()
    log_in(page, database_stack, supervisor, "en")
    reference = _callback_reference(page, caller)
    assert re.fullmatch(r"CBK-\d{4}-\d{6}", reference)
    assert page.locator("#callback-phone").get_attribute("href") == f"tel:{caller}"
    assert page.locator("#case-request").inner_text().count(_word("source.missed_call")) == 1
    attempts = page.locator("#callback-attempts")
    expect(attempts).to_have_text(_word("attempts").format(count=0, max=3))
    page.screenshot(path=str(tmp_path / "callback.png"), full_page=True)

    page.click("#call-button")
    expect(page.locator("#notice")).to_have_text(_word("call_placed").format(phone=caller))
    call = placed_call(database_stack, SUPERVISOR_PHONE)  # the officer's own phone rings first
    assert "<Dial" in call["Twiml"] and caller in call["Twiml"], call
    assert reference in call["Twiml"], "the officer hears which call-back this is"
    expect(page.locator("#case-timeline")).to_contain_text(_word("event.call_placed"))

    page.fill("#callback-note", "Rang twice, voicemail")
    page.click('#call-outcomes button[data-outcome="no_answer"]')
    expect(attempts).to_contain_text(_word("attempts").format(count=1, max=3))
    expect(page.locator("#case-timeline .note")).to_have_text("Rang twice, voicemail")
    page.click('#call-outcomes button[data-outcome="reached"]')
    decided(page, _word("case_status.reached"))
    expect(page.locator("#call-controls")).to_be_hidden()
    page.close()


def test_two_officers_approve_the_same_claim_at_once_and_one_is_told(
    browser, database_stack: RunningStack, supervisor: tuple[str, str]
) -> None:
    pages = []
    for who in (supervisor, ("officer1", STAFF_PASSWORD)):
        page = browser.new_context().new_page()  # each officer in a browser of their own
        log_in(page, database_stack, who, "hi")
        open_case(page, "claim", RINA_CLAIM)
        page.click('#moves button[data-move="approved"]')
        page.fill("#decision-amount", "40000")
        pages.append(page)
    for page in pages:  # both confirm with the version they read
        page.click("#decision-submit")
    approved = _word("case_status.approved", "hi")
    for page in pages:
        expect(page.locator("#case-meta")).to_contain_text(approved)
    told = [page for page in pages if page.locator("#alert").inner_text() == _word("stale", "hi")]
    assert len(told) == 1, [page.locator("#alert").inner_text() for page in pages]
    timeline = pages[0].locator("#case-timeline").inner_text()
    assert timeline.count(approved) == 1, "approved once"

    # what each may do next comes from the API: only a supervisor refuses an approved claim
    supervisor_page, officer_page = pages
    expect(supervisor_page.locator('#moves button[data-move="rejected"]')).to_have_count(1)
    expect(officer_page.locator('#moves button[data-move="rejected"]')).to_have_count(0)
    expect(officer_page.locator('#moves button[data-move="paid"]')).to_have_count(1)

    decide(supervisor_page, "rejected")  # no reason chosen: the API asks for one
    expect(supervisor_page.locator("#decision-reason-error")).to_contain_text(
        _word("field.reason", "hi")
    )
    supervisor_page.select_option("#decision-reason", "documents_not_received")
    supervisor_page.click("#decision-submit")
    decided(supervisor_page, _word("case_status.rejected", "hi"))
    expect(supervisor_page.locator("#case-timeline")).to_contain_text(
        translate("reason.documents_not_received", "hi")
    )

    # Rina (Bengali) hears the reason in Bengali, with how to appeal
    reason = translate("reason.documents_not_received", "bn")
    sms = database_stack.sent_message(RINA, containing=reason)
    assert RINA_CLAIM in sms
    days = format_number(30, "bn")
    assert translate("notice.appeal", "bn", days=days) in sms
    for page in pages:
        page.close()
