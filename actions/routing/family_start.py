"""Starting the family flow: someone says the worker died, asks for a family pension, or picks a
death claim in the worker's claim flow (docs/contracts.md, "Family claims").

Why not the worker's check: it ends in a code texted to the worker's phone, which a dead
worker's family may not hold; the family form checks the nominee's name and texts the caller.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.inputs import claim_type_named, message_text, metadata
from actions.routing.services import FLOW_BY_INTENT
from actions.routing.start import start_flow
from api.domain.family import (
    DEATH_CLAIM_TYPES,
    FAMILY_CLAIM_TYPES,
    FAMILY_PENSION,
    asks_to_file,
    family_claim_in,
)

# Requests the family flow takes when their words say the worker died or name a family pension
# (a question about what the family would get stays a scheme question: ask_scheme_info).
FAMILY_INTENTS = frozenset({"file_claim", "pension_issue"})


# The keypad's `menu_choice` for a claim for a worker who died (voice/ivr/listen.py SERVICES).
FAMILY_CHOICE = "family"

# Any other request is a service of its own, or a question (what would the family get?).
OTHER_SERVICES = frozenset({*FLOW_BY_INTENT, "talk_to_human", "change_language", "goodbye"})


def family_request(tracker: Tracker, intent: str) -> str | None:
    """What the message asks the family flow for (a claim type or `death`), else None: a claim
    or pension request whose words say the worker died or name a family pension, or any other
    unclear message that says so and asks to file ("my husband died, I want to claim")."""
    text = message_text(tracker)
    said = family_claim_in(text)
    if said is None or (intent in OTHER_SERVICES and intent not in FAMILY_INTENTS):
        return None
    # a claim request that says the worker died is the family's; anything else (a pension
    # question "after my husband dies how much ...?") also has to ask to file, or name the
    # family pension
    if intent != "file_claim" and said != FAMILY_PENSION and not asks_to_file(text):
        return None
    named = claim_type_named(tracker) if intent == "file_claim" else None
    if said == "death" and named in DEATH_CLAIM_TYPES:
        return named
    return said


def keyed_family(tracker: Tracker) -> str | None:
    """`death` when the phone keypad's claim menu chose "for a worker who died" (keys cannot say
    it; docs/contracts.md "Phone keypad"): the type is asked after the family's check."""
    return "death" if metadata(tracker).get("menu_choice") == FAMILY_CHOICE else None


def start_family(
    dispatcher: CollectingDispatcher, tracker: Tracker, kind: str | None
) -> list[EventType]:
    """Begin the family form; a UAN and date of birth the conversation already took are kept,
    and a claim type already said is not asked again."""
    kept = {s: tracker.get_slot(s) for s in ("uan", "date_of_birth") if tracker.get_slot(s)}
    events = start_flow("family", dispatcher, tracker)
    if not events or events[-1].get("event") != "followup":
        return events  # a missed answer, or an officer after too many changes
    extra: list[EventType] = [SlotSet(k, v) for k, v in kept.items()]
    if kind in FAMILY_CLAIM_TYPES:
        extra.append(SlotSet("family_claim_type", kind))
    return [*events[:-1], *extra, events[-1]]
