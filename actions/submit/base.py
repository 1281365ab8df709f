"""The base of every confirmed write: cancelled, done, or (backend down) offered again.

One place decides what a "no" at the read-back, an office system that is down and a refusal
mean, so every service ends the same way; each subclass only makes its call and says its result.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.backend_client import BackendClient, BackendError, BackendUnavailable
from actions.notify_settings import offer_decision_call
from actions.render import steps_text
from actions.routing.flow_state import finish_flow, token_expired
from actions.texts import lang_of, say

logger = logging.getLogger(__name__)


class SubmitAction(Action, ABC):
    """A confirmed write: cancelled, done, or (backend down) offered again with nothing lost."""

    flow: str = ""
    form: str = ""
    confirm_slot: str = ""

    @abstractmethod
    def name(self) -> str: ...

    @abstractmethod
    async def write(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, client: BackendClient, key: str
    ) -> list[EventType]:
        """Call the backend and say the result; return extra events."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang = lang_of(tracker)
        confirmed = tracker.get_slot(self.confirm_slot)
        if confirmed is None:
            return []  # the form was left early (hand-over, another service)
        if confirmed is False:
            return self.ended(dispatcher, lang, "confirm.cancelled")
        client = BackendClient(tracker.sender_id)
        key = client.idempotency_key(self.flow, tracker.get_slot("submission_seq") or 0)
        try:
            extra = await self.write(dispatcher, tracker, client, key)
        except BackendUnavailable:
            say(dispatcher, lang, "error.write_failed_retry")
            return [SlotSet(self.confirm_slot, None), FollowupAction(self.form)]
        except BackendError as error:
            return self.refused(dispatcher, tracker, error, lang)
        offer = await offer_decision_call(dispatcher, tracker, self.flow)  # by phone, once
        if offer is not None:
            return [*extra, *finish_flow(self.flow), *offer]
        say(dispatcher, lang, "common.anything_else")
        return [*extra, *finish_flow(self.flow), SlotSet("awaiting_menu", True)]

    def ended(
        self, dispatcher: CollectingDispatcher, lang: str, message: str, **params: Any
    ) -> list[EventType]:
        """Nothing was written, and nothing went wrong: say `message`, end the flow, offer more."""
        say(dispatcher, lang, message, **params)
        say(dispatcher, lang, "common.anything_else")
        return [*finish_flow(self.flow), SlotSet("awaiting_menu", True)]

    def refused(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, error: BackendError, lang: str
    ) -> list[EventType]:
        if error.code == "verification_required":
            return token_expired(dispatcher, lang)
        logger.warning("%s refused: %s", self.name(), error.code)
        say(dispatcher, lang, "error.request_refused")
        return [*finish_flow(self.flow), SlotSet("awaiting_menu", True)]


def say_steps(dispatcher: CollectingDispatcher, lang: str, steps: list[str] | None) -> None:
    """What the worker does next (step codes from the backend), when there is anything."""
    if steps:
        say(dispatcher, lang, "common.next_steps", steps=steps_text(steps, "step", lang))
