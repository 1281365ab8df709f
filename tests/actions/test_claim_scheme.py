"""A worker with two memberships that pay claims: the backend answers scheme_required, the
claim form asks which (numbered buttons, a keypad choice on the phone), and the claim is filed
under the one chosen; against the real backend app."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from actions.forms.claim import ValidateClaimForm
from actions.nlg import render
from actions.submit.claim import ActionSubmitClaim
from api.db.models import Claim, Enrollment, Worker
from api.db.session import session_scope
from locales import translate
from tests.actions.conftest import followup, make_tracker, run, slot_values
from tests.actions.test_flows import token_for
from tests.factory import RINA

TWO = ["bocw_welfare", "state_social_security"]


def _claim_slots(token: str, **extra) -> dict:
    return {
        "language": "bn",
        "flow": "claim",
        "verification_token": token,
        "claim_type": "medical",
        "incident_date": "2026-11-01",
        "incident_description": "মাচা থেকে পড়ে গেছি",
        "bank_last4": "3307",
        "claim_confirmed": True,
        "submission_seq": 1,
        **extra,
    }


def _rina_joins_the_state_scheme() -> None:
    with session_scope() as s:
        worker = s.execute(select(Worker).where(Worker.uan == RINA.uan)).scalar_one()
        s.add(
            Enrollment(
                worker_id=worker.id,
                scheme_code="state_social_security",
                status="active",
                valid_until=date(2099, 3, 31),
            )
        )


def test_scheme_required_asks_which_then_files_under_the_choice(backend, domain) -> None:
    _rina_joins_the_state_scheme()
    token = token_for(RINA.uan, RINA.dob, strong=True)
    tracker = make_tracker("হ্যাঁ", intent="affirm", slots=_claim_slots(token), sender="cs-1")
    events, said = run(ActionSubmitClaim(), tracker, domain)
    values = slot_values(events)
    assert values["claim_scheme_options"] == TWO and values["claim_scheme"] is None
    assert "claim_confirmed" not in values  # the read-back is not asked again
    assert followup(events) == "claim_form" and said == []

    question = render("utter_ask_claim_form_claim_scheme", {"language": "bn", **values})
    titles = [b["title"] for b in question["buttons"]]
    assert titles == [translate(f"scheme.{code}", "bn") for code in TWO]
    assert [b["payload"] for b in question["buttons"]] == ["1", "2"]  # keys on the phone

    form_slots = {**_claim_slots(token), **values, "requested_slot": "claim_scheme"}
    answer = make_tracker("2", form="claim_form", slots=form_slots, sender="cs-1")
    form = ValidateClaimForm()
    chosen = slot_values(run(form, answer, domain)[0])
    assert chosen["claim_scheme"] == "state_social_security"

    filed = make_tracker("2", slots={**form_slots, **chosen}, sender="cs-1")
    events, said = run(ActionSubmitClaim(), filed, domain)
    assert "CLM-" in said[0]
    assert slot_values(events)["claim_scheme_options"] is None  # the flow is cleared
    with session_scope() as s:
        newest = s.execute(select(Claim).order_by(Claim.id.desc())).scalars().first()
        assert newest is not None and newest.scheme_code == "state_social_security"


def test_an_answer_off_the_list_is_asked_again(backend, domain) -> None:
    slots = {**_claim_slots("t"), "claim_scheme_options": TWO, "requested_slot": "claim_scheme"}
    tracker = make_tracker("7", form="claim_form", slots=slots)
    events, said = run(ValidateClaimForm(), tracker, domain)
    assert slot_values(events)["claim_scheme"] is None
    assert said == [translate("claim.scheme_not_understood", "bn")]


def test_one_membership_files_without_asking(backend, domain) -> None:
    token = token_for(RINA.uan, RINA.dob, strong=True)
    tracker = make_tracker("হ্যাঁ", intent="affirm", slots=_claim_slots(token), sender="cs-3")
    events, said = run(ActionSubmitClaim(), tracker, domain)
    assert "CLM-" in said[0] and followup(events) != "claim_form"
    with session_scope() as s:
        newest = s.execute(select(Claim).order_by(Claim.id.desc())).scalars().first()
        assert newest is not None and newest.scheme_code == "bocw_welfare"
