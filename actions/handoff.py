"""Hand the conversation to an officer, then stay quiet and relay the officer's replies.

Why: once a person has taken over, an assistant that keeps answering confuses the worker. While
`handoff_active` is set every message goes to `relay_officer_replies`, which only passes on
what the officer wrote and notices when the ticket is closed.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import expect
from actions.backend_client import (
    BackendClient,
    BackendError,
    BackendUnavailable,
    HandoffState,
)
from actions.inputs import channel_of, metadata
from actions.texts import lang_of, say, say_menu, yes_no_buttons
from api.language.waiting import wants_to_stop_waiting
from api.settings import get_settings
from locales import format_number, language_of, localise_digits

logger = logging.getLogger(__name__)
# Metadata flag of the web chat page (api/web/routes/webchat.py): it shows officer replies itself.
LIVE_REPLIES = "live_replies"

MAX_TRANSCRIPT = 60


def _iso(timestamp: Any) -> str:
    try:
        return dt.datetime.fromtimestamp(float(timestamp), tz=dt.UTC).isoformat()
    except (TypeError, ValueError):
        return dt.datetime.now(tz=dt.UTC).isoformat()


def transcript(tracker: Tracker) -> list[dict[str, str]]:
    """What was said so far (user and bot texts), oldest first, the last MAX_TRANSCRIPT lines."""
    lines = []
    for event in tracker.events:
        kind = event.get("event")
        text = event.get("text")
        if kind in ("user", "bot") and text:
            lines.append({"sender": kind, "text": str(text), "at": _iso(event.get("timestamp"))})
    return lines[-MAX_TRANSCRIPT:]


class ActionHandoff(Action):
    """Open (or re-find) the officer ticket for this conversation."""

    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang = lang_of(tracker)
        events: list[EventType] = []
        if (tracker.active_loop or {}).get("name"):
            events += [SlotSet("requested_slot", None), ActiveLoop(None)]
        client = BackendClient(tracker.sender_id)
        try:
            ticket = await client.open_handoff(
                channel=channel_of(tracker),
                language=language_of(lang),
                reason=tracker.get_slot("handoff_reason") or "asked",
                transcript=transcript(tracker),
                verification_token=tracker.get_slot("verification_token"),
            )
        except (BackendUnavailable, BackendError) as error:
            logger.warning("hand-over failed: %s", error)
            say(dispatcher, lang, "handoff.failed")
            return events
        minutes = format_number(max(1, ticket.wait_minutes), lang)
        msgid = "handoff.opened" if ticket.officer_available else "handoff.opened_queue"
        say(dispatcher, lang, msgid, reference=ticket.reference, minutes=minutes)
        if not ticket.officer_available:  # when the office opens, not a wait nobody will keep
            start, end = office_hours(lang)
            say(dispatcher, lang, "handoff.office_hours", start=start, end=end)
        say(dispatcher, lang, "handoff.meanwhile")  # the assistant keeps serving while they wait
        offer: list[EventType] = []
        has_number = channel_of(tracker) in ("sms", "whatsapp")
        if not ticket.officer_available and (has_number or tracker.get_slot("verification_token")):
            yes, no = (b["payload"] for b in yes_no_buttons(lang))
            say(dispatcher, lang, "handoff.offer_callback", custom=expect.yes_no(yes, no))
            offer = [SlotSet("expecting", "callback")]
        return [
            *offer,
            *events,
            SlotSet("handoff_active", True),
            SlotSet("handoff_reference", ticket.reference),
            SlotSet("relayed_replies", 0),
            SlotSet("awaiting_menu", False),
        ]


def office_hours(lang: str) -> tuple[str, str]:
    """The officers' hours (OFFICE_HOURS), start and end, in the worker's digits."""
    start, _, end = get_settings().office_hours.partition("-")
    return localise_digits(start.strip(), lang), localise_digits(end.strip(), lang)


async def relay_officer_replies(
    dispatcher: CollectingDispatcher, tracker: Tracker
) -> tuple[list[EventType], HandoffState | None]:
    """File the worker's message on the ticket and pass on new officer replies; the ticket's
    state tells the router whether an officer has it (stay quiet) or it still waits (serve)."""
    lang = lang_of(tracker)
    client = BackendClient(tracker.sender_id)
    said = str(tracker.latest_message.get("text") or "")
    withdraw = wants_to_stop_waiting(said, nine_answers=nine_answers_a_question(tracker))
    try:
        state = await client.relay_handoff(said, withdraw=withdraw)
    except (BackendUnavailable, BackendError) as error:
        logger.warning("could not check the hand-over: %s", error)
        return [], None  # stay quiet; the officer still has the ticket
    already = int(tracker.get_slot("relayed_replies") or 0)
    new_replies = state.replies[already:]
    # SMS and WhatsApp workers already got each reply as a message from the backend's outbox;
    # the web chat page shows replies as they come (it polls) and says so in the metadata.
    delivered_elsewhere = channel_of(tracker) in ("sms", "whatsapp") or bool(
        metadata(tracker).get(LIVE_REPLIES)
    )
    for reply in new_replies:
        if reply.get("text") and not delivered_elsewhere:
            dispatcher.utter_message(text=str(reply["text"]))
    events: list[EventType] = [SlotSet("relayed_replies", already + len(new_replies))]
    if not state.active:
        say(dispatcher, lang, "handoff.withdrawn" if withdraw else "handoff.closed")
        say_menu(dispatcher, lang)
        events += [
            SlotSet("handoff_active", False),
            SlotSet("handoff_reference", None),
            SlotSet("relayed_replies", 0),
            SlotSet("awaiting_menu", True),
        ]
    return events, state


def nine_answers_a_question(tracker: Tracker) -> bool:
    """A form's question or the numbered text menu (whose 9 is "talk to an officer") is on
    screen: a bare 9 is its answer there, not "stop waiting"."""
    in_form = bool((tracker.active_loop or {}).get("name"))
    return in_form or bool(tracker.get_slot("awaiting_menu"))
