"""action_submit_pension_restart: ask the office to restart a stopped pension, and say the steps."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.backend_client import BackendClient, BackendError
from actions.submit.base import SubmitAction, say_steps
from actions.texts import lang_of, say


class ActionSubmitPensionRestart(SubmitAction):
    flow, form, confirm_slot = "pension", "pension_form", "pension_restart_confirmed"

    def name(self) -> str:
        return "action_submit_pension_restart"

    async def write(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, client: BackendClient, key: str
    ) -> list[EventType]:
        lang = lang_of(tracker)
        result = await client.restart_pension(tracker.get_slot("verification_token"), key)
        say(dispatcher, lang, "pension.restart_filed", reference=result.reference)
        say_steps(dispatcher, lang, result.body.get("restart_steps"))
        return []

    def refused(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, error: BackendError, lang: str
    ) -> list[EventType]:
        if error.code in ("pension_active", "no_pension"):
            return self.ended(dispatcher, lang, f"pension.refused_{error.code}")
        return super().refused(dispatcher, tracker, error, lang)
