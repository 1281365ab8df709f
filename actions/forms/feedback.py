"""The feedback form: the kind of feedback (complaint, bribery, ...), what happened, read-back.

The category may come with the request itself ("I want to report a bribe"): then it is taken
without being asked. An answer to "what is it about" that names the kind AND tells what happened
("the office never answers the phone, I went three times") is kept as what happened too, so it
is not asked for twice. The request itself ("a clerk wants money, I will complain of a bribe")
is not taken as the account: workers tell what happened when asked.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.forms.answers import (
    confirmation,
    escapes_free_text,
    free_text,
    requested,
    told_more,
)
from actions.forms.base import FlowFormValidation
from actions.forms.failures import failure, success
from actions.inputs import first_entity, is_digression, pick_code
from api.domain.codes import FEEDBACK_CATEGORIES

# Words from which a message is an account of what happened, not only its kind ("bribe",
# "I want to complain" are short; an account names who, where or how often).
DESCRIBED_WORDS = 6


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
            told = free_text(tracker)
            if asked and told and len(told.split()) >= DESCRIBED_WORDS:
                return success({"feedback_category": code, "feedback_text": told})
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
        added = told_more(tracker, "feedback_confirmed", "feedback_text")
        if added is not None:  # "and he wanted 500 for the form": added, then read back again
            return added
        return confirmation(
            dispatcher, tracker, "feedback_confirmed", corrected=False, second_chance=False
        )
