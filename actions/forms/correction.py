"""The correction form ("my record is wrong"): which detail, the texted code, the new value, then
a read-back with the documents the officer will need.

Why the code is asked here and not at verification: only once the detail is known is it clear
whether the code is needed. A phone number is corrected through an officer, never with a code
sent to the number being replaced (docs/contracts.md, "Corrections"); every other detail moves
money or rights and needs the code (forms.otp), on the phone line as in chat. The new value is
checked by the backend's own pure rules (api/domain/corrections.py) before it is read back.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.forms.answers import confirmation, escapes_free_text, free_text, requested
from actions.forms.base import FlowFormValidation
from actions.forms.failures import failure, success
from actions.forms.otp import OtpStep, needs_code, send_code
from actions.inputs import (
    find_date,
    find_number,
    first_entity,
    is_digression,
    message_text,
    pick_code,
)
from actions.texts import text
from api.domain.corrections import CORRECTION_FIELDS, CorrectionField, read_value
from api.domain.errors import DomainError
from api.domain.parsing import today_in_india
from locales import LOCALES

FIELD, VALUE, CONFIRMED = "correction_field", "correction_value", "correction_confirmed"
SHORT_NAME_WORDS = 4


def field_named(tracker: Tracker) -> str | None:
    """The detail chosen: its number, its label, or its label inside a sentence ("my date of
    birth")."""
    code = pick_code(tracker, FIELD, CORRECTION_FIELDS, FIELD)
    if code:
        return str(code)
    said = f" {message_text(tracker).casefold()} "
    for field in CORRECTION_FIELDS:
        for lang in LOCALES:
            if f" {text(f'{FIELD}.{field}', lang).casefold()} " in said:
                return str(field)
    return None


def _raw_value(tracker: Tracker, field: str) -> str | None:
    """The part of the message that is the new value, before the backend's rules read it."""
    said = " ".join(message_text(tracker).split())
    if field == CorrectionField.DATE_OF_BIRTH:
        found = find_date(tracker)
        return found.isoformat() if found else None
    if field == CorrectionField.BANK_ACCOUNT:
        return find_number(tracker)
    if field == CorrectionField.PHONE:
        return said if find_number(tracker) else None
    if field == CorrectionField.NAME:
        short = len(said.split()) <= SHORT_NAME_WORDS
        return said if short else (first_entity(tracker, "person_name") or said)
    return free_text(tracker)


class ValidateCorrectionForm(OtpStep, FlowFormValidation):
    def name(self) -> str:
        return "validate_correction_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        if not needs_code(tracker):
            return domain_slots
        return [FIELD, "otp_code", *[s for s in domain_slots if s != FIELD]]

    async def extract_correction_field(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if requested(tracker) != FIELD:
            return {}
        field = field_named(tracker)
        if field is None:
            if is_digression(tracker):
                return {}
            return failure(dispatcher, tracker, FIELD, "correction.field_not_understood")
        taken = success({FIELD: field})
        tracker.slots[FIELD] = field
        if needs_code(tracker, "correction"):  # the code goes out now; the next question asks it
            return {**taken, **await send_code(dispatcher, tracker)}
        return taken

    async def extract_correction_value(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if requested(tracker) != VALUE:
            return {}
        field = str(tracker.get_slot(FIELD) or "")
        words = field in (CorrectionField.NAME, CorrectionField.ADDRESS)
        if escapes_free_text(tracker) if words else is_digression(tracker):
            return {}
        raw = _raw_value(tracker, field)
        try:
            value = read_value(field, raw, today_in_india()) if raw else None
        except DomainError:
            value = None
        if value is None:
            return failure(dispatcher, tracker, VALUE, f"correction.bad_value.{field}")
        # a bank account keeps its digits only until it is sent (the store seals this slot)
        return success({VALUE: value.digits or value.text})

    async def extract_correction_confirmed(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return confirmation(dispatcher, tracker, CONFIRMED, corrected=False, second_chance=False)
