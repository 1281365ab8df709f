"""Starting or switching a service, and the guards that keep a misheard answer from looping.

A request for the service already under way, said while its form waits for an answer, is a
missed answer; changes of service mid-form with no answer between are counted too. Either
reaching the limit hands the conversation to an officer.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.forms.failures import (
    FLOW_SWITCHES,
    HANDOFF_FLAG,
    count_failure,
    max_failed_attempts,
    officer_after_failures,
)
from actions.forms.nominee import said_with_request
from actions.forms.otp import SLOTS as OTP_SLOTS
from actions.forms.otp import needs_code
from actions.forms.selfservice import SELF_SERVICE, self_service_start
from actions.inputs import channel_of, claim_type_named, first_entity
from actions.routing.flow_state import EXPECTING, STRAYS, active_form, clear_flow, stop_form
from actions.routing.services import FLOW_SLOTS, FORM_OF_FLOW, NEEDS_VERIFICATION
from actions.texts import lang_of, say


def missed_answer(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """The service under way asked for while its form waits for an answer: a failed attempt.

    Why: it is not progress. An answer misheard as a request (a UAN read as "check my status")
    would otherwise have the form ask the same question for ever; counted like a failed answer
    (forms.failures.count_failure), the second miss at the same question brings an officer.
    """
    step = tracker.get_slot("requested_slot")
    if not step:
        return []  # nothing asked yet: the form asks its first question
    lang = lang_of(tracker)
    values = count_failure(tracker, step)
    events: list[EventType] = [SlotSet(k, v) for k, v in values.items() if k != HANDOFF_FLAG]
    if values.get(HANDOFF_FLAG):
        return [*events, *officer_now(dispatcher, tracker)]
    say(dispatcher, lang, "form.help")  # then the form asks its question again
    return events


def unanswered_switches(tracker: Tracker) -> int:
    """Services changed mid-form in a row, this change included, with no answer taken between.

    Why a guard: a change of mind is honoured and starts the new service's failure count afresh,
    so answers misheard as a different service each time (a UAN read as "renew", then as
    "status") would bounce between services for ever with no failure ever reaching two. An answer
    taken (forms.failures.success) or a service started outside a form puts the count back to 0.
    """
    if not active_form(tracker):
        return 0
    return int(tracker.get_slot(FLOW_SWITCHES) or 0) + 1


def officer_now(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """Say why, then close the form and hand over (both counters start again)."""
    say(dispatcher, lang_of(tracker), "handoff.after_failures")
    return [SlotSet(FLOW_SWITCHES, 0), *officer_after_failures()]


def forget_verification() -> list[EventType]:
    """A new identity check from the top (the worker's UAN, date of birth, then the code)."""
    slots = ("verification_token", "worker_name", "uan", "date_of_birth", "pending_dob")
    return [SlotSet(s, None) for s in (*slots, *OTP_SLOTS)]


def start_flow(
    flow: str, dispatcher: CollectingDispatcher, tracker: Tracker, *, quiet: bool = False
) -> list[EventType]:
    """Begin a service from the top; mid-form, the same service again is a missed answer.

    `quiet`: no introduction (the previous reply already led into this service).
    """
    lang = lang_of(tracker)
    current = tracker.get_slot("flow")
    if current == flow and active_form(tracker):
        return missed_answer(dispatcher, tracker)
    switches = unanswered_switches(tracker)
    if switches >= max_failed_attempts():
        return officer_now(dispatcher, tracker)
    seq = int(tracker.get_slot("submission_seq") or 0) + 1
    retry = current == flow  # same service again after a failure: keep the answers given
    events: list[EventType] = [
        *stop_form(tracker),
        *([] if retry else [*clear_flow(current), *clear_flow(flow)]),
        SlotSet("flow", flow),
        SlotSet("submission_seq", seq),
        SlotSet("awaiting_menu", False),
        SlotSet(FLOW_SWITCHES, switches),
        SlotSet(EXPECTING, None),
        SlotSet(STRAYS, 0),
    ]
    if flow == "register":
        say(dispatcher, lang, "register.guidance")
        say(dispatcher, lang, "common.anything_else")
        return [*events, SlotSet("flow", None), SlotSet("awaiting_menu", True)]
    if flow == "claim":
        claim_type = claim_type_named(tracker)
        if claim_type:
            events.append(SlotSet("claim_type", claim_type))
    if flow == "feedback":
        category = first_entity(tracker, "feedback_category")
        if category:
            events.append(SlotSet("feedback_category", category))
    if flow == "nominee":  # "make my wife Sunita Devi my nominee": kept through verification
        events += [SlotSet(slot, value) for slot, value in said_with_request(tracker).items()]
    if flow in SELF_SERVICE:
        events += self_service_start(flow, tracker)
    if flow == "helper":  # the helper's own check: an earlier one in this chat is not theirs
        say(dispatcher, lang, "helper.intro")
        return [*events, *forget_verification(), FollowupAction("verify_form")]
    if flow in NEEDS_VERIFICATION:
        if tracker.get_slot("verification_token"):
            if needs_code(tracker, flow):  # verified, but this change also needs the code
                return [*events, SlotSet("otp_state", None), FollowupAction("verify_form")]
            return [*events, FollowupAction("action_after_verify")]
        if channel_of(tracker) != "voice":  # a caller hears every word: the question is enough
            say(dispatcher, lang, "verify.intro")
        return [*events, FollowupAction("verify_form")]
    if (
        retry
        and flow == "eligibility"
        and all(tracker.get_slot(s) is not None for s in FLOW_SLOTS[flow])
    ):
        return [*events, FollowupAction("action_submit_eligibility")]
    if not quiet:
        say(dispatcher, lang, f"{flow}.intro")
    return [*events, FollowupAction(FORM_OF_FLOW[flow])]
