"""The family flow in the assistant, against the real backend app: a death said in the
family's words starts it (never the worker's check), a death claim picked in the worker's claim
form switches to it, the nominee's name is checked by the backend, the code goes to the
caller, and the claim is filed to the nominee's account."""

from __future__ import annotations

import asyncio
from datetime import date

from actions.backend_client import BackendClient
from actions.forms.claim import ValidateClaimForm
from actions.forms.family import ValidateFamilyForm
from actions.routing.router import ActionRoute
from actions.submit.claim import ActionSubmitClaim
from actions.submit.family import ActionSubmitFamilyClaim
from api.db.models import Nominee, PensionAccount, Worker
from api.db.session import session_scope
from locales import translate
from tests.actions.conftest import followup, make_tracker, run, slot_values
from tests.api.conftest import texted_code
from tests.factory import new_uan

BORN = "1958-03-02"


def _deceased(nominee: str = "Rokeya Bibi") -> str:
    uan = new_uan()
    with session_scope() as s:
        worker = Worker(
            uan=uan,
            name_en="Abdul Karim",
            date_of_birth=date.fromisoformat(BORN),
            phone="+919812399999",
            preferred_language="bn",
        )
        s.add(worker)
        s.flush()
        s.add(Nominee(worker_id=worker.id, name=nominee, relation="wife"))
        s.add(
            PensionAccount(
                worker_id=worker.id, scheme_code="pm_sym", monthly_amount=3000, status="active"
            )
        )
    return uan


def test_a_death_said_in_a_claim_request_starts_the_family_flow(backend, domain) -> None:
    tracker = make_tracker(
        "আমার স্বামী মারা গেছেন, দাবি করতে চাই",
        intent="file_claim",
        slots={"language": "bn"},
    )
    events, said = run(ActionRoute(), tracker, domain)
    assert followup(events) == "family_form"  # not verify_form: no code to the dead worker
    assert slot_values(events)["flow"] == "family"
    assert translate("family.intro", "bn") in said


def test_a_family_pension_request_names_the_claim(backend, domain) -> None:
    tracker = make_tracker(
        "मेरे पति की मृत्यु हो गई, पारिवारिक पेंशन चाहिए", intent="pension_issue", slots={}
    )
    events, _ = run(ActionRoute(), tracker, domain)
    assert followup(events) == "family_form"
    assert slot_values(events)["family_claim_type"] == "family_pension"


def test_a_death_claim_picked_in_the_workers_claim_form_switches(backend, domain) -> None:
    form = ValidateClaimForm()
    tracker = make_tracker("3", slots={"claim_type": "death_funeral", "flow": "claim"})
    required = asyncio.run(form.required_slots(["claim_type", "incident_date"], None, tracker, {}))  # type: ignore[arg-type]
    assert required == ["claim_type"]
    slots = {"flow": "claim", "claim_type": "death_funeral", "uan": "100000000009"}
    events, said = run(ActionSubmitClaim(), make_tracker("3", slots=slots), domain)
    assert followup(events) == "family_form" and said[0] == translate("family.switch", "en")
    values = slot_values(events)
    assert values["family_claim_type"] == "death_funeral" and values["uan"] == "100000000009"


def _nominee_turn(uan: str, name: str, sender: str) -> tuple[list[dict], list[str]]:
    slots = {
        "flow": "family",
        "requested_slot": "family_nominee",
        "uan": uan,
        "date_of_birth": BORN,
        "family_phone": "+919812300001",
    }
    tracker = make_tracker(name, slots=slots, form="family_form", sender=sender)
    return run(ValidateFamilyForm(), tracker, {"forms": {"family_form": {"required_slots": []}}})


def test_the_nominee_checked_then_the_code_to_the_caller(backend, domain) -> None:
    uan = _deceased()
    events, said = _nominee_turn(uan, "Rokiya Beebi", "fam-1")
    values = slot_values(events)
    assert values["family_token"] and values["family_last2"] == "01"
    assert values["family_types"] == ["death_funeral", "accident_death", "family_pension"]
    assert values["requested_slot"] == "otp_code" and said == []
    assert "verification_token" not in values  # the worker's session is never opened


def test_a_wrong_name_asks_everything_again(backend, domain) -> None:
    uan = _deceased()
    events, said = _nominee_turn(uan, "Sunita Devi", "fam-2")
    values = slot_values(events)
    assert values["uan"] is None and values["date_of_birth"] is None
    assert not values.get("family_token") and said == [translate("family.not_verified", "en")]


