"""Services after verification and confirmed writes, against the real backend app."""

from __future__ import annotations

import asyncio

from actions.backend_client import BackendClient
from actions.routing.after_verify import ActionAfterVerify
from actions.routing.router import ActionRoute
from actions.submit.claim import ActionSubmitClaim
from actions.submit.eligibility import ActionSubmitEligibility
from actions.submit.pension import ActionSubmitPensionRestart
from locales import translate
from tests.actions.conftest import followup, make_tracker, run, slot_values
from tests.api.conftest import texted_code
from tests.factory import ANWAR, RAMESH, RINA


def token_for(uan: str, dob: str, *, strong: bool = False) -> str:
    """A verified session; `strong`: the texted code typed too, as a claim needs."""
    client = BackendClient("flows")
    token = asyncio.run(client.verify(uan, dob, "web")).token
    if strong:
        asyncio.run(client.send_otp(token))
        assert asyncio.run(client.check_otp(token, texted_code())) == "strong"
    return token


def test_status_in_bengali_names_the_claim_and_missing_papers(backend, domain) -> None:
    slots = {
        "language": "bn",
        "flow": "status",
        "verification_token": token_for(RINA.uan, RINA.dob),
        "worker_name": "রিনা",
    }
    events, said = run(ActionAfterVerify(), make_tracker("", slots=slots), domain)
    text = said[0]
    assert "CLM-2026-000101" in text
    assert "হাসপাতালের ছুটির কাগজ" in text  # documents_pending rendered from doc.<code>
    assert "৩১ মার্চ, ২০২৭" in text  # valid_until as a Bengali date
    assert slot_values(events)["flow"] is None


def test_route_skips_verification_when_already_verified(backend, domain) -> None:
    slots = {"verification_token": "t", "flow": None}
    events, _ = run(
        ActionRoute(), make_tracker("my status", intent="check_status", slots=slots), domain
    )
    assert followup(events) == "action_after_verify"
    events, _said = run(ActionRoute(), make_tracker("my status", intent="check_status"), domain)
    assert followup(events) == "verify_form"
    assert slot_values(events)["flow"] == "status"


def test_on_the_phone_verification_starts_with_the_question_itself(backend, domain) -> None:
    """A caller hears every word: no "first I need to check who you are" before the UAN
    question (six seconds of a status check); written channels keep it."""
    texts = make_tracker("my status", intent="check_status", sender="sms:+919800000001")
    assert run(ActionRoute(), texts, domain)[1] == [translate("verify.intro", "en")]
    meta = {"channel": "voice", "menu_choice": "status"}
    call = make_tracker("check my status", sender="voice:CA1", metadata=meta)
    events, said = run(ActionRoute(), call, domain)
    assert followup(events) == "verify_form" and said == []


def claim_slots(token: str, **extra) -> dict:
    return {
        "language": "hi",
        "flow": "claim",
        "verification_token": token,
        "claim_type": "medical",
        "incident_date": "2026-11-01",
        "incident_description": "fell from scaffolding",
        "bank_last4": "0942",
        "claim_confirmed": True,
        "submission_seq": 3,
        **extra,
    }


def test_confirmed_claim_is_filed_once_and_lists_documents(backend, domain) -> None:
    token = token_for(RAMESH.uan, RAMESH.dob, strong=True)
    tracker = make_tracker("हाँ", intent="affirm", slots=claim_slots(token), sender="claim-1")
    events, said = run(ActionSubmitClaim(), tracker, domain)
    assert "CLM-" in said[0]
    assert "बैंक पासबुक" in said[1]
    assert slot_values(events)["claim_type"] is None  # the flow is finished and cleared
    # a retry of the same submission (same sender + seq) replays and writes nothing new
    events, again = run(ActionSubmitClaim(), tracker, domain)
    assert again[0] == said[0]


def test_bank_mismatch_reopens_only_that_question(backend, domain) -> None:
    token = token_for(RAMESH.uan, RAMESH.dob, strong=True)
    tracker = make_tracker("हाँ", slots=claim_slots(token, bank_last4="1111"), sender="claim-2")
    events, _said = run(ActionSubmitClaim(), tracker, domain)
    values = slot_values(events)
    assert values["bank_last4"] is None and values["claim_confirmed"] is None
    assert "incident_date" not in values
    assert followup(events) == "claim_form"


