"""A transport worker holding the West Bengal transport workers' scheme and the state scheme
chooses the transport scheme to renew and to claim under (buttons; keys on the phone), and the
"claim filed" answer names the scheme chosen; one with only the transport scheme is asked
nothing. Against the real backend app and the demo data."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from actions.forms.claim import ValidateClaimForm
from actions.forms.renewal import ValidateRenewalForm
from actions.nlg import render
from actions.routing.after_verify import ActionAfterVerify
from actions.submit.claim import ActionSubmitClaim
from actions.submit.renewal import ActionSubmitRenewal
from api.db.models import Claim
from api.db.session import session_scope
from locales import format_date, translate
from tests.actions.conftest import followup, make_tracker, run, slot_values
from tests.actions.test_flows import token_for
from tests.factory import BIKASH, MANOJ

BOTH = ["state_social_security", "wbtwsss"]


def _newest_claim_scheme() -> str | None:
    with session_scope() as s:
        newest = s.execute(select(Claim).order_by(Claim.id.desc())).scalars().first()
        assert newest is not None
        return newest.scheme_code


def test_a_member_of_two_picks_the_transport_scheme_to_renew(backend, domain) -> None:
    token = token_for(MANOJ.uan, MANOJ.dob)
    slots = {"language": "hi", "flow": "renewal", "verification_token": token}
    events, _ = run(ActionAfterVerify(), make_tracker("", slots=slots), domain)
    values = slot_values(events)
    assert values["renewal_options"] == BOTH and followup(events) == "renewal_form"
    question = render("utter_ask_renewal_form_renewal_scheme", {**slots, **values})
    assert [b["title"] for b in question["buttons"]] == [
        translate(f"scheme.{code}", "hi") for code in BOTH
    ]
    asking = {**slots, **values, "requested_slot": "renewal_scheme"}
    answer = make_tracker("2", form="renewal_form", slots=asking, sender="tr-1")
    chosen = slot_values(run(ValidateRenewalForm(), answer, domain)[0])
    assert chosen["renewal_scheme"] == "wbtwsss"
    confirmed = {**asking, **chosen, "renewal_confirmed": True, "submission_seq": 1}
    _, said = run(ActionSubmitRenewal(), make_tracker("हाँ", slots=confirmed), domain)
    assert "REN-" in said[0] and translate("scheme.wbtwsss", "hi") in said[0]


def _claim_slots(token: str, lang: str, last4: str) -> dict:
    return {
        "language": lang,
        "flow": "claim",
        "verification_token": token,
        "claim_type": "accident_disability",
        "incident_date": "2026-11-01",
        "incident_description": "truck palat gaya, haath toot gaya",
        "bank_last4": last4,
        "claim_confirmed": True,
        "submission_seq": 1,
    }


def test_a_claim_under_the_transport_scheme_is_named_when_chosen(backend, domain) -> None:
    token = token_for(MANOJ.uan, MANOJ.dob, strong=True)
    slots = _claim_slots(token, "hi", MANOJ.bank_last4)
    events, said = run(ActionSubmitClaim(), make_tracker("हाँ", slots=slots, sender="tr-2"), domain)
    values = slot_values(events)
    assert values["claim_scheme_options"] == BOTH and said == []
    asking = {**slots, **values, "requested_slot": "claim_scheme"}
    answer = make_tracker("2", form="claim_form", slots=asking, sender="tr-2")
    chosen = slot_values(run(ValidateClaimForm(), answer, domain)[0])
    assert chosen["claim_scheme"] == "wbtwsss"
    filed = make_tracker("2", slots={**asking, **chosen}, sender="tr-2")
    _, said = run(ActionSubmitClaim(), filed, domain)
    reference = re.search(r"CLM-\d{4}-\d+", said[0])
    assert reference, said
    assert said[0] == translate(
        "claim.filed_under",
        "hi",
        type=translate("claim_type.accident_disability", "hi"),
        scheme=translate("scheme.wbtwsss", "hi"),
        reference=reference.group(),
    )
    assert _newest_claim_scheme() == "wbtwsss"


def test_the_only_transport_membership_is_used_without_naming_it(backend, domain) -> None:
    token = token_for(BIKASH.uan, BIKASH.dob, strong=True)
    slots = _claim_slots(token, "bn", BIKASH.bank_last4)
    events, said = run(ActionSubmitClaim(), make_tracker("হ্যাঁ", slots=slots, sender="tr-3"), domain)
    assert "CLM-" in said[0] and followup(events) != "claim_form"
    assert translate("scheme.wbtwsss", "bn") not in said[0]
    assert _newest_claim_scheme() == "wbtwsss"


def test_a_transport_pension_before_it_is_due_is_refused_in_the_workers_words(
    backend, domain
) -> None:
    token = token_for(BIKASH.uan, BIKASH.dob, strong=True)
    slots = {**_claim_slots(token, "bn", BIKASH.bank_last4), "claim_type": "pension"}
    events, said = run(ActionSubmitClaim(), make_tracker("হ্যাঁ", slots=slots, sender="tr-4"), domain)
    assert said[0] == (
        translate(
            "claim.pension_not_due",
            "bn",
            scheme=translate("scheme.wbtwsss", "bn"),
            date=format_date(date(2046, 5, 9), "bn"),
        )
    )
    assert followup(events) != "claim_form" and "CLM-" not in " ".join(said)
