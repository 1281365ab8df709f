"""Answers misheard as a request for a service: counted like failed answers, never a silent loop.

A form rejects a message classified as a task intent and the rules send it to action_route.
Each turn here is what Rasa runs for one message: the form's validation (which rejects it or
takes the answer), then, when rejected, action_route. Slots carry over from turn to turn.
"""

from __future__ import annotations

from typing import Any

from actions.forms.verify import ValidateVerifyForm
from actions.routing.router import ActionRoute
from locales import translate
from tests.actions.conftest import followup, make_tracker, run, slot_values
from tests.factory import RINA

FORM = "verify_form"
AFTER_FAILURES = "I will connect you to an officer"
FORM_HELP = "Please answer the question below"


class Call:
    """One caller inside the verify form, with the slots Rasa would keep between messages."""

    def __init__(self, domain: dict[str, Any], **slots: Any) -> None:
        self.domain = domain
        self.slots: dict[str, Any] = {"flow": "status", "requested_slot": "uan", **slots}
        self.form: str | None = FORM

    def say(self, text: str, intent: str) -> tuple[list[dict], list[str]]:
        """The form first; action_route only when the form could not use the message."""
        tracker = make_tracker(text, intent=intent, slots=self.slots, form=self.form)
        events, said = run(ValidateVerifyForm(), tracker, self.domain)
        if not events and not said:
            tracker = make_tracker(text, intent=intent, slots=self.slots, form=self.form)
            events, said = run(ActionRoute(), tracker, self.domain)
        self.slots.update(slot_values(events))
        if any(e.get("event") == "active_loop" and e.get("name") is None for e in events):
            self.form = None
        if followup(events) == FORM:  # a service (re)started: the form asks its first question
            self.form = FORM
            self.slots["requested_slot"] = "date_of_birth" if self.slots.get("uan") else "uan"
        return events, said


def handed_over(events: list[dict]) -> bool:
    return (
        followup(events) == "action_handoff"
        and slot_values(events).get("handoff_reason") == "repeated_failure"
        and any(e.get("event") == "active_loop" and e.get("name") is None for e in events)
    )


def test_the_same_service_twice_instead_of_the_uan_hands_over(domain) -> None:
    call = Call(domain)
    events, said = call.say("check status one zero zero", "check_status")
    assert slot_values(events) == {"uan": None, "failed_step": "uan", "failed_attempts": 1}
    assert followup(events) is None  # the form asks for the UAN again
    assert FORM_HELP in said[0]

    events, said = call.say("status one zero zero zero", "check_status")
    assert handed_over(events)
    assert len(said) == 1 and AFTER_FAILURES in said[0]
    assert call.slots["failed_attempts"] == 0 and call.slots["failed_step"] is None


def test_a_miss_then_a_failed_answer_at_the_same_step_hands_over(domain) -> None:
    call = Call(domain)
    call.say("check status", "check_status")
    events, said = call.say("asdf qwer", "nlu_fallback")
    assert handed_over(events)
    assert len(said) == 1 and AFTER_FAILURES in said[0]  # no "say the UAN" while putting through


def test_a_miss_then_the_uan_is_taken_and_the_count_starts_again(backend, domain) -> None:
    call = Call(domain)
    call.say("check status", "check_status")
    events, said = call.say(RINA.uan, "inform")
    values = slot_values(events)
    assert values["uan"] == RINA.uan
    assert values["failed_step"] is None and values["failed_attempts"] == 0
    assert followup(events) is None and said == []

    call.slots["requested_slot"] = "date_of_birth"  # the form asks the next question
    events, _ = call.say("status please", "check_status")
    assert slot_values(events)["failed_attempts"] == 1  # a first miss at the new step
    assert not handed_over(events)


def test_help_repeat_and_language_mid_form_are_not_failures(domain) -> None:
    call = Call(domain, failed_step="uan", failed_attempts=1)
    for text, intent in [("help", "help"), ("again", "repeat"), ("hindi", "change_language")]:
        events, _ = call.say(text, intent)
        values = slot_values(events)
        assert "failed_attempts" not in values and "failed_step" not in values, intent
        assert followup(events) is None and call.form == FORM
    events, _ = call.say("check status", "check_status")  # the one earlier failure still counts
    assert handed_over(events)


def test_a_real_change_of_service_mid_form_still_works(domain) -> None:
    call = Call(domain, failed_step="uan", failed_attempts=1)
    events, said = call.say("I want to renew my card", "renew_registration")
    values = slot_values(events)
    assert values["flow"] == "renewal" and followup(events) == "verify_form"
    assert values["failed_step"] is None and values["failed_attempts"] == 0
    assert values["flow_switches"] == 1
    assert not handed_over(events) and AFTER_FAILURES not in " ".join(said)


def test_bouncing_between_services_without_an_answer_hands_over(domain) -> None:
    call = Call(domain)
    call.say("renew", "renew_registration")  # a change of mind: honoured
    assert call.slots["flow"] == "renewal"
    call.say("asdf", "nlu_fallback")  # a failed answer in between does not reset the guard
    events, said = call.say("check status", "check_status")
    assert handed_over(events)
    assert AFTER_FAILURES in said[0]
    assert call.slots["flow"] == "renewal" and call.slots["flow_switches"] == 0


def test_an_answer_between_two_changes_of_service_resets_the_guard(backend, domain) -> None:
    call = Call(domain)
    call.say("renew", "renew_registration")
    call.say(RINA.uan, "inform")
    assert call.slots["flow_switches"] == 0
    call.slots["requested_slot"] = "date_of_birth"
    events, _ = call.say("check status", "check_status")
    assert not handed_over(events) and slot_values(events)["flow"] == "status"


def test_a_service_started_outside_a_form_resets_the_guard(domain) -> None:
    tracker = make_tracker("renew", intent="renew_registration", slots={"flow_switches": 1})
    events, _ = run(ActionRoute(), tracker, domain)
    assert slot_values(events)["flow_switches"] == 0
    assert followup(events) == "verify_form"


def test_the_hand_over_is_said_in_the_callers_language(domain) -> None:
    call = Call(domain, language="bn", failed_step="uan", failed_attempts=1)
    events, said = call.say("আমার স্ট্যাটাস", "check_status")
    assert handed_over(events)
    assert said == [translate("handoff.after_failures", "bn")]
