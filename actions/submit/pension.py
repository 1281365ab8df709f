"""action_submit_pension_restart: ask the office to restart a stopped pension, and say the steps."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.backend_client import BackendClient, BackendError
from actions.render import steps_text
from actions.routing.flow_state import finish_flow
from actions.submit.base import SubmitAction
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
        steps = result.body.get("restart_steps") or []
        if steps:
            say(dispatcher, lang, "common.next_steps", steps=steps_text(steps, "step", lang))
        return []

    def refused(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, error: BackendError, lang: str
    ) -> list[EventType]:
        if error.code in ("pension_active", "no_pension"):
            say(dispatcher, lang, f"pension.refused_{error.code}")
            say(dispatcher, lang, "common.anything_else")
            return [*finish_flow(self.flow), SlotSet("awaiting_menu", True)]
        return super().refused(dispatcher, tracker, error, lang)