def test_the_confirmed_family_pension_is_filed(backend, domain) -> None:
    uan = _deceased()
    client = BackendClient("fam-3")
    from actions.family_client import FamilyClient

    body = asyncio.run(
        FamilyClient("fam-3").verify_family(uan, BORN, "Rokeya Bibi", "+919812300002", "web", "en")
    )
    token = body["verification_token"]
    assert asyncio.run(client.check_otp(token, texted_code())) == "strong"
    slots = {
        "flow": "family",
        "family_token": token,
        "family_claim_type": "family_pension",
        "incident_date": "2026-11-20",
        "bank_last4": "4321",
        "family_confirmed": True,
        "submission_seq": 1,
    }
    events, said = run(ActionSubmitFamilyClaim(), make_tracker("yes", slots=slots), domain)
    words = "\n".join(said)
    assert "CLM-" in words and "1,500" in words, words
    assert slot_values(events)["flow"] is None


def test_the_family_follows_its_claim_by_reference(backend, domain) -> None:
    from actions.family_client import FamilyClient
    from actions.selfservice import ActionTrackRequest

    uan = _deceased()
    family = FamilyClient("fam-4")
    token = asyncio.run(
        family.verify_family(uan, BORN, "Rokeya Bibi", "+919812300004", "web", "en")
    )["verification_token"]
    assert asyncio.run(family.check_otp(token, texted_code())) == "strong"
    filed = asyncio.run(
        family.file_family_claim(
            token, claim_type="death_funeral", incident_date="2026-11-20", last4="4321", key="k4"
        )
    )
    slots = {"flow": "track", "family_token": token, "track_reference": filed.reference}
    events, said = run(ActionTrackRequest(), make_tracker("", slots=slots), domain)
    assert filed.reference in said[0], said  # with the family session: no worker check
    assert followup(events) is None
    demo = {"flow": "track", "family_token": token, "track_reference": "CLM-2026-000101"}
    _, said = run(ActionTrackRequest(), make_tracker("", slots=demo), domain)
    assert said[0] == translate("track.not_found", "en", reference="CLM-2026-000101")


def test_a_keypad_caller_at_the_name_is_offered_an_officers_call_back(backend, domain) -> None:
    slots = {
        "flow": "family",
        "requested_slot": "family_nominee",
        "uan": _deceased(),
        "date_of_birth": BORN,
    }
    tracker = make_tracker(
        "1", slots=slots, form="family_form", sender="voice:CA-fam-5", metadata={"channel": "voice"}
    )
    events, said = run(ValidateFamilyForm(), tracker, {"forms": {"family_form": {}}})
    values = slot_values(events)
    assert said == [translate("family.callback_offer", "en")]
    assert values["expecting"] == "callback" and values["requested_slot"] is None
    assert not values.get("family_token")  # nothing was checked with the keys


def test_on_a_call_the_name_question_says_how_to_get_a_call_back() -> None:
    from actions.nlg import SENDER_CHANNEL, render

    spoken = render("utter_ask_family_form_family_nominee", {SENDER_CHANNEL: "voice"})
    written = render("utter_ask_family_form_family_nominee", {SENDER_CHANNEL: "web"})
    assert spoken["text"] == translate("family.ask_nominee_spoken", "en")
    assert written["text"] == translate("family.ask_nominee", "en")


def test_an_unclear_message_that_says_so_and_asks_to_file_starts_it_too(backend, domain) -> None:
    tracker = make_tracker("my husband died at the site, I want to claim", intent="out_of_scope")
    events, _ = run(ActionRoute(), tracker, domain)
    assert followup(events) == "family_form"
    nominee = make_tracker("my nominee was my mother, she died, change it", intent="update_nominee")
    events, _ = run(ActionRoute(), nominee, domain)
    assert followup(events) == "verify_form"  # a service of its own: the worker's change


def test_a_pension_question_about_a_death_is_no_family_claim(backend, domain) -> None:
    said = "pension shuru hone ke baad pati guzar jaye to patni ko kitni pension milti hai?"
    events, _ = run(ActionRoute(), make_tracker(said, intent="pension_issue"), domain)
    assert followup(events) != "family_form"
