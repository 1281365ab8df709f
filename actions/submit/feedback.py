"""action_submit_feedback: record the confirmed complaint or suggestion and give its reference.

Verification is not required; when the worker is verified, the token goes along so the office
can link the feedback to the worker.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.backend_client import BackendClient
from actions.inputs import channel_of
from actions.submit.base import SubmitAction
from actions.texts import lang_of, say
from locales import language_of


class ActionSubmitFeedback(SubmitAction):
    flow, form, confirm_slot = "feedback", "feedback_form", "feedback_confirmed"

    def name(self) -> str:
        return "action_submit_feedback"

    async def write(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, client: BackendClient, key: str
    ) -> list[EventType]:
        lang = lang_of(tracker)
        result = await client.feedback(
            category=tracker.get_slot("feedback_category"),
            text=tracker.get_slot("feedback_text"),
            channel=channel_of(tracker),
            language=language_of(lang),
            key=key,
            verification_token=tracker.get_slot("verification_token"),
        )
        say(dispatcher, lang, "feedback.recorded", reference=result.reference)
        return []
