"""Counting failed answers: the one place that decides when a form gives up and calls an officer.

A failed answer (`failure`) and, from the router, a request for the service already under way
said instead of an answer (routing.start.missed_answer) both count here; the second at the same
step sets HANDOFF_FLAG, which the form base (forms.base) turns into a hand-over.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.texts import lang_of, say
from api.settings import get_settings

HANDOFF_FLAG = "handoff_requested"
# Set by a form whose answers so far already decide the outcome: the form ends early and its
# completion action gives the answer (e.g. an age over 40 for PM-SYM).
DECIDED_FLAG = "form_decided"
# Said on hand-over when the backend, not the recogniser, turned the answers down twice.
NOT_CONFIRMED = "handoff.details_not_confirmed"
# Services changed mid-form since the last answer taken (see routing.start.start_flow).
FLOW_SWITCHES = "flow_switches"


def max_failed_attempts() -> int:
    """Failed answers at one step before an officer: one setting for every channel (the phone
    line offers the officer at the same count)."""
    return get_settings().max_failed_answers


def count_failure(tracker: Tracker, step: str) -> dict[str, Any]:
    """Slot values after one more failed attempt at `step`; the second sets HANDOFF_FLAG.

    The one place attempts are counted: a failed answer (`failure`) and, from action_route, a
    request for the service already under way said instead of an answer
    (routing.start.missed_answer).
    """
    previous = tracker.get_slot("failed_attempts") or 0
    attempts = int(previous) + 1 if tracker.get_slot("failed_step") == step else 1
    if attempts >= max_failed_attempts():
        return {step: None, "failed_step": None, "failed_attempts": 0, HANDOFF_FLAG: True}
    return {step: None, "failed_step": step, "failed_attempts": attempts}


def failure(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    step: str,
    msgid: str,
    *,
    handover_msgid: str = "handoff.after_failures",
    **params: Any,
) -> dict[str, Any]:
    """Say why the answer was not taken; the second failure at the same step calls an officer.

    On that second failure only `handover_msgid` is said: the step's own message ends by asking
    for the answer again, which a caller would try to give while being put through.
    """
    lang = lang_of(tracker)
    values = count_failure(tracker, step)
    if values.get(HANDOFF_FLAG):
        say(dispatcher, lang, handover_msgid)
    else:
        say(dispatcher, lang, msgid, **params)
    return values


def success(values: dict[str, Any]) -> dict[str, Any]:
    """An answer was taken: the failure count and the count of unanswered switches start again."""
    return {**values, "failed_step": None, "failed_attempts": 0, FLOW_SWITCHES: 0}


def officer_after_failures() -> list[EventType]:
    """Close the form and open an officer ticket (after repeated failure, never a silent loop)."""
    return [
        SlotSet("handoff_reason", "repeated_failure"),
        SlotSet("requested_slot", None),
        ActiveLoop(None),
        FollowupAction("action_handoff"),
    ]
