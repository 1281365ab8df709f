"""Claim, eligibility, nominee and feedback questions: answers, corrections, confirmations."""

from __future__ import annotations

import pytest

from actions.forms.claim import ValidateClaimForm
from actions.forms.eligibility import ValidateEligibilityForm
from actions.forms.feedback import ValidateFeedbackForm
from actions.forms.nominee import ValidateNomineeForm
from actions.submit.feedback import ActionSubmitFeedback
from locales import translate
from tests.actions.conftest import followup, make_tracker, run, slot_values

FILLED_CLAIM = {
    "claim_type": "medical",
    "incident_date": "2026-11-01",
    "incident_description": "fell down",
    "bank_last4": "0942",
}


def claim(text: str, requested: str, intent: str = "inform", entities=None, **slots):
    all_slots = {"requested_slot": requested, **slots}
    return make_tracker(text, intent=intent, entities=entities, form="claim_form", slots=all_slots)


def test_claim_type_by_menu_number_in_bengali_digits(domain) -> None:
    values = slot_values(run(ValidateClaimForm(), claim("৪", "claim_type"), domain)[0])
    assert values["claim_type"] == "medical"


def test_description_is_taken_even_if_it_sounds_like_a_new_claim(domain) -> None:
    tracker = claim(
        "I fell from the scaffolding and broke my leg", "incident_description", intent="file_claim"
    )
    values = slot_values(run(ValidateClaimForm(), tracker, domain)[0])
    assert values["incident_description"].startswith("I fell")


def test_new_date_while_confirming_replaces_the_old_one(domain) -> None:
    tracker = claim(
        "no, the date is 3 November 2026", "claim_confirmed", intent="correct", **FILLED_CLAIM
    )
    events, said = run(ValidateClaimForm(), tracker, domain)
    values = slot_values(events)
    assert values["incident_date"] == "2026-11-03"
    assert values.get("claim_confirmed") is None  # asked again with the new summary
    assert said == []


def test_no_asks_what_to_change_then_second_no_cancels(domain) -> None:
    events, said = run(
        ValidateClaimForm(), claim("no", "claim_confirmed", "deny", **FILLED_CLAIM), domain
    )
    assert slot_values(events)["denials"] == 1 and "What is wrong" in said[0]
    again = claim("no", "claim_confirmed", "deny", denials=1, **FILLED_CLAIM)
    assert slot_values(run(ValidateClaimForm(), again, domain)[0])["claim_confirmed"] is False


@pytest.mark.parametrize(
    "text",
    ["रहने दीजिए, मत भेजिए", "থাক, পাঠাবেন না", "leave it, don't send it", "rehne do, mat bhejo"],
)
def test_a_refusal_without_a_no_cancels_whether_asked_once_or_twice(domain, text) -> None:
    # "leave it, don't send" has no first-word "no" and the classifier may call it anything
    for denials in (0, 1):
        tracker = claim(
            text, "claim_confirmed", "notification_settings", denials=denials, **FILLED_CLAIM
        )
        assert slot_values(run(ValidateClaimForm(), tracker, domain)[0])["claim_confirmed"] is False


def test_i_do_not_know_at_a_confirmation_is_no_refusal(domain) -> None:
    tracker = claim("I don't know", "claim_confirmed", "out_of_scope", **FILLED_CLAIM)
    events, said = run(ValidateClaimForm(), tracker, domain)
    assert slot_values(events).get("claim_confirmed") is None  # asked again, not cancelled
    assert said


def test_bank_digits_need_exactly_four(domain) -> None:
    events, said = run(ValidateClaimForm(), claim("12345", "bank_last4"), domain)
    assert slot_values(events)["failed_attempts"] == 1 and "4 digits" in said[0]
    values = slot_values(run(ValidateClaimForm(), claim("০৯৪২", "bank_last4"), domain)[0])
    assert values["bank_last4"] == "0942"


def test_second_miss_says_only_that_an_officer_comes(domain) -> None:
    tracker = claim("12345", "bank_last4", failed_step="bank_last4", failed_attempts=1)
    events, said = run(ValidateClaimForm(), tracker, domain)
    assert followup(events) == "action_handoff"
    assert said == [translate("handoff.after_failures", "en")]


