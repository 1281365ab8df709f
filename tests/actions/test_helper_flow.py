"""The helper flow in the assistant, against the real backend app: words that say someone speaks
for a worker start it, the helper's name and relation are asked before the worker's check, the
consent code goes to the WORKER's phone naming the helper, and once it is typed back the helper
acts for the worker (docs/contracts.md, "A helper acts for a worker")."""

from __future__ import annotations

import asyncio

import pytest

from actions.forms.verify import ValidateVerifyForm
from actions.nlg import render
from actions.routing.after_verify import ActionAfterVerify
from actions.routing.router import ActionRoute
from locales import spell_digits, translate
from tests.actions.conftest import followup, make_tracker, run, slot_values
from tests.factory import RAMESH
from tests.helper.conftest import code_in, consent_sms

FORM = "verify_form"


def ask(text: str, requested: str, slots: dict, intent: str = "inform"):
    return make_tracker(
        text, intent=intent, form=FORM, slots={"requested_slot": requested, **slots}
    )


@pytest.mark.parametrize(
    ("text", "intent", "lang"),
    [
        ("I am calling for my father, he cannot use the phone", "talk_to_human", "en"),
        ("main apne pati ki taraf se baat kar rahi hoon", "inform", "hi"),
        ("ami amar babar hoye bolchi", "out_of_scope", "bn"),
        ("আমি আমার মায়ের হয়ে কথা বলছি", "inform", "bn"),
    ],
)
def test_speaking_for_a_worker_starts_the_helper_flow(
    backend, domain, text: str, intent: str, lang: str
) -> None:
    tracker = make_tracker(
        text, intent=intent, slots={"language": lang, "verification_token": "earlier"}
    )
    events, said = run(ActionRoute(), tracker, domain)
    values = slot_values(events)
    assert followup(events) == FORM and values["flow"] == "helper"
    assert translate("helper.intro", lang) in said
    assert values["verification_token"] is None  # an earlier check is not the helper's


def test_a_worker_who_died_stays_the_familys(backend, domain) -> None:
    tracker = make_tracker(
        "my husband died, I am calling on his behalf to claim", intent="file_claim"
    )
    events, _ = run(ActionRoute(), tracker, domain)
    assert followup(events) == "family_form"


def test_the_helper_says_who_they_are_before_the_workers_uan(backend, domain) -> None:
    form = ValidateVerifyForm()
    tracker = make_tracker("", slots={"flow": "helper"}, form=FORM)
    required = asyncio.run(form.required_slots(["uan", "date_of_birth"], None, tracker, {}))  # type: ignore[arg-type]
    assert required == ["helper_name", "helper_relation", "uan", "date_of_birth", "otp_code"]
    events, _ = run(form, ask("Sohel Das", "helper_name", {"flow": "helper"}), domain)
    assert slot_values(events)["helper_name"] == "Sohel Das"
    events, said = run(form, ask("1234 5678", "helper_name", {"flow": "helper"}), domain)
    assert said == [translate("helper.name_not_understood", "en")]
    for answer, code in (("1", "son"), ("padosi hoon", "neighbour"), ("আমি মেয়ে", "daughter")):
        slots = {"flow": "helper", "helper_name": "Sohel Das"}
        events, _ = run(form, ask(answer, "helper_relation", slots), domain)
        assert slot_values(events)["helper_relation"] == code, answer


def test_the_relation_question_numbers_the_choices_with_buttons() -> None:
    asked = render("utter_ask_verify_form_helper_relation", {"language": "hi"})
    assert len(asked["buttons"]) == 7 and asked["custom"]["expect"]["count"] == 7
    assert translate("helper_role.neighbour", "hi") in asked["text"]


def test_the_consent_code_goes_to_the_worker_and_grants_the_helper(backend, domain) -> None:
    form = ValidateVerifyForm()
    slots = {
        "flow": "helper",
        "language": "en",
        "helper_name": "Meena Kumari",
        "helper_relation": "neighbour",
        "uan": RAMESH.uan,
    }
    events, _ = run(form, ask(RAMESH.dob_typed, "date_of_birth", slots), domain)
    values = slot_values(events)
    assert values["otp_state"] == "sent" and values["otp_last2"] == RAMESH.phone[-2:]
    assert values["requested_slot"] == "otp_code"
    row, sms = consent_sms()
    assert row.to_address == RAMESH.phone and "Meena Kumari" in sms  # in Hindi, Ramesh's
    asked = render("utter_ask_verify_form_otp_code", {**slots, **values, "worker_name": "Ramesh"})
    last2 = spell_digits(RAMESH.phone[-2:], "en")
    assert asked["text"] == translate("helper.ask_code", "en", name="Ramesh", last2=last2)
    slots = {**slots, **values}
    events, _ = run(form, ask(code_in(sms), "otp_code", slots), domain)
    values = slot_values(events)
    assert values["verification_level"] == "strong"
    done = {**slots, **values, "worker_name": "Ramesh"}
    events, said = run(ActionAfterVerify(), make_tracker("", slots=done), domain)
    assert said[0] == translate("helper.ready", "en", name="Ramesh")
    assert slot_values(events)["flow"] is None and slot_values(events)["awaiting_menu"] is True


def test_the_worker_asking_for_themself_is_no_helper(backend, domain) -> None:
    tracker = make_tracker("I want to renew my registration", intent="renew_registration")
    events, _ = run(ActionRoute(), tracker, domain)
    assert slot_values(events)["flow"] == "renewal"


def test_the_keypad_key_starts_it_and_keys_at_the_name_go_on_without_it(backend, domain) -> None:
    sender = "voice:CA-helper-keys"
    keyed = make_tracker(
        "anything the recogniser made of it",
        intent="out_of_scope",
        sender=sender,
        metadata={"channel": "voice", "menu_choice": "helper"},
    )
    events, _ = run(ActionRoute(), keyed, domain)
    assert followup(events) == FORM and slot_values(events)["flow"] == "helper"
    form = ValidateVerifyForm()
    name = make_tracker(
        "1",
        form=FORM,
        sender=sender,
        metadata={"channel": "voice"},
        slots={"requested_slot": "helper_name", "flow": "helper"},
    )
    events, _ = run(form, name, domain)
    named = slot_values(events)["helper_name"]
    slots = {
        "flow": "helper",
        "language": "bn",
        "helper_name": named,
        "helper_relation": "volunteer",
        "uan": RAMESH.uan,
        "requested_slot": "date_of_birth",
    }
    dob = make_tracker(
        RAMESH.dob_typed, form=FORM, sender=sender, metadata={"channel": "voice"}, slots=slots
    )
    events, _ = run(form, dob, domain)
    assert slot_values(events)["otp_state"] == "sent"
    _, sms = consent_sms()  # the worker reads Hindi: "someone (a volunteer)"
    assert sms.startswith(translate("api.helper_consent_sms", "hi").split("{helper}")[0])
    assert (
        f"{translate('helper.unnamed', 'hi')} ({translate('helper_relation.volunteer', 'hi')})"
        in sms
    )
