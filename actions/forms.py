"""Form validation actions: take each answer from the worker's message, read it back, re-ask.

Slots of a form use `type: custom` mappings with an `active_loop` condition, so every value is
taken here by an `extract_<slot>` method that looks at the message only when it is the answer
to the question just asked (or an explicit correction while confirming). A message that is
clearly something else (help, talk to a person, another service) is left alone: the form then
rejects and the rules route it. An answer that cannot be understood counts as a failed attempt,
and so does a request for the service already under way (counted by action_route: a misheard
answer is often classified as one); two at the same step hand the conversation to an officer.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.backend_client import BackendClient, BackendError, BackendUnavailable
from actions.inputs import (
    find_age,
    find_amount,
    find_date,
    find_last4,
    find_uan,
    first_entity,
    intent_of,
    is_digression,
    message_text,
    pick_code,
    yes_no,
)
from actions.texts import lang_of, say
from api.domain.claims import CLAIM_TYPES
from locales import format_date, spell_digits, translate

logger = logging.getLogger(__name__)

# "1" at the account-of-the-incident step: an officer phones for the details instead.
OFFICER_TAKES_DETAILS = frozenset({"1", "১", "१"})

RELATIONS = ("husband", "wife", "son", "daughter", "mother", "father", "brother", "sister", "other")
FEEDBACK_CATEGORIES = ("complaint", "suggestion", "bribery", "no_response", "other")
CORRECTION_INTENTS = frozenset({"correct", "inform"})
MAX_FREE_TEXT = 500
HANDOFF_FLAG = "handoff_requested"
MAX_FAILED_ATTEMPTS = 2
# Said on hand-over when the backend, not the recogniser, turned the answers down twice.
NOT_CONFIRMED = "handoff.details_not_confirmed"
# Services changed mid-form since the last answer taken (see flows.start_flow).
FLOW_SWITCHES = "flow_switches"


# While a free-text answer is asked for (what happened, a complaint), only these intents mean
# "not an answer": a description of an accident is easily classified as `file_claim`.
# A confident one, since a description can look like anything to the classifier.
FREE_TEXT_ESCAPES = frozenset({"talk_to_human", "change_language", "repeat"})
ESCAPE_CONFIDENCE = 0.8


def escapes_free_text(tracker: Tracker) -> bool:
    intent = tracker.latest_message.get("intent") or {}
    confident = float(intent.get("confidence") or 0.0) >= ESCAPE_CONFIDENCE
    return intent.get("name") in FREE_TEXT_ESCAPES and confident


def free_text(tracker: Tracker) -> str | None:
    """The message as a free-text answer, or None when it is too short to be one."""
    text = " ".join(message_text(tracker).split())
    if len(text.split()) < 2 and len(text) < 8:
        return None
    return text[:MAX_FREE_TEXT]


def requested(tracker: Tracker) -> str | None:
    return tracker.get_slot("requested_slot")


def count_failure(tracker: Tracker, step: str) -> dict[str, Any]:
    """Slot values after one more failed attempt at `step`; the second sets HANDOFF_FLAG.

    The one place attempts are counted: a failed answer (`failure`) and, from action_route, a
    request for the service already under way said instead of an answer (flows.missed_answer).
    """
    previous = tracker.get_slot("failed_attempts") or 0
    attempts = int(previous) + 1 if tracker.get_slot("failed_step") == step else 1
    if attempts >= MAX_FAILED_ATTEMPTS:
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


def confirmation(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    slot: str,
    *,
    corrected: bool,
    second_chance: bool,
) -> dict[str, Any]:
    """yes -> True; no -> ask what to change (or cancel: False); a correction -> ask again."""
    if requested(tracker) != slot or is_digression(tracker):
        return {}
    answer = yes_no(tracker)
    lang = lang_of(tracker)
    if answer is True and not corrected:
        return success({slot: True, "denials": 0})
    if answer is False and not corrected:
        if second_chance and not tracker.get_slot("denials"):
            say(dispatcher, lang, "confirm.what_to_change")
            return {slot: None, "denials": 1}
        return success({slot: False, "denials": 0})
    if corrected:
        return {}
    return failure(dispatcher, tracker, slot, "confirm.say_yes_no")


class FlowFormValidation(FormValidationAction, ABC):
    """Shared behaviour: silent pass-through validation and the automatic hand-over."""

    @abstractmethod
    def name(self) -> str: ...

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events = await super().run(dispatcher, tracker, domain)
        wants_officer = any(
            e.get("event") == "slot" and e.get("name") == HANDOFF_FLAG and e.get("value")
            for e in events
        )
        if wants_officer:
            events = [e for e in events if e.get("name") != "requested_slot"]
            events += [SlotSet(HANDOFF_FLAG, False), *officer_after_failures()]
        return events

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Values were checked while extracting; keep them (and our bookkeeping slots)."""
        slots = tracker.slots_to_validate()
        form_slots = set(self.domain_slots(domain))
        keep = form_slots | {"failed_step", "failed_attempts", "denials", HANDOFF_FLAG}
        keep |= {FLOW_SWITCHES, "verification_token", "worker_name"}
        return [SlotSet(k, v) for k, v in slots.items() if k in keep]


