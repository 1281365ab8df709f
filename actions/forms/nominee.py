"""The nominee form: the new nominee's name, the relation, then a read-back.

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
from actions.inputs import first_entity, intent_of, is_digression, message_text, pick_code
from api.domain.codes import RELATIONS

SHORT_NAME_WORDS = 3


class ValidateNomineeForm(FlowFormValidation):
    def name(self) -> str:
        return "validate_nominee_form"

    async def extract_nominee_name(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
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
        asked = requested(tracker) == "nominee_relation"
        correcting = (
            requested(tracker) == "nominee_confirmed"
            and intent_of(tracker) in CORRECTION_INTENTS
            and first_entity(tracker, "relation")
        )
        if not asked and not correcting:
            return {}
        code = pick_code(tracker, "relation", RELATIONS, "relation")
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