def eligibility(text: str, requested: str, intent: str = "inform"):
    return make_tracker(
        text, intent=intent, form="eligibility_form", slots={"requested_slot": requested}
    )


def test_eligibility_answers(domain) -> None:
    run_ = lambda t: slot_values(run(ValidateEligibilityForm(), t, domain)[0])  # noqa: E731
    assert run_(eligibility("बत्तीस साल", "age"))["age"] == 32
    assert run_(eligibility("पंद्रह हजार", "monthly_income"))["monthly_income"] == 15000
    assert run_(eligibility("না", "epf_member"))["epf_member"] is False
    assert run_(eligibility("haan ji", "esic_member", intent="affirm"))["esic_member"] is True


def test_nominee_relation_from_entity_or_number(domain) -> None:
    def ask(text, entities=None):
        tracker = make_tracker(
            text,
            entities=entities,
            form="nominee_form",
            slots={"requested_slot": "nominee_relation", "nominee_name": "Sita"},
        )
        return slot_values(run(ValidateNomineeForm(), tracker, domain)[0])

    assert (
        ask("she is my daughter", [{"entity": "relation", "value": "daughter"}])["nominee_relation"]
        == "daughter"
    )
    assert ask("5")["nominee_relation"] == "mother"


def test_feedback_is_recorded_with_a_reference(backend, domain) -> None:
    tracker = make_tracker(
        "मुझसे रिश्वत माँगी",
        intent="give_feedback",
        form="feedback_form",
        slots={"requested_slot": "feedback_text", "feedback_category": "bribery"},
    )
    values = slot_values(run(ValidateFeedbackForm(), tracker, domain)[0])
    assert values["feedback_text"] == "मुझसे रिश्वत माँगी"
    slots = {
        "feedback_category": "bribery",
        "feedback_text": values["feedback_text"],
        "feedback_confirmed": True,
        "language": "hi",
        "flow": "feedback",
        "submission_seq": 1,
    }
    _events, said = run(ActionSubmitFeedback(), make_tracker("हाँ", slots=slots), domain)
    assert "FDB-" in said[0]


def test_description_misread_as_goodbye_is_still_the_description(domain) -> None:
    tracker = claim("কাজ করতে গিয়ে হাত কেটে গেছে", "incident_description", intent="goodbye")
    values = slot_values(run(ValidateClaimForm(), tracker, domain)[0])
    assert values["incident_description"] == "কাজ করতে গিয়ে হাত কেটে গেছে"


def test_over_forty_is_told_at_once_not_asked_the_income(backend, domain) -> None:
    """Known answers are given early: the age alone decides, the form ends, the answer says
    why and what else the worker can do."""
    from actions.submit.eligibility import ActionSubmitEligibility

    events, said = run(ValidateEligibilityForm(), eligibility("৪৫", "age"), domain)
    assert said == []
    assert {"event": "slot", "timestamp": None, "name": "requested_slot", "value": None} in events
    values = slot_values(events)
    assert values["age"] == 45
    tracker = make_tracker("৪৫", slots={"age": 45, "language": "bn"})
    _, said = run(ActionSubmitEligibility(), tracker, domain)
    assert translate("reason.age_above_maximum", "bn") in said[0]
    assert translate("alternative.eshram_accident_cover", "bn") in said[0]


def test_an_epf_member_is_told_as_soon_as_that_is_known(backend, domain) -> None:
    tracker = make_tracker(
        "yes",
        intent="affirm",
        form="eligibility_form",
        slots={"requested_slot": "epf_member", "age": 30, "monthly_income": 9000},
    )
    events, _ = run(ValidateEligibilityForm(), tracker, domain)
    assert slot_values(events)["requested_slot"] is None


def test_an_age_that_does_not_decide_keeps_the_form_going(backend, domain) -> None:
    events, _ = run(ValidateEligibilityForm(), eligibility("32", "age"), domain)
    assert "requested_slot" not in slot_values(events)
