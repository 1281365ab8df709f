"""Fill the `language` slot every turn (custom slot mapping run by action_extract_slots).

The language service (api/services/language.py) decides, for every channel the same way: a
language chosen now (on the phone menu, passed in metadata, or asked for in the message), then
the one remembered for the sender (metadata `remembered_language`, set by the gateway), then the
conversation's, then detection.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction
from rasa_sdk.types import DomainDict

from actions.inputs import channel_of, entity_values, intent_of, message_text, metadata
from api.language.names import mentioned_language, named_language
from api.language.script import has_latin, script_language
from api.services import language
from locales import LANGUAGES, LOCALES, translate

logger = logging.getLogger(__name__)


def chosen_now(meta: dict[str, Any], intent: str, entities: list[str], text: str) -> str | None:
    """A language picked on the channel (the phone menu) or asked for in this message."""
    from_meta = str(meta.get("language") or "").lower()[:2]
    if from_meta in LANGUAGES:
        return from_meta
    if intent == "change_language":
        for value in entities:
            if value in LANGUAGES:
                return value
    named = named_language(text)  # the language buttons send a bare name
    if named:
        return named
    return mentioned_language(text) if intent == "change_language" else None


def choose_language(
    current: str | None, meta: dict[str, Any], intent: str, entities: list[str], text: str
) -> str | None:
    """The language to set, or None to keep the current one (the language service decides)."""
    decision = language.decide(
        chosen=chosen_now(meta, intent, entities, text),
        remembered=str(meta.get("remembered_language") or "") or None,
        current=current,
        text=text,
    )
    if decision.source == "default":
        return None  # no evidence (digits only): decide again on the next message
    return decision.language if decision.language != current else None


class ActionValidateSlotMappings(ValidationAction):
    """Global custom slot mappings (`action_validate_slot_mappings`, every turn)."""

    _slots_of: tuple[Any, list[str]] | None = None

    def domain_slots(self, domain: DomainDict) -> list[str]:
        """rasa_sdk's list of the domain's slots, worked out once per domain, not once per slot:
        its `_extract_slot` asks for the whole list again for each slot it extracts, so every
        turn cost slots x slots checks of the mappings (67 slots: 2,546 checks, ~1.5 ms of the
        action server's CPU a turn, `make bench` profile). The list depends on the domain's
        slots alone, which Rasa sends alike on every call."""
        slots = domain.get("slots")
        kept = self._slots_of
        if kept is None or kept[0] != slots:
            kept = self._slots_of = (slots, super().domain_slots(domain))
        return list(kept[1])

    async def extract_language(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        current = tracker.get_slot("language")
        meta, intent = metadata(tracker), intent_of(tracker)
        entities, text = entity_values(tracker, "language"), message_text(tracker)
        chosen = choose_language(current, meta, intent, entities, text)
        picked = chosen_now(meta, intent, entities, text)
        if picked and not meta.get("language"):
            # chosen in words: the channel remembers it for the number (the reply's custom part)
            dispatcher.utter_message(json_message={"language_chosen": picked})
        if chosen and chosen != current:
            return {"language": chosen}
        return {}

    async def extract_script(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The script a romanised writer chose: a button of the script question, else what the
        channel remembers for the number (metadata `remembered_script`)."""
        picked = script_choice(message_text(tracker))
        if picked:
            dispatcher.utter_message(json_message={"script_chosen": picked})
            return {"script": picked, "script_offered": True}
        remembered = str(metadata(tracker).get("remembered_script") or "")
        if tracker.get_slot("script") is None and remembered in SCRIPTS:
            return {"script": remembered}
        return {}


SCRIPTS = ("native", "latin")


def script_choice(text: str) -> str | None:
    """ "native" or "latin" when the message is one of the script question's answers."""
    said = " ".join(text.casefold().split())
    if not said:
        return None
    for locale in LOCALES:
        for script in SCRIPTS:
            if said == " ".join(translate(f"script.{script}", locale).casefold().split()):
                return script
    return None


def wants_script_question(tracker: Tracker) -> bool:
    """Ask once, on a written channel, a Bengali or Hindi writer who uses Latin letters."""
    if tracker.get_slot("script") or tracker.get_slot("script_offered"):
        return False
    if tracker.get_slot("language") not in ("bn", "hi"):
        return False
    if channel_of(tracker) == "voice":
        return False
    text = message_text(tracker)
    return has_latin(text) and script_language(text) is None and not script_choice(text)
