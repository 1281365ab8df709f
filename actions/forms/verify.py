"""The verification form: UAN, then date of birth, then the backend decides whether they match;
for a claim or a nominee change, then the code texted to the registered phone (forms.otp).

Every service that shows or changes a worker's records starts here. A refusal is counted like
a failed answer, so details turned down twice bring an officer rather than a loop. The refusal
never says whether the UAN exists (`not_verified` covers both).
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.backend_client import BackendClient, BackendError, BackendUnavailable
from actions.forms.answers import found_or_retry, requested
from actions.forms.base import FlowFormValidation
from actions.forms.failures import NOT_CONFIRMED, failure, success
from actions.forms.helper import SLOTS as HELPER_SLOTS
from actions.forms.helper import HelperStep, helper_ready, is_helper_flow
from actions.forms.otp import (
    CODE_NEEDED,
    LAST2,
    LEVEL,
    STATE,
    OtpStep,
    minutes_of,
    needs_code,
    offer_officer,
)
from actions.inputs import channel_of, find_date, find_uan, is_digression
from actions.texts import lang_of, say
from locales import format_date, spell_digits

logger = logging.getLogger(__name__)
# Flows whose first words after verification are the worker's own record: on a call that record
# is the proof the check passed, so "thank you, I have checked" (4 s of audio) is not said.
RECORD_FIRST = frozenset({"status", "renewal", "pension"})


class ValidateVerifyForm(HelperStep, OtpStep, FlowFormValidation):
    """UAN, then date of birth, then the backend decides whether they match; then the code.
    A helper acting for the worker first says who they are (forms.helper)."""

    def name(self) -> str:
        return "validate_verify_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        slots = [*domain_slots, "otp_code"] if needs_code(tracker) else domain_slots
        return [*HELPER_SLOTS, *slots] if is_helper_flow(tracker) else slots

    async def extract_uan(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        found = find_uan(tracker)
        pending = tracker.get_slot("pending_dob")
        if found and pending and requested(tracker) == "uan":
            # the worker gave their date of birth first: check both now, ask nothing again
            checked = await self._verify(dispatcher, tracker, found, str(pending))
            return {"uan": found, "pending_dob": None, **checked}
        # also while the date is asked: a correction, read back by the next prompt
        asked = requested(tracker) == "uan"
        return found_or_retry(
            dispatcher, tracker, "uan", found, "verify.uan_not_understood", asked=asked
        )

    async def extract_date_of_birth(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if requested(tracker) != "date_of_birth":
            return {}
        found = find_date(tracker)
        if found is None:
            if is_digression(tracker) or find_uan(tracker):
                return {}
            return failure(dispatcher, tracker, "date_of_birth", "verify.dob_not_understood")
        uan = tracker.slots.get("uan") or tracker.get_slot("uan")
        return await self._verify(dispatcher, tracker, str(uan), found.isoformat())

    async def _verify(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, uan: str, dob: str
    ) -> dict[str, Any]:
        lang = lang_of(tracker)
        client = BackendClient(tracker.sender_id)
        try:
            result = await client.verify(uan, dob, channel_of(tracker))
        except BackendUnavailable:  # counted: an office system down for good must not loop
            return failure(
                dispatcher,
                tracker,
                "date_of_birth",
                "error.backend_down_retry",
                handover_msgid="handoff.system_still_down",
            )
        except BackendError as error:
            return self._refused(dispatcher, tracker, error, uan, dob)
        name = result.first_name.get(lang) or result.first_name.get("en") or ""
        verified = {
            "date_of_birth": dob,
            "verification_token": result.token,
            "worker_name": name,
            LEVEL: result.level,
            STATE: None,
            "otp_code": None,
        }
        if result.otp_required and result.level != "strong":
            if not result.phone_last2:  # nowhere to text the code
                return offer_officer(dispatcher, tracker, "verify.no_registered_phone")
            verified |= {LEVEL: CODE_NEEDED, STATE: "sent", LAST2: result.phone_last2}
            if helper_ready(tracker):  # the consent replaces that code (forms.otp.send_code)
                verified |= {STATE: None}
        if channel_of(tracker) != "voice" or tracker.get_slot("flow") not in RECORD_FIRST:
            say(dispatcher, lang, "verify.ok", name=name)
        return success(verified)

    def _refused(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        error: BackendError,
        uan: str,
        dob: str,
    ) -> dict[str, Any]:
        lang = lang_of(tracker)
        spelled = spell_digits(uan, lang)
        if error.code in ("not_verified", "invalid_uan"):
            # the UAN is kept: the question that follows reads it out, so a wrong one is heard
            return failure(
                dispatcher,
                tracker,
                "date_of_birth",
                "verify.not_verified",
                handover_msgid=NOT_CONFIRMED,
                date=format_date(dob, lang),
                uan=spelled,
            )
        if error.code == "invalid_date":
            return failure(dispatcher, tracker, "date_of_birth", "verify.dob_not_understood")
        if error.code == "locked_out":
            offered = offer_officer(
                dispatcher, tracker, "verify.locked_officer", minutes=minutes_of(error)
            )
            return {**offered, "uan": None, "date_of_birth": None}
        logger.warning("verify refused with unexpected code %s", error.code)
        say(dispatcher, lang, "error.backend_down_retry")
        return {"date_of_birth": None}
