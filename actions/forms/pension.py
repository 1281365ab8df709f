"""The pension form: one question, whether to ask the office to restart a stopped pension.

Asked only when the backend says a restart is possible (action_after_verify).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.forms.answers import confirmation
from actions.forms.base import FlowFormValidation


class ValidatePensionForm(FlowFormValidation):
    def name(self) -> str:
        return "validate_pension_form"

    async def extract_pension_restart_confirmed(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return confirmation(
            dispatcher, tracker, "pension_restart_confirmed", corrected=False, second_chance=False
        )
