"""The helper's own questions, asked by the verification form before the worker's UAN when
someone acts for a worker (flow `helper`; docs/contracts.md, "A helper acts for a worker").

Why inside the verification form: the helper passes the worker's own check (UAN, date of birth)
and the code step that follows is the worker's consent, texted to the worker's phone naming the
helper; one form keeps the order, the failures and the hand-over rules of that check.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.forms.answers import requested
from actions.forms.failures import failure, success
from actions.inputs import channel_of, first_entity, is_digression, message_text, pick_code
from api.domain.helpers import HELPER_RELATIONS, clean_name, relation_of

FLOW = "helper"
SLOTS = ("helper_name", "helper_relation")
SHORT_NAME_WORDS = 3
# keys pressed where the name is asked (any digit script, # or *): the caller is on the keypad,
# and the consent records the relation with the name "not given" (docs/contracts.md)
KEYED = re.compile(r"[\d#*\s]+")
KEYED_NAME = "-"


def name_to_send(slot: object) -> str:
    """The helper's name for the backend: "" when it was not given (keys)."""
    name = str(slot or "")
    return "" if name == KEYED_NAME else name


def is_helper_flow(tracker: Tracker) -> bool:
    return bool(tracker.get_slot("flow") == FLOW)


def has_helper(slots: Mapping[str, Any]) -> bool:
    """The helper said who they are: the consent code may be asked for. The slots outlive the
    flow `helper` (routing.after_verify), so a check made again in this conversation (the
    session expired) asks the worker's consent again instead of acting as the worker's own."""
    return all(slots.get(s) for s in SLOTS)


def helper_ready(tracker: Tracker) -> bool:
    return has_helper(tracker.slots)


class HelperStep:
    """Mixed into the verification form: the helper's name, then the relation."""

    async def extract_helper_name(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Any
    ) -> dict[str, Any]:
        if requested(tracker) != "helper_name" or is_digression(tracker):
            return {}
        said = " ".join(message_text(tracker).split())
        if channel_of(tracker) == "voice" and KEYED.fullmatch(said):
            return success({"helper_name": KEYED_NAME})  # keys cannot spell a name
        # "Sohel Das" is the name; in a sentence ("my name is Sohel Das") the entity gives it
        short = len(said.split()) <= SHORT_NAME_WORDS
        name = clean_name(said if short else (first_entity(tracker, "person_name") or said))
        if name is None:
            return failure(dispatcher, tracker, "helper_name", "helper.name_not_understood")
        return success({"helper_name": name})

    async def extract_helper_relation(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Any
    ) -> dict[str, Any]:
        if requested(tracker) != "helper_relation":
            return {}
        code = pick_code(tracker, "relation", HELPER_RELATIONS, "helper_role") or relation_of(
            message_text(tracker)
        )
        if code:
            return success({"helper_relation": code})
        if is_digression(tracker):
            return {}
        return failure(dispatcher, tracker, "helper_relation", "helper.relation_not_understood")
