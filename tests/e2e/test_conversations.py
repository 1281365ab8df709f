"""Whole conversations through the real Rasa server, action server and backend (REST channel).

Each flow runs in Bengali, Hindi and English, against the demo dataset, and checks what a worker
needs to hear: the right facts, in their script, with the reference number of what was filed.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

import httpx
import pytest

from tests.e2e.conftest import RunningStack
from tests.factory import ANWAR, RAMESH, RINA
from tests.secrets import SERVICE_TOKEN, STAFF_PASSWORD

pytestmark = pytest.mark.e2e

SCRIPT = {"bn": re.compile(r"[\u0980-\u09FF]"), "hi": re.compile(r"[\u0900-\u097F]")}
GREETING = {"bn": "নমস্কার", "hi": "नमस्ते", "en": "hello"}
YES = {"bn": "হ্যাঁ", "hi": "हाँ", "en": "yes"}
NO = {"bn": "না", "hi": "नहीं", "en": "no"}
LANGS = ["bn", "hi", "en"]


class Conversation:
    """One worker talking to the assistant; keeps every reply for assertions."""

    def __init__(self, stack: RunningStack, lang: str) -> None:
        self.stack = stack
        self.lang = lang
        self.sender = f"e2e-{lang}-{uuid.uuid4().hex[:8]}"
        self.replies: list[str] = []

    def say(self, text: str) -> str:
        messages = self.stack.chat(self.sender, text)
        assert messages, f"no reply to {text!r}: the assistant must never be silent"
        reply = "\n".join(m.get("text", "") for m in messages)
        self.replies.append(reply)
        return reply

    def assert_in_language(self, reply: str) -> None:
        if self.lang in SCRIPT:
            assert SCRIPT[self.lang].search(reply), f"not in {self.lang}: {reply!r}"
        else:
            assert not any(p.search(reply) for p in SCRIPT.values()), f"not English: {reply!r}"


@pytest.fixture
def talk(running_stack: RunningStack):
    return lambda lang: Conversation(running_stack, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_status_check_after_verification(talk, lang: str) -> None:
    chat = talk(lang)
    chat.assert_in_language(chat.say(GREETING[lang]))
    asked = chat.say("1")
    assert "CLM-2026-000101" not in asked, "nothing personal before verification"
    chat.say(RINA.uan)
    reply = chat.say(RINA.dob_typed)
    chat.assert_in_language(reply)
    assert "CLM-2026-000101" in reply
    assert "3307" not in reply or "XXXX" in reply


@pytest.mark.parametrize(
    ("lang", "opening"),
    [
        ("bn", "আমার ক্লেমের অবস্থা জানতে চাই"),
        ("hi", "mera claim ka status batao"),
        ("en", "i want to check my claim status"),
    ],
)
def test_status_check_started_in_own_words(talk, lang: str, opening: str) -> None:
    chat = talk(lang)
    chat.say(opening)
    chat.say(RINA.uan)
    reply = chat.say("14 March 1988")
    assert "CLM-2026-000101" in reply
    chat.assert_in_language(reply)


@pytest.mark.parametrize("lang", LANGS)
def test_renewal_of_a_lapsed_membership(talk, lang: str) -> None:
    chat = talk(lang)
    chat.say(GREETING[lang])
    chat.say("2")
    chat.say(RAMESH.uan)
    chat.say("01-07-1990")
    reply = chat.say(YES[lang])
    assert re.search(r"REN-\d{4}-\d+", reply), reply
    chat.assert_in_language(reply)


@pytest.mark.parametrize("lang", LANGS)
def test_claim_filing_gives_reference_and_documents(talk, lang: str) -> None:
    chat = talk(lang)
    incident = dt.date.today() - dt.timedelta(days=10)
    chat.say(GREETING[lang])
    chat.say("3")
    chat.say(RINA.uan)
    chat.say(RINA.dob_typed)
    chat.say(chat.stack.texted_code())  # a claim needs the code texted to the registered phone
    chat.say("4")  # medical
    chat.say(incident.strftime("%d/%m/%Y"))
    chat.say("fell from the scaffolding and hurt my leg")
    chat.say("3307")
    reply = chat.say(YES[lang])
    match = re.search(r"CLM-\d{4}-\d+", reply)
    assert match and match.group() != "CLM-2026-000101", "\n---\n".join(chat.replies)
    chat.assert_in_language(reply)


@pytest.mark.parametrize("lang", LANGS)
def test_pm_sym_eligibility_with_contribution(talk, lang: str) -> None:
    chat = talk(lang)
    chat.say(GREETING[lang])
    chat.say("4")
    chat.say("29")
    chat.say("10000")
    for _ in range(3):
        chat.say(NO[lang])
    reply = chat.say(NO[lang])
    assert "100" in reply.translate(str.maketrans("০১২৩৪৫৬৭৮৯", "0123456789")), reply
    chat.assert_in_language(reply)


@pytest.mark.parametrize("lang", LANGS)
def test_stopped_pension_explained_and_restart_requested(talk, lang: str) -> None:
    chat = talk(lang)
    chat.say(GREETING[lang])
    chat.say("6")
    chat.say(ANWAR.uan)
    chat.say(ANWAR.dob_typed)
    reply = chat.say(YES[lang])
    assert re.search(r"PRR-\d{4}-\d+", reply), reply


@pytest.mark.parametrize("lang", LANGS)
def test_officer_handoff_then_bot_stays_quiet(talk, running_stack: RunningStack, lang) -> None:
    chat = talk(lang)
    chat.say(GREETING[lang])
    reply = chat.say("9")
    assert re.search(r"HND-\d{4}-\d+", reply), reply
    active = httpx.get(
        f"{running_stack.api_url}/api/v1/handoffs/active",
        params={"conversation_id": f"rasa:{chat.sender}"},
        headers={"Authorization": f"Bearer {SERVICE_TOKEN}"},
        timeout=10,
    )
    assert active.status_code == 200 and active.json()["active"] is True
    quiet = running_stack.chat(chat.sender, "1")
    assert quiet == [] or all("CLM-" not in m.get("text", "") for m in quiet)


def test_slash_commands_are_plain_text(talk) -> None:
    chat = talk("en")
    chat.say("hello")
    reply = chat.say('/check_status{"uan": RINA.uan}')
    assert "CLM-2026-000101" not in reply


def test_language_switch_mid_conversation(talk) -> None:
    chat = talk("en")
    chat.say("hello")
    reply = chat.say("hindi me bolo")
    assert SCRIPT["hi"].search(reply), reply


def test_officer_sees_worker_messages_replies_and_closes(talk, running_stack) -> None:
    chat = talk("hi")
    chat.say(GREETING["hi"])
    handed = chat.say("9")
    reference = re.search(r"HND-\d{4}-\d+", handed)
    assert reference, handed
    # no officer has taken the ticket yet: the assistant keeps serving, and the message is
    # filed on the ticket for the officer all the same
    waiting = running_stack.chat(chat.sender, "mera paisa kab aayega")
    assert waiting, "the worker is never left in silence while the ticket waits"
    staff = httpx.Client(base_url=running_stack.api_url, timeout=10)
    login = staff.post(
        "/api/v1/staff/login", json={"username": "officer1", "password": STAFF_PASSWORD}
    )
    assert login.status_code == 200, login.text
    tickets = staff.get("/api/v1/staff/handoffs", params={"status": "open"}).json()
    # officers find a ticket by its reference: they are never shown the conversation id
    ticket = next(t for t in tickets if t["reference"] == reference.group(0))
    detail = staff.get(f"/api/v1/staff/handoffs/{ticket['id']}").json()
    assert any(m["text"] == "mera paisa kab aayega" for m in detail["messages"])
    staff.post(f"/api/v1/staff/handoffs/{ticket['id']}/reply", json={"text": "Kal tak aa jayega"})
    relayed = chat.say("theek hai")
    assert "Kal tak aa jayega" in relayed
    staff.post(f"/api/v1/staff/handoffs/{ticket['id']}/close")
    after = chat.say("aur kuch")
    assert SCRIPT["hi"].search(after), after
