"""Keeping the thread: a bare answer is read in the context of what was last said."""

from __future__ import annotations

import asyncio

from rasa_sdk.executor import CollectingDispatcher

from actions.routing.router import ActionRoute
from locales import translate
from tests.actions.conftest import followup, make_tracker, run, slot_values
from tests.factory import RINA


def route(text: str, intent: str = "inform", **slots):
    return make_tracker(text, intent=intent, slots=slots)


def test_a_uan_with_no_question_pending_starts_a_status_check(domain) -> None:
    events, said = run(ActionRoute(), route("১০০০০০০০০০০১"), domain)
    assert followup(events) == "verify_form"
    assert slot_values(events)["uan"] == RINA.uan
    assert slot_values(events)["flow"] == "status"
    assert translate("fallback.no_question", "en") not in said


def test_an_age_after_an_answer_that_invited_it_continues_the_pension_check(
    backend, domain
) -> None:
    events, said = run(ActionRoute(), route("32", expecting="eligibility_age"), domain)
    assert followup(events) == "eligibility_form"
    values = slot_values(events)
    assert values["age"] == 32 and values["flow"] == "eligibility"
    assert values["expecting"] is None
    assert translate("fallback.no_question", "en") not in said


def test_an_invited_age_over_forty_gets_the_answer_at_once(backend, domain) -> None:
    events, _ = run(ActionRoute(), route("I am 52", expecting="eligibility_age"), domain)
    assert followup(events) == "action_submit_eligibility"
    assert slot_values(events)["age"] == 52


def test_yes_after_anything_else_shows_the_menu_no_says_goodbye(domain) -> None:
    _, said = run(ActionRoute(), route("haan", intent="affirm", awaiting_menu=True), domain)
    assert said[-1].startswith(translate("menu.intro", "en"))
    _, said = run(ActionRoute(), route("no", intent="deny", awaiting_menu=True), domain)
    assert said == [translate("common.goodbye", "en")]


def test_i_did_not_ask_anything_is_never_said_twice_in_a_row(domain) -> None:
    first_events, first = run(ActionRoute(), route("yes", intent="affirm"), domain)
    assert first[0] == translate("fallback.no_question", "en")
    strays = slot_values(first_events)["stray_answers"]
    tracker = make_tracker(
        "ok yes",
        intent="affirm",
        slots={"stray_answers": strays},
    )
    tracker.latest_message["intent_ranking"] = [
        {"name": "affirm", "confidence": 0.5},
        {"name": "check_eligibility", "confidence": 0.2},
        {"name": "check_status", "confidence": 0.1},
    ]
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionRoute().run(dispatcher, tracker, domain))
    texts = [m.get("text") for m in dispatcher.messages]
    assert translate("fallback.no_question", "en") not in texts
    assert texts == [translate("fallback.likely_tasks", "en")]
    titles = [b["title"] for b in dispatcher.messages[0]["buttons"]]
    assert titles == [
        translate("menu.eligibility", "en"),
        translate("menu.status", "en"),
        translate("menu.human", "en"),
    ]
    # each choice is the menu number, which a waiting menu takes
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == ["4", "1", "9"]


def test_a_scheme_answer_that_invites_an_age_takes_the_age_next(backend, domain) -> None:
    question = "how much is the monthly contribution for PM-SYM"
    events, said = run(ActionRoute(), route(question, intent="ask_scheme_info"), domain)
    assert slot_values(events)["expecting"] == "eligibility_age"
    assert translate("common.anything_else", "en") not in said  # the answer's question stands


def test_a_scheme_answer_about_a_service_offers_to_start_it(backend, domain) -> None:
    question = "which papers do I need for a medical help claim"
    events, said = run(ActionRoute(), route(question, intent="ask_scheme_info"), domain)
    offer = slot_values(events)["expecting"]
    assert offer == "start:claim:medical" and said[-1] == translate("kb.offer_start", "en")
    events, _ = run(ActionRoute(), route("yes please", intent="affirm", expecting=offer), domain)
    values = slot_values(events)
    assert values["flow"] == "claim" and values["claim_type"] == "medical"


PENSION_QUESTIONS = [
    ("mujhe pension yojana ke baare mein batao", "meri umar 28 saal hai"),
    ("পেনশন প্রকল্পের ব্যাপারে বলুন", "২৮"),
    ("what about the maandhan pension", "I am 28"),
]


def test_an_age_after_pension_talk_the_knowledge_base_could_not_answer_is_that_age(
    backend, domain
) -> None:
    """The worker's own words named the pension; the knowledge base had no sure answer (or a
    question came between): the age they say next is still their age for the pension check."""
    for question, age in PENSION_QUESTIONS:
        events = [
            {"event": "user", "text": question, "timestamp": 1.0},
            {"event": "bot", "text": translate("kb.no_answer", "en"), "timestamp": 1.1},
            {"event": "user", "text": age, "timestamp": 2.0},
        ]
        tracker = make_tracker(age, intent="inform", slots={"awaiting_menu": True}, events=events)
        dispatcher = CollectingDispatcher()
        got = asyncio.run(ActionRoute().run(dispatcher, tracker, domain))
        said = [m.get("text") for m in dispatcher.messages]
        assert followup(got) == "eligibility_form", (question, said)
        assert slot_values(got)["age"] == 28
        assert translate("fallback.no_question", "en") not in said


def test_an_age_with_no_pension_talk_before_it_is_still_a_stray_answer(domain) -> None:
    events = [
        {"event": "user", "text": "how do I renew my card", "timestamp": 1.0},
        {"event": "user", "text": "28", "timestamp": 2.0},
    ]
    tracker = make_tracker("28", intent="inform", events=events)
    dispatcher = CollectingDispatcher()
    got = asyncio.run(ActionRoute().run(dispatcher, tracker, domain))
    assert followup(got) != "eligibility_form"
