"""The self-service forms: the reference of a request to track, and a lost UAN's phone number
and date of birth.

A reference is read from the raw message (`api.domain.references.normalise_reference`: any digit
script, spoken digits, lowercase, with or without prefix and year), so no NLU entity is needed.
The phone for a lost UAN defaults to the number the worker writes from (SMS, WhatsApp) or calls
from (the phone line), offered for a yes; the UAN itself is only ever texted to the registered
phone by the backend.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.forms.answers import requested
from actions.forms.base import FlowFormValidation
from actions.forms.failures import failure, success
from actions.inputs import (
    find_date,
    intent_of,
    is_digression,
    message_text,
    metadata,
    yes_no,
)
from api.domain.digits import digits_only
from api.domain.phones import normalise_phone
from api.domain.references import ReferenceQuery, names_reference, normalise_reference

REFERENCE_SLOT = "track_reference"
PHONE_SLOT = "lost_uan_phone"
DOB_SLOT = "lost_uan_dob"
OWN_PHONE_SLOT = "lost_uan_own"  # the sender's own number, offered for a yes (or None)
TEXT_CHANNELS = ("sms", "whatsapp")


def reference_text(query: ReferenceQuery) -> str:
    """What the slot keeps: as much of the reference as was given ("CLM-2026-000123",
    "2026-000123", "000123"), in a form the backend reads back the same way."""
    parts = [query.prefix or "", f"{query.year:04d}" if query.year else "", f"{query.number:06d}"]
    return "-".join(p for p in parts if p)


def reference_in(tracker: Tracker) -> str | None:
    query = normalise_reference(message_text(tracker))
    return reference_text(query) if query else None


def own_number(tracker: Tracker) -> str | None:
    """The number an SMS/WhatsApp message or a call comes from (the gateway's metadata
    `caller_phone`, Twilio's `From`; the conversation id holds only a pseudonym of it), else
    None. It is only offered as the registered phone to check: it proves nothing, and the UAN
    is only ever texted to the registered phone."""
    channel = tracker.sender_id.partition(":")[0]
    if channel in (*TEXT_CHANNELS, "voice"):
        return normalise_phone(str(metadata(tracker).get("caller_phone") or ""))
    return None


SELF_SERVICE = frozenset({"track", "lost_uan"})
# Intents whose message, when it names a reference, asks about that one request; any intent
# counts if the reference has its prefix (CLM-...) and the message is an answer or unclear.
TRACKING_INTENTS = frozenset({"check_status"})
LOOSE_INTENTS = frozenset({"inform", "affirm", "correct", "out_of_scope", "nlu_fallback"})


def asks_about_reference(tracker: Tracker, intent: str) -> bool:
    """ "What happened to CLM-2026-000123?", "000123 ka kya hua", or the keypad's track key."""
    if metadata(tracker).get("menu_choice") == "track":
        return True
    text = message_text(tracker)
    if intent in TRACKING_INTENTS:
        return names_reference(text)
    return intent in LOOSE_INTENTS and names_reference(text, prefixed=True)


def self_service_start(flow: str, tracker: Tracker) -> list[EventType]:
    """What the request itself already says: the reference ("what happened to 000123?"), or
    the number a text conversation comes from, offered as the registered phone."""
    if flow == "track":
        found = reference_in(tracker)
        return [SlotSet(REFERENCE_SLOT, found)] if found else []
    return [SlotSet(OWN_PHONE_SLOT, own_number(tracker))]


class ValidateTrackForm(FlowFormValidation):
    def name(self) -> str:
        return "validate_track_form"

    async def extract_track_reference(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if requested(tracker) != REFERENCE_SLOT:
            return {}
        found = reference_in(tracker)
        if found:
            return success({REFERENCE_SLOT: found})
        if is_digression(tracker) and intent_of(tracker) != "check_status":
            return {}
        return failure(dispatcher, tracker, REFERENCE_SLOT, "track.not_understood")


class ValidateLostUanForm(FlowFormValidation):
    def name(self) -> str:
        return "validate_lost_uan_form"

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Also keep the offer of the sender's own number being turned down."""
        events = await super().get_validation_events(dispatcher, tracker, domain)
        slots = tracker.slots_to_validate()
        if OWN_PHONE_SLOT in slots:
            events.append(SlotSet(OWN_PHONE_SLOT, slots[OWN_PHONE_SLOT]))
        return events

    async def extract_lost_uan_phone(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if requested(tracker) != PHONE_SLOT:
            return {}
        text = message_text(tracker)
        typed = normalise_phone(text) if len(digits_only(text)) >= 10 else None
        if typed:
            return success({PHONE_SLOT: typed})
        own = tracker.get_slot(OWN_PHONE_SLOT)
        if own:
            answer = yes_no(tracker)
            if answer is True:
                return success({PHONE_SLOT: own})
            if answer is False:  # not this number: the next question asks for the registered one
                return {PHONE_SLOT: None, OWN_PHONE_SLOT: None}
        if is_digression(tracker) and intent_of(tracker) != "lost_uan":
            return {}
        return failure(dispatcher, tracker, PHONE_SLOT, "lost_uan.phone_not_understood")

    async def extract_lost_uan_dob(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if requested(tracker) != DOB_SLOT:
            return {}
        found = find_date(tracker)
        if found:
            return success({DOB_SLOT: found.isoformat()})
        if is_digression(tracker):
            return {}
        return failure(dispatcher, tracker, DOB_SLOT, "lost_uan.dob_not_understood")
