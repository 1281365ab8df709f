"""The first message decides the step: an age said with "can I join", a question that merely
names an officer, joining the pension scheme said as "enrol me"."""

from __future__ import annotations

import pytest

from actions.routing.router import ActionRoute
from locales import translate
from tests.actions.conftest import followup, make_tracker, run, slot_values


def _unsure_officer(text: str):
    tracker = make_tracker(text, intent="talk_to_human")
    tracker.latest_message["intent"]["confidence"] = 0.52
    return tracker


def test_an_age_said_in_words_with_can_i_join_gets_the_answer_at_once(backend, domain) -> None:
    # speech writes "i am fifty can i join": no age entity, the words still say 50
    events, _ = run(
        ActionRoute(), make_tracker("i am fifty can i join", intent="check_eligibility"), domain
    )
    assert followup(events) == "action_submit_eligibility"
    assert slot_values(events)["age"] == 50


def test_a_question_naming_an_officer_is_not_handed_over_unasked(backend, domain) -> None:
    events, said = run(ActionRoute(), _unsure_officer("what colour is the officer's car"), domain)
    assert followup(events) != "action_handoff"
    assert "handoff_reason" not in slot_values(events)
    assert translate("kb.no_answer", "en") in said
    assert translate("handoff.offer", "en") in said
    assert slot_values(events)["expecting"] == "start:human:"


def test_yes_to_the_officer_offer_hands_over(domain) -> None:
    tracker = make_tracker(
        "yes", intent="affirm", slots={"expecting": "start:human:", "awaiting_menu": True}
    )
    events, _ = run(ActionRoute(), tracker, domain)
    assert followup(events) == "action_handoff"


def test_a_sure_request_for_an_officer_is_handed_over(domain) -> None:
    events, _ = run(
        ActionRoute(), make_tracker("officer se baat karao", intent="talk_to_human"), domain
    )
    assert followup(events) == "action_handoff"


def test_joining_the_pension_scheme_is_its_check_not_e_shram(backend, domain) -> None:
    scheme = [{"entity": "scheme", "value": "pm_sym"}]
    tracker = make_tracker(
        "pension yojana me naam likhwana hai", intent="register", entities=scheme
    )
    events, _ = run(ActionRoute(), tracker, domain)
    assert followup(events) == "eligibility_form"


def test_a_question_about_e_shram_ages_is_answered_not_the_pension_check(backend, domain) -> None:
    scheme = [{"entity": "scheme", "value": "eshram"}]
    text = "ई-श्रम में कितनी उम्र तक पंजीकरण करा सकते हैं"
    tracker = make_tracker(
        text, intent="check_eligibility", entities=scheme, slots={"language": "hi"}
    )
    events, said = run(ActionRoute(), tracker, domain)
    assert followup(events) != "eligibility_form"
    assert any("16" in s and "59" in s for s in said), said


def _torn(text: str, intent: str, runner_up: str = "ask_scheme_info", gap: float = 0.0):
    tracker = make_tracker(text, intent=intent)
    tracker.latest_message["intent"]["confidence"] = 0.44
    tracker.latest_message["intent_ranking"] = [
        {"name": intent, "confidence": 0.44},
        {"name": runner_up, "confidence": 0.44 - gap},
    ]
    return tracker


def test_a_scheme_fact_scored_alike_with_a_service_is_answered(backend, domain, kb_warm) -> None:
    text = "if my husband dies after his pension starts how much will I get"
    events, said = run(ActionRoute(), _torn(text, "pension_issue"), domain)
    assert followup(events) not in ("verify_form", "pension_form")
    assert any("1,500" in s or "1500" in s for s in said), said


def test_a_service_far_ahead_of_the_question_starts_as_usual(backend, domain) -> None:
    text = "if my husband dies after his pension starts how much will I get"
    events, _ = run(ActionRoute(), _torn(text, "pension_issue", gap=0.3), domain)
    assert followup(events) == "verify_form"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("I want to enrol in the pension", "en"),
        ("mujhe pension yojana mein judna hai", "hi"),
        ("আমি পেনশনে নাম লেখাতে চাই", "bn"),
    ],
)
def test_joining_a_pension_not_named_is_the_pm_sym_check(backend, domain, text, lang) -> None:
    """No scheme entity: a pension named in a wish to join is PM-SYM's check, not e-Shram."""
    tracker = make_tracker(text, intent="register", slots={"language": lang})
    events, _ = run(ActionRoute(), tracker, domain)
    assert followup(events) == "eligibility_form"


def test_joining_e_shram_for_its_pension_link_stays_registration(backend, domain) -> None:
    tracker = make_tracker("how do I register on e-shram to get a pension later", intent="register")
    events, _ = run(ActionRoute(), tracker, domain)
    assert followup(events) != "eligibility_form"
