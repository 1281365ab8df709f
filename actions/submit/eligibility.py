"""action_submit_eligibility: ask the backend whether the answers qualify for PM-SYM, explain.

Not a write, so not a SubmitAction: there is no read-back to confirm and nothing to replay.
"""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.backend_client import BackendClient, BackendError, BackendUnavailable
from actions.render import eligibility_text
from actions.routing.flow_state import finish_flow
from actions.routing.services import FLOW_SLOTS
from actions.texts import lang_of, say


class ActionSubmitEligibility(Action):
    """Not a write: ask the backend and explain; a failure keeps the answers for a retry."""

    def name(self) -> str:
        return "action_submit_eligibility"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang = lang_of(tracker)
        values = {s: tracker.get_slot(s) for s in FLOW_SLOTS["eligibility"]}
        if all(v is None for v in values.values()):
            return []  # the form was left before any answer
        client = BackendClient(tracker.sender_id)
        try:
            result = await client.eligibility(**values)
        except (BackendUnavailable, BackendError):
            say(dispatcher, lang, "error.backend_down")
            return []  # answers stay in the slots: saying "check eligibility" asks nothing again
        if not result.decided:
            return []  # the form was left early (another service, an officer)
        dispatcher.utter_message(text=eligibility_text(result, values["age"], lang))
        say(dispatcher, lang, "common.anything_else")
        return [*finish_flow("eligibility"), SlotSet("awaiting_menu", True)]
