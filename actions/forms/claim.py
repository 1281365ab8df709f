"""The claim form: type, date of the incident, what happened, bank account last four, read-back.

While the read-back is asked, a message with a date, four digits or a claim type is a
correction ("no, the date is ..."): the field is taken again and the read-back repeated.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.forms.answers import (
    CORRECTION_INTENTS,
    confirmation,
    escapes_free_text,
    found_or_retry,
    free_text,
    requested,
    told_more,
)
from actions.forms.base import FlowFormValidation
from actions.forms.failures import failure, success
from actions.inputs import (
    entity_values,
    find_date,
    find_last4,
    first_entity,
    intent_of,
    is_digression,
    message_text,
    pick_code,
)
from actions.texts import lang_of, say
from api.domain.accidents import ACCIDENT, accident_outcome
from api.domain.claim_words import claim_type_in
from api.domain.codes import CLAIM_TYPES
from api.domain.family import FAMILY_CLAIM_TYPES
from locales import translate

# "1" at the account-of-the-incident step: an officer phones for the details instead.
OFFICER_TAKES_DETAILS = frozenset({"1", "১", "१"})
# The membership, asked only when the backend answered scheme_required with these options.
SCHEME, SCHEME_OPTIONS = "claim_scheme", "claim_scheme_options"
DESCRIPTION = "incident_description"


def _claim_correction(tracker: Tracker) -> bool:
    return requested(tracker) == "claim_confirmed" and intent_of(tracker) in CORRECTION_INTENTS


class ValidateClaimForm(FlowFormValidation):
    def name(self) -> str:
        return "validate_claim_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """The scheme is asked only after the backend said the worker must choose one; a claim
        the family files ends the form at once (action_submit_claim starts the family flow)."""
        if tracker.get_slot("claim_type") in FAMILY_CLAIM_TYPES:
            return ["claim_type"]
        return [*domain_slots, SCHEME] if tracker.get_slot(SCHEME_OPTIONS) else domain_slots

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """The scheme is no slot of the form in the domain: kept here beside the others."""
        events = await super().get_validation_events(dispatcher, tracker, domain)
        slots = tracker.slots_to_validate()
        return [*events, *([SlotSet(SCHEME, slots[SCHEME])] if SCHEME in slots else [])]

    async def extract_claim_scheme(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if requested(tracker) != SCHEME:
            return {}
        options = tuple(str(o) for o in tracker.get_slot(SCHEME_OPTIONS) or ())
        code = pick_code(tracker, "scheme", options, "scheme")
        if code:
            return success({SCHEME: code})
        if is_digression(tracker):
            return {}
        return failure(dispatcher, tracker, SCHEME, "claim.scheme_not_understood")

    async def extract_claim_type(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        asked = requested(tracker) == "claim_type"
        if not asked and not (_claim_correction(tracker) and first_entity(tracker, "claim_type")):
            return {}
        code = pick_code(tracker, "claim_type", CLAIM_TYPES, "claim_type")
        if code:
            return success({"claim_type": code})
        if ACCIDENT in entity_values(tracker, "claim_type"):
            code = accident_outcome(message_text(tracker))
            if code:
                return success({"claim_type": code})
            # Not a failed answer: the worker named the accident, the list asks what it led to.
            say(dispatcher, lang_of(tracker), "claim.accident_which")
            return {"claim_type": None}
        named = claim_type_in(message_text(tracker)) if asked else None
        if named:  # the worker's own words ("চিকিৎসার খরচ"), not the list's label
            return success({"claim_type": named})
        if asked and not is_digression(tracker):
            return failure(dispatcher, tracker, "claim_type", "claim.type_not_understood")
        return {}

    async def extract_incident_date(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        asked = requested(tracker) == "incident_date"
        if not asked and not _claim_correction(tracker):
            return {}
        found = find_date(tracker)
        day = found.isoformat() if found else None
        return found_or_retry(
            dispatcher, tracker, "incident_date", day, "claim.date_not_understood", asked=asked
        )

    async def extract_incident_description(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if requested(tracker) != "incident_description":
            return {}
        if escapes_free_text(tracker):
            return {}
        text = free_text(tracker)
        raw = str(tracker.latest_message.get("text") or "").strip()
        if raw in OFFICER_TAKES_DETAILS:  # keypad callers cannot type an account of it
            text = translate("claim.description_by_officer", lang_of(tracker))
        if text is None:
            return failure(dispatcher, tracker, "incident_description", "claim.describe_more")
        return success({"incident_description": text})

    async def extract_bank_last4(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        asked = requested(tracker) == "bank_last4"
        if not asked and not _claim_correction(tracker):
            return {}
        found = find_last4(tracker)
        return found_or_retry(
            dispatcher, tracker, "bank_last4", found, "claim.last4_not_understood", asked=asked
        )

    async def extract_claim_confirmed(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        corrected = _claim_correction(tracker) and bool(
            find_date(tracker) or find_last4(tracker) or first_entity(tracker, "claim_type")
        )
        added = None if corrected else told_more(tracker, "claim_confirmed", DESCRIPTION)
        if added is not None:  # "I was in hospital for 3 days too": part of what happened
            return added
        return confirmation(
            dispatcher, tracker, "claim_confirmed", corrected=corrected, second_chance=True
        )