def test_claim_with_backend_down_keeps_every_answer(backend_down, domain) -> None:
    tracker = make_tracker("हाँ", slots=claim_slots("t"), sender="claim-3")
    events, said = run(ActionSubmitClaim(), tracker, domain)
    assert slot_values(events) == {"claim_confirmed": None}
    assert followup(events) == "claim_form"
    assert "अधिकारी" in said[0]


def test_eligibility_numbers_come_from_the_backend(backend, domain) -> None:
    slots = {
        "age": 29,
        "monthly_income": 10000,
        "epf_member": False,
        "nps_member": False,
        "esic_member": False,
        "income_tax_payer": False,
    }
    _, said = run(ActionSubmitEligibility(), make_tracker("no", slots=slots), domain)
    assert "₹100 a month" in said[0] and "₹3,000" in said[0]
    slots["epf_member"] = True
    _events, said = run(ActionSubmitEligibility(), make_tracker("yes", slots=slots), domain)
    assert "cannot join" in said[0] and "EPF" in said[0]


def test_stopped_pension_explains_and_offers_restart(backend, domain) -> None:
    token = token_for(ANWAR.uan, ANWAR.dob)
    slots = {"flow": "pension", "verification_token": token}
    events, said = run(ActionAfterVerify(), make_tracker("", slots=slots), domain)
    assert "life certificate" in said[0]
    assert followup(events) == "pension_form"
    slots["pension_restart_confirmed"] = True
    events, said = run(ActionSubmitPensionRestart(), make_tracker("yes", slots=slots), domain)
    assert "PRR-" in said[0]


def test_small_talk_and_out_of_scope_get_the_menu(backend, domain) -> None:
    events, said = run(
        ActionRoute(), make_tracker("what is cricket score", intent="out_of_scope"), domain
    )
    # an unknown question gets "I don't know; an officer can tell you", never another answer
    assert said[0] == translate("kb.no_answer", "en")
    assert slot_values(events)["awaiting_menu"] is True
    menu_pick = make_tracker("3", intent="inform", slots={"awaiting_menu": True})
    events, said = run(ActionRoute(), menu_pick, domain)
    assert slot_values(events)["flow"] == "claim"


def test_change_language_confirms_in_the_new_language(domain) -> None:
    events = [
        {"event": "user", "text": "अंग्रेजी में बात करो", "timestamp": 1.0},
        {"event": "slot", "name": "language", "value": "en", "timestamp": 1.0},
    ]
    tracker = make_tracker("अंग्रेजी में बात करो", intent="change_language", events=events)
    _, said = run(ActionRoute(), tracker, domain)
    assert said[0] == "All right, I will speak in English now."
    unclear = make_tracker("change language", intent="change_language")
    _, said = run(ActionRoute(), unclear, domain)
    assert said[0].startswith("Which language")


def test_a_decision_the_worker_has_not_heard_is_read_out_after_verification(
    backend, domain
) -> None:
    """The worker hears back: an officer's decision comes first, in their language, once."""
    from sqlalchemy import select

    from api.db.models import StaffUser
    from api.db.session import session_scope
    from api.domain import casework as rules
    from api.services import cases, decisions
    from api.services.context import Ctx

    with session_scope() as s:
        staff = s.execute(select(StaffUser).where(StaffUser.username == "officer1")).scalar_one()
        case = cases.find(s, "CLM-2026-000101")
        decision = rules.Decision(status="approved", amount=50000, version=case.version)
        decisions.decide(s, Ctx(actor="staff:officer1"), staff, case.reference, decision)
    slots = {
        "language": "bn",
        "flow": "status",
        "verification_token": token_for(RINA.uan, RINA.dob),
    }
    _, said = run(ActionAfterVerify(), make_tracker("", slots=slots), domain)
    assert "CLM-2026-000101" in said[0] and "৫০,০০০" in said[0]
    _, again = run(ActionAfterVerify(), make_tracker("", slots=slots), domain)
    assert again[0] != said[0]  # heard once: now the status comes first
