"""The family form: a nominee or family member files for a worker who died.

The worker's own check (a code to the worker's phone) cannot serve a dead worker, so this form
asks the worker's UAN and date of birth, a phone number in web chat (elsewhere the code goes to
the number the conversation comes from), the nominee's name as registered; the backend checks
them (POST /family/verify) and texts a code to the caller; then the claim: which one (the
backend's list), the date of death, the last 4 digits of the nominee's account, a read-back.
The family session is kept in its own slots (`family_token`), never in the worker's.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import expect
from actions.backend_client import BackendError, BackendUnavailable
from actions.family_client import FamilyClient
from actions.forms.answers import confirmation, found_or_retry, requested
from actions.forms.base import FlowFormValidation
from actions.forms.failures import DECIDED_FLAG, NOT_CONFIRMED, failure, success
from actions.forms.otp import minutes_of, offer_officer
from actions.inputs import (
    channel_of,
    find_date,
    find_last4,
    find_otp,
    find_uan,
    is_digression,
    message_text,
    number_choice,
    pick_code,
)
from actions.routing.flow_state import EXPECTING
from actions.texts import lang_of, say, yes_no_buttons
from api.domain.family import FAMILY_CLAIM_TYPES, family_claim_in
from api.domain.phones import normalise_phone

TOKEN, LEVEL, TYPES, LAST2 = "family_token", "family_level", "family_types", "family_last2"
NOMINEE, PHONE, TYPE, CONFIRMED = (
    "family_nominee",
    "family_phone",
    "family_claim_type",
    "family_confirmed",
)
SHORT_NAME_WORDS = 4
# keys pressed where a name is asked (any digit script, # or *): the caller is on the keypad
KEYED = re.compile(r"[\d#*\s]+")


def asks_phone(tracker: Tracker) -> bool:
    """Web chat has no number of its own: the code goes to one the family member types."""
    return channel_of(tracker) == "web"


def offer_call_back(dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
    """A caller on keys cannot give the nominee's name: an officer phones back instead of a
    dead end (yes -> a call-back case for this number, routing.context); the form ends."""
    lang = lang_of(tracker)
    yes, no = (b["payload"] for b in yes_no_buttons(lang))
    say(dispatcher, lang, "family.callback_offer", custom=expect.yes_no(yes, no))
    return {DECIDED_FLAG: True, EXPECTING: "callback"}


class ValidateFamilyForm(FlowFormValidation):
    def name(self) -> str:
        return "validate_family_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        who = ["uan", "date_of_birth", *([PHONE] if asks_phone(tracker) else []), NOMINEE]
        code = (
            ["otp_code"] if tracker.get_slot(TOKEN) and tracker.get_slot(LEVEL) != "strong" else []
        )
        return [*who, *code, TYPE, "incident_date", "bank_last4", CONFIRMED]

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """The family session's slots are no questions of the form: kept beside its answers."""
        events = await super().get_validation_events(dispatcher, tracker, domain)
        slots = tracker.slots_to_validate()
        own = {TOKEN, LEVEL, TYPES, LAST2, PHONE, "otp_code", "uan", "date_of_birth"}
        kept = {e.get("name") for e in events}
        return [*events, *(SlotSet(k, v) for k, v in slots.items() if k in own - kept)]

    async def extract_uan(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if requested(tracker) != "uan":
            return {}
        return found_or_retry(
            dispatcher, tracker, "uan", find_uan(tracker), "verify.uan_not_understood"
        )

    async def extract_date_of_birth(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if requested(tracker) != "date_of_birth":
            return {}
        found = find_date(tracker)
        day = found.isoformat() if found else None
        return found_or_retry(
            dispatcher, tracker, "date_of_birth", day, "verify.dob_not_understood"
        )

    async def extract_family_phone(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if requested(tracker) != PHONE:
            return {}
        number = normalise_phone(message_text(tracker))
        return found_or_retry(dispatcher, tracker, PHONE, number, "family.phone_not_understood")

    async def extract_family_nominee(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if requested(tracker) != NOMINEE or is_digression(tracker):
            return {}
        name = " ".join(message_text(tracker).split())[:120]
        if channel_of(tracker) == "voice" and KEYED.fullmatch(name):
            return offer_call_back(dispatcher, tracker)  # keys cannot spell a name
        if len(name) < 2 or any(ch.isdigit() for ch in name):
            return failure(dispatcher, tracker, NOMINEE, "family.name_not_understood")
        return await self._verify(dispatcher, tracker, name)

    async def _verify(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, name: str
    ) -> dict[str, Any]:
        lang = lang_of(tracker)
        client = FamilyClient(tracker.sender_id)
        try:
            result = await client.verify_family(
                str(tracker.get_slot("uan")),
                str(tracker.get_slot("date_of_birth")),
                name,
                tracker.get_slot(PHONE),
                channel_of(tracker),
                lang,
            )
        except BackendUnavailable:
            return failure(
                dispatcher,
                tracker,
                NOMINEE,
                "error.backend_down_retry",
                handover_msgid="handoff.system_still_down",
            )
        except BackendError as error:
            return self._refused(dispatcher, tracker, error)
        types = [str(t) for t in result.get("claim_types") or []]
        chosen = tracker.get_slot(TYPE)
        return success(
            {
                NOMINEE: name,
                TOKEN: result["verification_token"],
                LEVEL: result.get("level") or "basic",
                TYPES: types,
                LAST2: result.get("phone_last2") or "",
                TYPE: chosen if chosen in types else None,
                "otp_code": None,
            }
        )

    def _refused(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, error: BackendError
    ) -> dict[str, Any]:
        if error.code == "locked_out":
            offered = offer_officer(
                dispatcher, tracker, "verify.locked_officer", minutes=minutes_of(error)
            )
            return {**offered, "uan": None, "date_of_birth": None, NOMINEE: None}
        if error.code == "invalid_input" and error.detail.get("field") == "phone":
            return {
                **failure(dispatcher, tracker, PHONE, "family.phone_not_understood"),
                NOMINEE: None,
            }
        # a wrong UAN, date or name: one answer, and all three are asked again
        refused = failure(
            dispatcher, tracker, NOMINEE, "family.not_verified", handover_msgid=NOT_CONFIRMED
        )
        return {**refused, "uan": None, "date_of_birth": None}

    async def extract_otp_code(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        token = tracker.get_slot(TOKEN)
        if requested(tracker) != "otp_code" or not token:
            return {}
        code = find_otp(tracker)
        if code is None:
            if is_digression(tracker):
                return {}
            return failure(dispatcher, tracker, "otp_code", "verify.otp_not_understood")
        client = FamilyClient(tracker.sender_id)
        try:
            level = await client.check_otp(str(token), code)
        except BackendUnavailable:
            return failure(dispatcher, tracker, "otp_code", "error.backend_down_retry")
        except BackendError as error:
            if error.code == "wrong_otp":
                return failure(
                    dispatcher,
                    tracker,
                    "otp_code",
                    "verify.wrong_otp",
                    handover_msgid=NOT_CONFIRMED,
                )
            if error.code == "otp_expired":  # a new code, and the question asks for it
                try:
                    await client.send_otp(str(token))
                except (BackendError, BackendUnavailable):
                    return offer_officer(dispatcher, tracker, "family.code_failed")
                return {"otp_code": None}
            return offer_officer(
                dispatcher, tracker, "verify.locked_officer", minutes=minutes_of(error)
            )
        return success({"otp_code": "checked", LEVEL: level})

    async def extract_family_claim_type(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if requested(tracker) != TYPE:
            return {}
        options = tuple(str(t) for t in tracker.get_slot(TYPES) or FAMILY_CLAIM_TYPES)
        choice = number_choice(tracker, len(options))
        code = (
            options[choice - 1]
            if choice
            else pick_code(tracker, "claim_type", options, "claim_type")
        )
        code = code or family_claim_in(message_text(tracker))
        if code in options:
            return success({TYPE: code})
        if is_digression(tracker):
            return {}
        return failure(dispatcher, tracker, TYPE, "family.type_not_understood")

    async def extract_incident_date(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if requested(tracker) != "incident_date":
            return {}
        found = find_date(tracker)
        day = found.isoformat() if found else None
        return found_or_retry(
            dispatcher, tracker, "incident_date", day, "family.date_not_understood"
        )

    async def extract_bank_last4(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if requested(tracker) != "bank_last4":
            return {}
        return found_or_retry(
            dispatcher, tracker, "bank_last4", find_last4(tracker), "family.last4_not_understood"
        )

    async def extract_family_confirmed(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return confirmation(dispatcher, tracker, CONFIRMED, corrected=False, second_chance=False)
