"""The service under way, kept in slots: the events that stop its form, clear or finish it, or
send it back to verification.

Shared by the router, action_after_verify and every submit action, so a service always ends
the same way (its answers cleared, the failure counts back to 0).
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.routing.services import FLOW_SLOTS
from actions.texts import say

# What the last reply invited when no form asks it: "eligibility_age" (a scheme answer ended
# "tell me your age"), "eligibility_start" ("shall I check whether you can join?").
EXPECTING = "expecting"
STRAYS = "stray_answers"  # answers in a row that fitted nothing (actions/routing/context.py)


def active_form(tracker: Tracker) -> str | None:
    return (tracker.active_loop or {}).get("name")


def stop_form(tracker: Tracker) -> list[EventType]:
    if active_form(tracker):
        return [SlotSet("requested_slot", None), ActiveLoop(None)]
    return []


def clear_flow(flow: str | None) -> list[EventType]:
    events: list[EventType] = [SlotSet(s, None) for s in FLOW_SLOTS.get(flow or "", ())]
    return [
        *events,
        SlotSet("denials", 0),
        SlotSet("failed_step", None),
        SlotSet("failed_attempts", 0),
    ]


def finish_flow(flow: str | None) -> list[EventType]:
    return [*clear_flow(flow), SlotSet("flow", None)]


def token_expired(dispatcher: CollectingDispatcher, lang: str) -> list[EventType]:
    """The backend no longer accepts the verification: ask for it again, keeping the service."""
    say(dispatcher, lang, "verify.expired")
    return [
        SlotSet("verification_token", None),
        SlotSet("verification_level", None),
        SlotSet("otp_code", None),
        SlotSet("otp_state", None),
        SlotSet("date_of_birth", None),
        FollowupAction("verify_form"),
    ]
