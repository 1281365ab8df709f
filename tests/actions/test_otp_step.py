"""The texted code before a claim or a nominee change, through the real backend: sent after the
date of birth, asked on the keypad, taken back, refused politely, never a dead end."""

from __future__ import annotations

import asyncio
import re

from sqlalchemy import update

from actions.backend_client import BackendClient
from actions.forms.failures import DECIDED_FLAG, NOT_CONFIRMED
from actions.forms.verify import ValidateVerifyForm
from actions.nlg import render
from actions.routing.after_verify import ActionAfterVerify
from actions.routing.router import ActionRoute
from api.db.models import Worker
from api.db.session import session_scope
from locales import spell_digits, translate
from tests.actions.conftest import followup, make_tracker, run, slot_values
from tests.api.conftest import texted_code
from tests.factory import RAMESH, RINA

FORM = "verify_form"


def ask(text: str, requested: str, slots: dict, intent: str = "inform"):
    return make_tracker(
        text, intent=intent, form=FORM, slots={"requested_slot": requested, **slots}
    )


def test_a_claim_texts_the_code_after_the_date_and_asks_for_it_on_the_keypad(
    backend, domain
) -> None:
    slots = {"uan": RINA.uan, "flow": "claim", "language": "bn"}
    events, _said = run(ValidateVerifyForm(), ask("১৪ মার্চ ১৯৮৮", "date_of_birth", slots), domain)
    values = slot_values(events)
    assert values["verification_level"] == "basic" and values["otp_state"] == "sent"
    assert values["otp_last2"] == RINA.phone[-2:]
    assert values["requested_slot"] == "otp_code"  # the form asks for the code next
    assert texted_code()  # an SMS to the registered phone waits in the outbox
    asked = render("utter_ask_verify_form_otp_code", {**slots, **values})
    last2 = spell_digits(RINA.phone[-2:], "bn")
    assert asked["text"] == translate("verify.otp_sent", "bn", last2=last2)
    assert asked["custom"]["expect"] == {"kind": "number", "what": "otp", "digits": 6}


def test_status_needs_no_code(backend, domain) -> None:
    slots = {"uan": RINA.uan, "flow": "status"}
    events, _ = run(ValidateVerifyForm(), ask("14 March 1988", "date_of_birth", slots), domain)
    values = slot_values(events)
    assert values["verification_level"] == "basic" and values.get("otp_state") is None
    assert values.get("requested_slot") != "otp_code"


def _sent_for(who, flow: str = "claim") -> dict:
    client = BackendClient("otp-test")
    token = asyncio.run(client.verify(who.uan, who.dob, "web")).token
    last2 = asyncio.run(client.send_otp(token))
    return {
        "uan": who.uan,
        "date_of_birth": who.dob,
        "verification_token": token,
        "verification_level": "basic",
        "otp_state": "sent",
        "otp_last2": last2,
        "flow": flow,
    }


def test_the_right_code_makes_the_session_strong_and_ends_the_form(backend, domain) -> None:
    slots = _sent_for(RAMESH)
    code = texted_code()
    spaced = f"{code[:3]} {code[3:]}"  # read out in two halves
    events, said = run(ValidateVerifyForm(), ask(spaced, "otp_code", slots), domain)
    values = slot_values(events)
    assert values["verification_level"] == "strong" and values["otp_code"] == "checked"
    assert code not in str(events)  # the code itself is never kept in a slot
    assert said == []


def test_a_wrong_code_is_asked_again_then_brings_an_officer(backend, domain) -> None:
    slots = _sent_for(RAMESH)
    wrong = "000000" if texted_code() != "000000" else "111111"
    events, said = run(ValidateVerifyForm(), ask(wrong, "otp_code", slots), domain)
    assert said == [translate("verify.wrong_otp", "en")]
    assert slot_values(events)["failed_attempts"] == 1
    again = {**slots, "failed_step": "otp_code", "failed_attempts": 1}
    events, said = run(ValidateVerifyForm(), ask(wrong, "otp_code", again), domain)
    assert followup(events) == "action_handoff"
    assert said == [translate(NOT_CONFIRMED, "en")]


def test_words_that_are_no_code_are_explained(backend, domain) -> None:
    slots = _sent_for(RAMESH)
    _events, said = run(ValidateVerifyForm(), ask("I did not get it", "otp_code", slots), domain)
    assert said == [translate("verify.otp_not_understood", "en")]


def test_a_verified_worker_who_chooses_a_nominee_change_gets_the_code(backend, domain) -> None:
    client = BackendClient("otp-route")
    token = asyncio.run(client.verify(RAMESH.uan, RAMESH.dob, "web")).token
    slots = {"verification_token": token, "verification_level": "basic", "uan": RAMESH.uan}
    slots["date_of_birth"] = RAMESH.dob
    tracker = make_tracker("change my nominee", intent="update_nominee", slots=slots)
    events, _ = run(ActionRoute(), tracker, domain)
    assert followup(events) == "verify_form"
    # the form opens: its validation texts the code before the first question
    opened = make_tracker("change my nominee", form=FORM, slots={**slots, "flow": "nominee"})
    events, said = run(ValidateVerifyForm(), opened, domain)
    assert slot_values(events)["otp_state"] == "sent" and said == []
    assert slot_values(events)["requested_slot"] == "otp_code"


def test_no_phone_on_record_offers_an_officer_and_drops_the_change(backend, domain) -> None:
    with session_scope() as s:
        s.execute(update(Worker).where(Worker.uan == RINA.uan).values(phone=None))
    slots = {"uan": RINA.uan, "flow": "claim"}
    events, said = run(ValidateVerifyForm(), ask(RINA.dob_typed, "date_of_birth", slots), domain)
    values = slot_values(events)
    assert said[-1] == translate("verify.no_registered_phone", "en")
    assert values["expecting"] == "start:human"  # yes -> an officer
    assert values["requested_slot"] is None  # the form ends
    after = make_tracker("", slots={**slots, **values, DECIDED_FLAG: False})
    events, said = run(ActionAfterVerify(), after, domain)
    assert slot_values(events)["flow"] is None and said == []  # nothing is filed


def test_an_expired_code_asks_before_sending_another(backend, domain) -> None:
    slots = {**_sent_for(RAMESH), "otp_state": "expired"}
    asked = render("utter_ask_verify_form_otp_code", slots)
    assert asked["text"] == translate("verify.otp_expired", "en") and asked["buttons"]
    events, said = run(ValidateVerifyForm(), ask("yes", "otp_code", slots, "affirm"), domain)
    # a code was sent a moment ago: the worker is told to wait and asked for that one
    assert slot_values(events)["otp_state"] == "sent"
    seconds = re.search(r"\d+", said[0])
    assert seconds and said == [translate("verify.otp_wait", "en", seconds=seconds.group())]
    events, said = run(ValidateVerifyForm(), ask("no", "otp_code", slots, "deny"), domain)
    assert slot_values(events)["awaiting_menu"] is True
    assert said == [translate("common.anything_else", "en")]
