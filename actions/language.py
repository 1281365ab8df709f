"""Fill the `language` slot every turn (custom slot mapping run by action_extract_slots).

Order: the gateway's message metadata (the caller chose a language on the phone menu), then an
explicit `change_language` request, else - only while unknown - the language detector.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction
from rasa_sdk.types import DomainDict

from actions.inputs import entity_values, intent_of, message_text, metadata
from locales import LANGUAGES

logger = logging.getLogger(__name__)

# A message that is only a language's name (the language buttons send these) selects it.
LANGUAGE_NAMES = {
    "বাংলা": "bn",
    "bangla": "bn",
    "bengali": "bn",
    "बांग्ला": "bn",
    "हिंदी": "hi",
    "हिन्दी": "hi",
    "hindi": "hi",
    "হিন্দি": "hi",
    "english": "en",
    "angrezi": "en",
    "अंग्रेजी": "en",
    "अंग्रेज़ी": "en",
    "बंगाली": "bn",
    "bangali": "bn",
    "इंग्लिश": "en",
    "ইংরেজি": "en",
}
_BENGALI = re.compile(r"[\u0980-\u09FF]")
_DEVANAGARI = re.compile(r"[\u0900-\u097F]")


def script_language(text: str) -> str:
    """Fallback detector: the script decides; Latin text counts as English."""
    if _BENGALI.search(text):
        return "bn"
    if _DEVANAGARI.search(text):
        return "hi"
    return "en"


def detect(text: str) -> str:
    """The project's detector (actions/language_detector.py) or the script check without it."""
    try:
        from actions.language_detector import detect_language
    except ImportError:
        return script_language(text)
    try:
        found = detect_language(text)
    except Exception:  # the detector failing must not stop the conversation
        logger.exception("language detector failed; using the script check")
        return script_language(text)
    return found if found in LANGUAGES else script_language(text)


def choose_language(
    current: str | None, meta: dict[str, Any], intent: str, entities: list[str], text: str
) -> str | None:
    """The language to set, or None to keep the current one."""
    from_meta = str(meta.get("language") or "").lower()[:2]
    if from_meta in LANGUAGES:
        return from_meta
    if intent == "change_language":
        for value in entities:
            if value in LANGUAGES:
                return value
    named = LANGUAGE_NAMES.get(text.strip().casefold())
    if named:
        return named
    if intent == "change_language":  # no entity: look for a language's name in the words
        for word in text.casefold().replace("?", " ").replace(".", " ").split():
            if word in LANGUAGE_NAMES:
                return LANGUAGE_NAMES[word]
    if current in LANGUAGES:
        return None
    return detect(text) if text else None


class ActionValidateSlotMappings(ValidationAction):
    """Global custom slot mappings (`action_validate_slot_mappings`)."""

    async def extract_language(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        current = tracker.get_slot("language")
        chosen = choose_language(
            current,
            metadata(tracker),
            intent_of(tracker),
            entity_values(tracker, "language"),
            message_text(tracker),
        )
        if chosen and chosen != current:
            return {"language": chosen}
        return {}
