"""action_submit_correction: file the confirmed correction for an officer, and say the reference
and the documents to bring; nothing in the record changes until the officer approves."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.backend_client import BackendClient, BackendError
from actions.render import documents_text
from actions.routing.flow_state import finish_flow
from actions.submit.base import SubmitAction
from actions.texts import label, lang_of, say


class ActionSubmitCorrection(SubmitAction):
    flow, form, confirm_slot = "correction", "correction_form", "correction_confirmed"

    def name(self) -> str:
        return "action_submit_correction"

    async def write(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, client: BackendClient, key: str
    ) -> list[EventType]:
        lang = lang_of(tracker)
        field = str(tracker.get_slot("correction_field") or "")
        body = {"field": field, "value": str(tracker.get_slot("correction_value") or "")}
        result = await client.write(
            "POST", "/me/corrections", body, str(tracker.get_slot("verification_token")), key
        )
        say(
            dispatcher,
            lang,
            "correction.filed",
            field=label("correction_field", field, lang),
            reference=result.reference,
            documents=documents_text(result.body.get("documents") or [], lang),
        )
        return []

    def refused(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, error: BackendError, lang: str
    ) -> list[EventType]:
        """Already asked for, or nothing to correct: say so (with the open reference)."""
        if error.code == "duplicate_correction":
            reference = str(error.detail.get("existing_reference") or "")
            say(dispatcher, lang, "correction.already_open", reference=reference)
        elif error.code == "same_as_record":
            say(dispatcher, lang, "correction.same_as_record")
        else:
            return super().refused(dispatcher, tracker, error, lang)
        say(dispatcher, lang, "common.anything_else")
        return [*finish_flow(self.flow), SlotSet("awaiting_menu", True)]
