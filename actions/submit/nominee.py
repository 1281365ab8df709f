"""action_submit_nominee: record the confirmed nominee and read back what the office stored."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.backend_client import BackendClient
from actions.submit.base import SubmitAction
from actions.texts import label, lang_of, say


class ActionSubmitNominee(SubmitAction):
    flow, form, confirm_slot = "nominee", "nominee_form", "nominee_confirmed"

    def name(self) -> str:
        return "action_submit_nominee"

    async def write(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, client: BackendClient, key: str
    ) -> list[EventType]:
        lang = lang_of(tracker)
        result = await client.update_nominee(
            tracker.get_slot("verification_token"),
            tracker.get_slot("nominee_name"),
            tracker.get_slot("nominee_relation"),
            key,
        )
        say(
            dispatcher,
            lang,
            "nominee.updated",
            name=result.body.get("name", tracker.get_slot("nominee_name")),
            relation=label("relation", result.body.get("relation"), lang),
            reference=result.reference,
        )
        return []
