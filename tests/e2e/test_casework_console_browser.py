"""Casework end to end: a worker asks (web chat, WhatsApp, SMS), an officer decides in the
console in real Chromium, and the worker hears back in their language: the message captured at
Twilio's HTTP boundary, or shown in the web chat; the worker's next status question agrees.

Real processes (API, action server, Rasa), on SQLite and again on PostgreSQL (`database_stack`),
Debian's Chromium; the demo workers of api/data/demo_dataset.yaml, put back as the dataset has
them first; a supervisor made the way a deployment makes one (`python -m api.admin officers add`).
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from bench.conversations.backend_db import BackendDb
from locales import format_date, format_money, translate
from tests import factory
from tests.e2e.conftest import RunningStack
from tests.e2e.console_pages import (
    ChatWorker,
    Worker,
    add_officer,
    close_open_handovers,
    decide,
    decided,
    fresh_number,
    india_date,
    log_in,
    open_case,
)

pytestmark = [pytest.mark.e2e, pytest.mark.browser]
RINA, RAMESH, ANWAR = (demo.phone for demo in (factory.RINA, factory.RAMESH, factory.ANWAR))


@pytest.fixture(scope="module")
def supervisor(database_stack: RunningStack) -> tuple[str, str]:
    db = BackendDb(database_stack.env["DATABASE_URL"])
    db.reset()  # the demo workers as the dataset has them, whatever ran before
    db.close()
    who = add_officer(database_stack, "supervisor", phone="+919830000011")
    close_open_handovers(database_stack, who)
    return who


def _word(key: str, lang: str) -> str:
    return translate(f"console.{key}", lang)


def test_a_web_chat_accident_claim_is_asked_for_documents_approved_and_paid(
    browser, database_stack: RunningStack, supervisor: tuple[str, str], tmp_path
) -> None:
    chat = browser.new_context().new_page()  # the worker's own browser
    chat.goto(f"{database_stack.api_url}/chat?lang=bn")
    rina = ChatWorker(database_stack, chat)
    answers = {
        "verify.ask_uan": factory.RINA.uan,
        "verify.ask_dob": factory.RINA.dob_typed,
        "claim.ask_type": "2",
        "claim.ask_date": india_date(5 + secrets.randbelow(300)),  # never an earlier claim's
        "claim.ask_description": "কাজের সময় ভারা থেকে পড়ে পা ভেঙে গেছে",
        "claim.ask_last4": "৩৩০৭",
        "claim.confirm": "হ্যাঁ",
    }
    filed = rina.converse("bn", "দুর্ঘটনার জন্য দাবি করতে চাই", answers, r"CLM-\d{4}-\d{6}")
    reference = re.findall(r"CLM-\d{4}-\d{6}", filed)[0]

    page = browser.new_context().new_page()  # the officer's
    log_in(page, database_stack, supervisor, "bn")
    open_case(page, "claim", reference)
    assert page.locator("#case-request").inner_text().count("কাজের সময় ভারা থেকে পড়ে") == 1
    worker_card = page.locator("#case-worker").inner_text()
    assert "XXXX0001" in worker_card and factory.RINA.uan not in worker_card, "masked"

    decide(page, "documents_pending", documents=["fir_copy"])
    decided(page, _word("case_status.documents_pending", "bn"))
    # filed in the web chat: texted to her registered phone too (the chat shows it as well)
    asked = database_stack.sent_message(RINA, containing=reference)
    assert translate("doc.fir_copy", "bn") in asked and asked.startswith("শ্রমিক সহায়ক"), asked

    decide(page, "under_review")  # the documents arrived
    decided(page, _word("case_status.under_review", "bn"))
    decide(page, "approved", amount=250000)  # above the type's maximum: the API refuses
    expect(page.locator("#decision-amount-error")).to_contain_text(_word("field.amount", "bn"))
    expect(page.locator("#decision-amount")).to_have_attribute("aria-invalid", "true")
    page.fill("#decision-amount", "50000")
    page.click("#decision-submit")
    decided(page, _word("case_status.approved", "bn"))
    decide(page, "paid", amount=50000)  # paid_on: today, filled in
    decided(page, _word("case_status.paid", "bn"))
    timeline = page.locator("#case-timeline").inner_text()
    assert timeline.count("→") == 4, timeline
    page.screenshot(path=str(tmp_path / "claim-paid.png"), full_page=True)

    today = datetime.now(ZoneInfo("Asia/Kolkata")).date()
    paid = translate(
        "notice.claim.paid",
        "bn",
        reference=reference,
        amount=format_money(50000, "bn"),
        date=format_date(today, "bn"),
    )
    assert database_stack.sent_message(RINA, containing=paid) == paid
    # the web chat shows the decision by itself (it asks every 30 s), in Bengali
    expect(chat.locator("#log li.bot", has_text=paid)).to_have_count(1, timeout=45000)
    status = rina.says("আমার দাবির কী অবস্থা?")
    if "ইউএএন" in status:  # asked who she is again
        status = rina.says(factory.RINA.uan, factory.RINA.dob_typed)
    assert reference in status and translate("status.paid", "bn") in status, status
    chat.close()
    page.close()


def test_a_whatsapp_renewal_is_approved_and_valid_until_moves(
    browser, database_stack: RunningStack, supervisor: tuple[str, str]
) -> None:
    ramesh = Worker(database_stack, f"whatsapp:{RAMESH}", 8_300_000)
    answers = {
        "verify.ask_uan": factory.RAMESH.uan,
        "verify.ask_dob": factory.RAMESH.dob_typed,
        "renewal.confirm": "हाँ",
    }
    opening = "मुझे अपनी सदस्यता का नवीनीकरण करना है"
    asked = ramesh.converse("hi", opening, answers, r"REN-\d{4}-\d{6}")
    reference = re.findall(r"REN-\d{4}-\d{6}", asked)[0]

    officer = browser.new_context().new_page()
    log_in(officer, database_stack, supervisor, "hi")
    open_case(officer, "renewal", reference)
    assert (
        translate("scheme.state_social_security", "hi")
        in officer.locator("#case-request").inner_text()
    )
    decide(officer, "approved")
    decided(officer, _word("case_status.approved", "hi"))
    facts = officer.locator("#case-request").inner_text()
    assert _word("membership.active", "hi") in facts

    today = datetime.now(ZoneInfo("Asia/Kolkata")).date()
    until = format_date(today.replace(year=today.year + 1), "hi")
    told = translate("notice.renewal.approved", "hi", reference=reference, date=until)
    assert database_stack.sent_message(f"whatsapp:{RAMESH}", containing=told) == told
    officer.close()


def test_a_pension_restart_by_sms_is_approved_and_the_pension_is_active(
    browser, database_stack: RunningStack, supervisor: tuple[str, str]
) -> None:
    anwar = Worker(database_stack, fresh_number(), 8_200_000)
    answers = {
        "verify.ask_uan": factory.ANWAR.uan,
        "verify.ask_dob": factory.ANWAR.dob_typed,
        "pension.confirm_restart": "হ্যাঁ",
    }
    asked = anwar.converse("bn", "আমার পেনশন আসছে না", answers, r"PRR-\d{4}-\d{6}")
    reference = re.findall(r"PRR-\d{4}-\d{6}", asked)[0]

    page = browser.new_page()
    log_in(page, database_stack, supervisor, "en")
    open_case(page, "restart", reference)
    assert "stopped" in page.locator("#case-request").inner_text()
    note = "<b>Life certificate</b> seen at the Berhampore office."
    decide(page, "approved", note=note)
    decided(page, _word("case_status.approved", "en"))
    assert "active" in page.locator("#case-request").inner_text()
    expect(page.locator("#case-timeline .note")).to_have_text(note)  # markup shown as text
    expect(page.locator("#case-timeline .note b")).to_have_count(0)

    told = translate(
        "notice.restart.approved", "bn", reference=reference, amount=format_money(3000, "bn")
    )
    assert database_stack.sent_message(ANWAR, containing=told) == told
    status = anwar.says("আমার পেনশনের খবর কী?")
    if "ইউএএন" in status:
        status = anwar.says(factory.ANWAR.uan, factory.ANWAR.dob_typed)
    print(status)
    assert translate("status.stopped", "bn") not in status, status
    page.close()
