"""action_submit_renewal: ask the office to renew the chosen membership, and say what follows."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.backend_client import BackendClient, BackendError
from actions.render import steps_text
from actions.routing.flow_state import finish_flow
from actions.submit.base import SubmitAction
from actions.texts import label, lang_of, say


class ActionSubmitRenewal(SubmitAction):
    flow, form, confirm_slot = "renewal", "renewal_form", "renewal_confirmed"

    def name(self) -> str:
        return "action_submit_renewal"

    async def write(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, client: BackendClient, key: str
    ) -> list[EventType]:
        lang = lang_of(tracker)
        result = await client.renew(
            tracker.get_slot("verification_token"), tracker.get_slot("renewal_scheme"), key
        )
        say(
            dispatcher,
            lang,
            "renewal.filed",
            reference=result.reference,
            scheme=label("scheme", result.body.get("scheme"), lang),
        )
        steps = result.body.get("next_steps") or []
        if steps:
            say(dispatcher, lang, "common.next_steps", steps=steps_text(steps, "step", lang))
        return []

    def refused(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, error: BackendError, lang: str
    ) -> list[EventType]:
        if error.code in ("not_renewable", "nothing_to_renew"):
            say(dispatcher, lang, "renewal.nothing_to_renew")
            say(dispatcher, lang, "common.anything_else")
            return [*finish_flow(self.flow), SlotSet("awaiting_menu", True)]
        return super().refused(dispatcher, tracker, error, lang)
