"""action_submit_renewal: ask the office to renew the chosen membership, and say what follows."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.backend_client import BackendClient, BackendError
from actions.submit.base import SubmitAction, say_steps
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
        say_steps(dispatcher, lang, result.body.get("next_steps"))
        return []

    def refused(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, error: BackendError, lang: str
    ) -> list[EventType]:
        if error.code in ("not_renewable", "nothing_to_renew"):
            return self.ended(dispatcher, lang, "renewal.nothing_to_renew")
        return super().refused(dispatcher, tracker, error, lang)
