"""The base of every form's validation action: values kept as extracted, hand-over on demand.

Each `extract_<slot>` method checks its answer while taking it (see forms.answers), so
validation only keeps the values; a HANDOFF_FLAG set by the failure count (forms.failures)
closes the form and calls an officer here, in one place for every form.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.forms import otp
from actions.forms.failures import (
    DECIDED_FLAG,
    FLOW_SWITCHES,
    HANDOFF_FLAG,
    officer_after_failures,
)
from actions.forms.helper import SLOTS as HELPER_SLOTS
from actions.handoff import relay_officer_replies
from actions.routing.flow_state import EXPECTING, stop_form


class FlowFormValidation(FormValidationAction, ABC):
    """Shared behaviour: silent pass-through validation and the automatic hand-over."""

    @abstractmethod
    def name(self) -> str: ...

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        relayed: list[EventType] = []
        if tracker.get_slot("handoff_active"):  # the router's rule, for a message inside a form
            relayed, state = await relay_officer_replies(dispatcher, tracker)
            if state is not None and (state.taken or not state.active):
                # an officer has the conversation (or just closed it): the form stops and
                # nothing follows it (no completion action); the next message goes to the router
                return [*relayed, *stop_form(tracker), FollowupAction("action_listen")]
        events = [*relayed, *await super().run(dispatcher, tracker, domain)]
        wants_officer = _flag_set(events, HANDOFF_FLAG)
        if wants_officer:
            events = [e for e in events if e.get("name") != "requested_slot"]
            events += [SlotSet(HANDOFF_FLAG, False), *officer_after_failures()]
        elif _flag_set(events, DECIDED_FLAG):
            # Rasa ends a form whose validation sets requested_slot to None; the form's
            # completion rule then runs its action, which gives the answer
            events = [e for e in events if e.get("name") != "requested_slot"]
            events += [SlotSet(DECIDED_FLAG, False), SlotSet("requested_slot", None)]
        kept: list[EventType] = events
        return kept

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Values were checked while extracting; keep them (and our bookkeeping slots)."""
        slots = tracker.slots_to_validate()
        form_slots = set(self.domain_slots(domain))
        keep = form_slots | {"failed_step", "failed_attempts", "denials", HANDOFF_FLAG}
        keep |= {DECIDED_FLAG, "pending_dob"}
        keep |= {FLOW_SWITCHES, "verification_token", "worker_name", *otp.SLOTS}
        keep |= set(HELPER_SLOTS)  # asked by verify_form when a helper acts (forms.helper)
        keep |= {EXPECTING, "awaiting_menu"}
        return [SlotSet(k, v) for k, v in slots.items() if k in keep]


def _flag_set(events: list[EventType], flag: str) -> bool:
    return any(
        e.get("event") == "slot" and e.get("name") == flag and e.get("value") for e in events
    )