# ------------------------------------------------------------------------------------ verify
class ValidateVerifyForm(FlowFormValidation):
    """UAN, then date of birth, then the backend decides whether they match."""

    def name(self) -> str:
        return "validate_verify_form"

    async def extract_uan(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        found = find_uan(tracker)
        if found:  # also while the date is asked: a correction, read back by the next prompt
            return success({"uan": found})
        if requested(tracker) == "uan" and not is_digression(tracker):
            return failure(dispatcher, tracker, "uan", "verify.uan_not_understood")
        return {}

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
        from actions.inputs import channel_of

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
        if result.otp_required:
            say(dispatcher, lang, "verify.otp_not_supported")
            return {"date_of_birth": None, HANDOFF_FLAG: True}
        name = result.first_name.get(lang) or result.first_name.get("en") or ""
        say(dispatcher, lang, "verify.ok", name=name)
        return success(
            {"date_of_birth": dob, "verification_token": result.token, "worker_name": name}
        )

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
        if error.code == "wrong_date_of_birth":
            return failure(
                dispatcher,
                tracker,
                "date_of_birth",
                "verify.wrong_dob",
                handover_msgid=NOT_CONFIRMED,
                date=format_date(dob, lang),
                uan=spelled,
            )
        if error.code in ("unknown_worker", "invalid_uan"):
            values = failure(
                dispatcher,
                tracker,
                "uan",
                "verify.unknown_uan",
                handover_msgid=NOT_CONFIRMED,
                uan=spelled,
            )
            return {**values, "date_of_birth": None}
        if error.code == "invalid_date":
            return failure(dispatcher, tracker, "date_of_birth", "verify.dob_not_understood")
        if error.code == "locked_out":
            minutes = max(1, int(error.detail.get("retry_after_s", 1800)) // 60)
            say(dispatcher, lang, "verify.locked", minutes=minutes)
            return {"uan": None, "date_of_birth": None, HANDOFF_FLAG: True}
        logger.warning("verify refused with unexpected code %s", error.code)
        say(dispatcher, lang, "error.backend_down_retry")
        return {"date_of_birth": None}


# ------------------------------------------------------------------------------------- claim
def _claim_correction(tracker: Tracker) -> bool:
    return requested(tracker) == "claim_confirmed" and intent_of(tracker) in CORRECTION_INTENTS


class ValidateClaimForm(FlowFormValidation):
    def name(self) -> str:
        return "validate_claim_form"

    async def extract_claim_type(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        asked = requested(tracker) == "claim_type"
        if not asked and not (_claim_correction(tracker) and first_entity(tracker, "claim_type")):
            return {}
        code = pick_code(tracker, "claim_type", CLAIM_TYPES, "claim_type")
        if code:
            return success({"claim_type": code})
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
        if found:
            return success({"incident_date": found.isoformat()})
        if asked and not is_digression(tracker):
            return failure(dispatcher, tracker, "incident_date", "claim.date_not_understood")
        return {}

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
        if found:
            return success({"bank_last4": found})
        if asked and not is_digression(tracker):
            return failure(dispatcher, tracker, "bank_last4", "claim.last4_not_understood")
        return {}

    async def extract_claim_confirmed(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        corrected = _claim_correction(tracker) and bool(
            find_date(tracker) or find_last4(tracker) or first_entity(tracker, "claim_type")
        )
        return confirmation(
            dispatcher, tracker, "claim_confirmed", corrected=corrected, second_chance=True
        )


# ------------------------------------------------------------------------------- eligibility
YES_NO_QUESTIONS = ("epf_member", "nps_member", "esic_member", "income_tax_payer")


class ValidateEligibilityForm(FlowFormValidation):
    def name(self) -> str:
        return "validate_eligibility_form"

    async def extract_age(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if requested(tracker) != "age":
            return {}
        found = find_age(tracker)
        if found:
            return success({"age": found})
        if is_digression(tracker):
            return {}
        return failure(dispatcher, tracker, "age", "eligibility.age_not_understood")

    async def extract_monthly_income(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if requested(tracker) != "monthly_income":
            return {}
        found = find_amount(tracker)
        if found is not None:
            return success({"monthly_income": found})
        if is_digression(tracker):
            return {}
        return failure(dispatcher, tracker, "monthly_income", "eligibility.income_not_understood")

    async def _yes_no(self, dispatcher: CollectingDispatcher, tracker: Tracker, slot: str) -> dict:
        if requested(tracker) != slot or is_digression(tracker):
            return {}
        answer = yes_no(tracker)
        if answer is None:
            return failure(dispatcher, tracker, slot, "confirm.say_yes_no")
        return success({slot: answer})

    async def extract_epf_member(self, dispatcher, tracker, domain) -> dict[str, Any]:  # type: ignore[no-untyped-def]
        return await self._yes_no(dispatcher, tracker, "epf_member")

    async def extract_nps_member(self, dispatcher, tracker, domain) -> dict[str, Any]:  # type: ignore[no-untyped-def]
        return await self._yes_no(dispatcher, tracker, "nps_member")

    async def extract_esic_member(self, dispatcher, tracker, domain) -> dict[str, Any]:  # type: ignore[no-untyped-def]
        return await self._yes_no(dispatcher, tracker, "esic_member")

    async def extract_income_tax_payer(self, dispatcher, tracker, domain) -> dict[str, Any]:  # type: ignore[no-untyped-def]
        return await self._yes_no(dispatcher, tracker, "income_tax_payer")


# ----------------------------------------------------------------------------------- nominee
class ValidateNomineeForm(FlowFormValidation):
    def name(self) -> str:
        return "validate_nominee_form"

    async def extract_nominee_name(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if requested(tracker) != "nominee_name" or is_digression(tracker):
            return {}
        name = first_entity(tracker, "person_name") or message_text(tracker)
        name = " ".join(name.split())[:80]
        if len(name) < 2 or any(ch.isdigit() for ch in name):
            return failure(dispatcher, tracker, "nominee_name", "nominee.name_not_understood")
        return success({"nominee_name": name})

    async def extract_nominee_relation(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        asked = requested(tracker) == "nominee_relation"
        correcting = (
            requested(tracker) == "nominee_confirmed"
            and intent_of(tracker) in CORRECTION_INTENTS
            and first_entity(tracker, "relation")
        )
        if not asked and not correcting:
            return {}
        code = pick_code(tracker, "relation", RELATIONS, "relation")
        if code:
            return success({"nominee_relation": code})
        if asked and not is_digression(tracker):
            return failure(
                dispatcher, tracker, "nominee_relation", "nominee.relation_not_understood"
            )
        return {}

    async def extract_nominee_confirmed(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        corrected = intent_of(tracker) in CORRECTION_INTENTS and bool(
            first_entity(tracker, "relation")
        )
        return confirmation(
            dispatcher, tracker, "nominee_confirmed", corrected=corrected, second_chance=False
        )


# ---------------------------------------------------------------------------------- feedback
class ValidateFeedbackForm(FlowFormValidation):
    def name(self) -> str:
        return "validate_feedback_form"

    async def extract_feedback_category(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        asked = requested(tracker) == "feedback_category"
        if not asked and not first_entity(tracker, "feedback_category"):
            return {}
        code = pick_code(tracker, "feedback_category", FEEDBACK_CATEGORIES, "feedback_category")
        if code:
            return success({"feedback_category": code})
        if asked and not is_digression(tracker):
            return failure(
                dispatcher, tracker, "feedback_category", "feedback.category_not_understood"
            )
        return {}

    async def extract_feedback_text(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if requested(tracker) != "feedback_text":
            return {}
        if escapes_free_text(tracker):
            return {}
        text = free_text(tracker)
        if text is None:
            return failure(dispatcher, tracker, "feedback_text", "feedback.say_more")
        return success({"feedback_text": text})

    async def extract_feedback_confirmed(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return confirmation(
            dispatcher, tracker, "feedback_confirmed", corrected=False, second_chance=False
        )


# ------------------------------------------------------------------ one-question confirmations
class ValidateRenewalForm(FlowFormValidation):
    def name(self) -> str:
        return "validate_renewal_form"

    async def extract_renewal_confirmed(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return confirmation(
            dispatcher, tracker, "renewal_confirmed", corrected=False, second_chance=False
        )


class ValidatePensionForm(FlowFormValidation):
    def name(self) -> str:
        return "validate_pension_form"

    async def extract_pension_restart_confirmed(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return confirmation(
            dispatcher, tracker, "pension_restart_confirmed", corrected=False, second_chance=False
        )
