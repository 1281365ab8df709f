"""The nominee form: the new nominee's name, the relation, then a read-back.

What the worker already said is not asked again: the request that starts the flow ("I want to
make my wife Sunita Devi my nominee") fills the relation and the name before the identity check
(`said_with_request`, called by routing.start, as a claim's type is), and an answer to the name
question that plainly states the relation too ("meri patni Sunita Devi") gives both. The words
are the backend's data (api.domain.kin); when unsure nothing is taken and the question is asked.
While the read-back is asked, a relation said as a correction ("no, my wife") replaces the one
taken and the read-back is asked again.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.forms.answers import CORRECTION_INTENTS, confirmation, requested
from actions.forms.base import FlowFormValidation
from actions.forms.failures import failure, success
from actions.inputs import (
    entity_values,
    first_entity,
    intent_of,
    is_digression,
    message_text,
    pick_code,
)
from api.domain.codes import RELATIONS
from api.domain.kin import Told, told

SHORT_NAME_WORDS = 3


def nominee_told(tracker: Tracker, *, owned: bool = False) -> Told:
    """The relation and name the latest message states (api.domain.kin.told)."""
    return told(
        message_text(tracker),
        relations=tuple(entity_values(tracker, "relation")),
        person_name=first_entity(tracker, "person_name"),
        owned=owned,
    )


def said_with_request(tracker: Tracker) -> dict[str, Any]:
    """The nominee's relation and name the request itself gives, as slot values."""
    found = nominee_told(tracker)
    slots = {"nominee_relation": found.relation, "nominee_name": found.name}
    return {slot: value for slot, value in slots.items() if value}


def _restated(tracker: Tracker) -> Told | None:
    """At the name question, "meri patni Sunita Devi": the relation (and the name) stated again,
    also when the classifier took it for the nominee request itself; else None."""
    if requested(tracker) != "nominee_name":
        return None
    if is_digression(tracker) and intent_of(tracker) != "update_nominee":
        return None
    found = nominee_told(tracker, owned=True)
    return found if found.relation else None


class ValidateNomineeForm(FlowFormValidation):
    def name(self) -> str:
        return "validate_nominee_form"

    async def extract_nominee_name(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        restated = _restated(tracker)
        if restated is not None:
            if restated.name:
                return success({"nominee_name": restated.name})
            if restated.relation != tracker.get_slot("nominee_relation"):
                return {}  # a new relation was taken (extract_nominee_relation): ask the name
            return failure(dispatcher, tracker, "nominee_name", "nominee.name_not_understood")
        if requested(tracker) != "nominee_name" or is_digression(tracker):
            return {}
        said = " ".join(message_text(tracker).split())
        # a short answer to "what is the name?" is the whole name ("সাকিনা বিবি"); a sentence
        # ("her name is Sakina Bibi") gives it through the entity
        short = len(said.split()) <= SHORT_NAME_WORDS
        name = said if short else (first_entity(tracker, "person_name") or said)
        name = " ".join(name.split())[:80]
        if len(name) < 2 or any(ch.isdigit() for ch in name):
            return failure(dispatcher, tracker, "nominee_name", "nominee.name_not_understood")
        return success({"nominee_name": name})

    async def extract_nominee_relation(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        restated = _restated(tracker)
        if restated is not None:
            if restated.relation == tracker.get_slot("nominee_relation"):
                return {}  # nothing new (the name step counts a failed answer)
            return success({"nominee_relation": restated.relation})
        asked = requested(tracker) == "nominee_relation"
        correcting = (
            requested(tracker) == "nominee_confirmed"
            and intent_of(tracker) in CORRECTION_INTENTS
            and first_entity(tracker, "relation")
        )
        if not asked and not correcting:
            return {}
        code = pick_code(tracker, "relation", RELATIONS, "relation")
        if not code and asked:  # "she is my wife", "meri maa": a relation word in a sentence
            code = nominee_told(tracker).relation
        if code:
            return success({"nominee_relation": code})
        if asked and not is_digression(tracker):
            return failure(
                dispatcher, tracker, "nominee_relation", "nominee.relation_not_understood"
            )
        return {}

    async def extract_nominee_confirmed(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        corrected = intent_of(tracker) in CORRECTION_INTENTS and bool(
            first_entity(tracker, "relation")
        )
        return confirmation(
            dispatcher, tracker, "nominee_confirmed", corrected=corrected, second_chance=False
        )
