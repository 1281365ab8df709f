"""The PM-SYM eligibility form: age, monthly income, then four yes/no questions.

Nothing here decides eligibility: after each answer the backend is asked with what is known so
far, and when it has decided (an age over 40, an EPF member ...) the form ends at once and
action_submit_eligibility says why and what else the worker can do.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.backend_client import BackendClient, BackendError, BackendUnavailable
from actions.forms.answers import requested
from actions.forms.base import FlowFormValidation
from actions.forms.failures import DECIDED_FLAG, failure, success
from actions.inputs import find_age, find_amount, is_digression, yes_no
from api.domain.eligibility import QUESTIONS

logger = logging.getLogger(__name__)


async def decided_early(tracker: Tracker, answer: dict[str, Any]) -> dict[str, Any]:
    """`answer` taken; with the form-ending flag when the answers so far decide the outcome."""
    known = {slot: tracker.get_slot(slot) for slot in QUESTIONS}
    known.update({k: v for k, v in answer.items() if k in QUESTIONS})
    if all(v is not None for v in known.values()):
        return answer  # the last answer: the form completes on its own
    try:
        result = await BackendClient(tracker.sender_id).eligibility(**known)
    except (BackendUnavailable, BackendError) as error:  # ask on; the end gives the answer
        logger.warning("early eligibility check failed: %s", error)
        return answer
    return {**answer, DECIDED_FLAG: True} if result.decided else answer


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
            return await decided_early(tracker, success({"age": found}))
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
            return await decided_early(tracker, success({"monthly_income": found}))
        if is_digression(tracker):
            return {}
        return failure(dispatcher, tracker, "monthly_income", "eligibility.income_not_understood")

    async def _yes_no(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, slot: str
    ) -> dict[str, Any]:
        if requested(tracker) != slot or is_digression(tracker):
            return {}
        answer = yes_no(tracker)
        if answer is None:
            return failure(dispatcher, tracker, slot, "confirm.say_yes_no")
        return await decided_early(tracker, success({slot: answer}))

    async def extract_epf_member(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return await self._yes_no(dispatcher, tracker, "epf_member")

    async def extract_nps_member(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return await self._yes_no(dispatcher, tracker, "nps_member")

    async def extract_esic_member(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return await self._yes_no(dispatcher, tracker, "esic_member")

    async def extract_income_tax_payer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return await self._yes_no(dispatcher, tracker, "income_tax_payer")
