"""A correction of the worker's record through the real backend, action by action: started by the
intent or the keypad key, verified, the detail chosen, the texted code (not for the phone
number), the new value read back with the documents, filed for an officer."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import select

from actions.backend_client import BackendClient
from actions.forms.correction import ValidateCorrectionForm
from actions.nlg import render
from actions.routing.after_verify import ActionAfterVerify
from actions.routing.router import ActionRoute
from actions.submit.correction import ActionSubmitCorrection
from api.db.models import Case, CorrectionRequest, OutboundMessage
from api.db.session import session_scope
from locales import translate
from tests.actions.conftest import followup, make_tracker, run, slot_values
from tests.api.conftest import texted_code
from tests.factory import RAMESH, RINA

FORM = "correction_form"


def _verified(who: Any = RAMESH, *, strong: bool = False) -> dict[str, Any]:
    client = BackendClient("correction-test")
    token = asyncio.run(client.verify(who.uan, who.dob, "web")).token
    level = "basic"
    if strong:
        asyncio.run(client.send_otp(token))
        level = asyncio.run(client.check_otp(token, texted_code()))
    return {"verification_token": token, "verification_level": level, "flow": "correction"}


def ask(text: str, requested: str, slots: dict[str, Any], intent: str = "inform") -> Any:
    return make_tracker(
        text, intent=intent, form=FORM, slots={**slots, "requested_slot": requested}
    )


def asked_next(domain: dict[str, Any], slots: dict[str, Any], values: dict[str, Any]) -> str:
    """The question the form asks next: the one the validation names, else (as Rasa does) the
    first unanswered slot of the form in domain.yml."""
    if "requested_slot" in values:
        return str(values["requested_slot"])
    known = {**slots, **values}
    return next(s for s in domain["forms"][FORM]["required_slots"] if known.get(s) is None)


def _otp_sms() -> int:
    with session_scope() as s:
        rows = s.execute(select(OutboundMessage).where(OutboundMessage.reason == "otp"))
        return len(rows.scalars().all())


def test_the_intent_starts_verification_then_the_form(backend, domain) -> None:
    events, said = run(
        ActionRoute(), make_tracker("my name is wrong", intent="correct_record"), domain
    )
    assert followup(events) == "verify_form" and said == [translate("verify.intro", "en")]
    assert slot_values(events)["flow"] == "correction"
    after = make_tracker("", slots=_verified())
    events, _ = run(ActionAfterVerify(), after, domain)
    assert followup(events) == "correction_form"


def test_the_keypad_key_starts_a_correction_whatever_the_words(backend, domain) -> None:
    tracker = make_tracker(
        translate("voice.intent.correction", "hi"),
        intent="out_of_scope",
        metadata={"menu_choice": "correction", "channel": "voice"},
        slots={"language": "hi"},
    )
    events, _ = run(ActionRoute(), tracker, domain)
    assert slot_values(events)["flow"] == "correction" and followup(events) == "verify_form"


def test_a_date_of_birth_needs_the_code_then_is_read_back_with_its_documents(
    backend, domain
) -> None:
    slots = {**_verified(), "language": "hi"}
    asked = render("utter_ask_correction_form_correction_field", slots)
    assert translate("correction_field.date_of_birth", "hi") in asked["text"]
    assert asked["custom"]["expect"] == {"kind": "options", "count": 5}

    before = _otp_sms()
    events, said = run(ValidateCorrectionForm(), ask("2", "correction_field", slots), domain)
    values = slot_values(events)
    assert values["correction_field"] == "date_of_birth" and said == []
    assert values["otp_state"] == "sent" and values["requested_slot"] == "otp_code"
    assert _otp_sms() == before + 1  # texted to the registered phone

    slots |= values
    events, _ = run(ValidateCorrectionForm(), ask(texted_code(), "otp_code", slots), domain)
    values = slot_values(events)
    assert values["verification_level"] == "strong"
    assert asked_next(domain, slots, values) == "correction_value"
    slots |= values
    asked = render("utter_ask_correction_form_correction_value", slots)
    assert asked["custom"]["expect"]["what"] == "dob" and "keyed_text" in asked["custom"]

    events, _ = run(ValidateCorrectionForm(), ask("2 जुलाई 1990", "correction_value", slots), domain)
    values = slot_values(events)
    assert values["correction_value"] == "1990-07-02"
    assert asked_next(domain, slots, values) == "correction_confirmed"
    slots |= values
    confirm = render("utter_ask_correction_form_correction_confirmed", slots)["text"]
    either = translate(
        "correction.one_of",
        "hi",
        first=translate("doc.aadhaar_card", "hi"),
        second=translate("doc.own_birth_certificate", "hi"),
    )
    assert either in confirm and "2 जुलाई 1990" in confirm

    done = {**slots, "correction_confirmed": True, "submission_seq": 1}
    events, said = run(ActionSubmitCorrection(), make_tracker("हाँ", slots=done), domain)
    with session_scope() as s:
        reference = s.execute(select(CorrectionRequest.reference)).scalar_one()
        assert s.execute(select(Case.kind).where(Case.reference == reference)).scalar() == (
            "correction"
        )
    assert reference in said[0] and either in said[0]
    assert slot_values(events)["correction_value"] is None  # the flow's answers are cleared


def test_a_phone_number_needs_no_code_and_is_filed_on_a_basic_session(backend, domain) -> None:
    slots = _verified(RINA)
    events, _ = run(
        ValidateCorrectionForm(), ask("mobile number", "correction_field", slots), domain
    )
    values = slot_values(events)
    assert values["correction_field"] == "phone" and values.get("otp_state") is None
    assert asked_next(domain, slots, values) == "correction_value"
    slots |= values
    asked = render("utter_ask_correction_form_correction_value", slots)
    assert asked["custom"]["expect"] == {"kind": "number", "what": "phone", "digits": 10}
    events, _ = run(ValidateCorrectionForm(), ask("98300 12345", "correction_value", slots), domain)
    slots |= slot_values(events)
    assert slots["correction_value"] == "+919830012345"
    done = {**slots, "correction_confirmed": True, "submission_seq": 1}
    _events, said = run(ActionSubmitCorrection(), make_tracker("yes", slots=done), domain)
    assert said[0].startswith(translate("correction.filed", "en").split("{")[0])
    assert "COR-" in said[0]


def test_a_bank_account_is_read_back_by_its_last_four_digits_only(backend, domain) -> None:
    slots = {**_verified(strong=True), "correction_field": "bank_account"}
    said_number = "my new account is 1029 3847 5601"
    events, _ = run(ValidateCorrectionForm(), ask(said_number, "correction_value", slots), domain)
    slots |= slot_values(events)
    assert slots["correction_value"] == "102938475601"
    confirm = render("utter_ask_correction_form_correction_confirmed", slots)["text"]
    assert "102938475601" not in confirm and "five six zero one" in confirm


def test_a_value_that_cannot_be_one_is_explained(backend, domain) -> None:
    slots = {**_verified(strong=True), "correction_field": "bank_account"}
    events, said = run(ValidateCorrectionForm(), ask("1234", "correction_value", slots), domain)
    assert said == [translate("correction.bad_value.bank_account", "en")]
    assert slot_values(events)["failed_attempts"] == 1


def test_a_second_request_for_the_same_detail_names_the_open_one(backend, domain) -> None:
    slots = {
        **_verified(RINA),
        "correction_field": "phone",
        "correction_value": "+919830012345",
        "correction_confirmed": True,
    }
    run(ActionSubmitCorrection(), make_tracker("yes", slots={**slots, "submission_seq": 1}), domain)
    events, said = run(
        ActionSubmitCorrection(), make_tracker("yes", slots={**slots, "submission_seq": 2}), domain
    )
    with session_scope() as s:
        reference = s.execute(select(CorrectionRequest.reference)).scalar_one()
    assert said[0] == translate("correction.already_open", "en", reference=reference)
    assert slot_values(events)["flow"] is None
