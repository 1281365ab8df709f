"""Reading an answer to the question just asked: which question, free text, yes/no read-backs.

Slots of a form use `type: custom` mappings with an `active_loop` condition, so a message is
looked at only when it answers the question asked (or corrects a read-back); these helpers say
when that is and what the answer was.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.forms.failures import failure, success
from actions.inputs import intent_of, is_digression, message_text, yes_no
from actions.texts import lang_of, say
from api.language.answers import does_not_know, refuses

CORRECTION_INTENTS = frozenset({"correct", "inform"})
MAX_FREE_TEXT = 500

# While a free-text answer is asked for (what happened, a complaint), only these intents mean
# "not an answer": a description of an accident is easily classified as `file_claim`.
# A confident one, since a description can look like anything to the classifier.
FREE_TEXT_ESCAPES = frozenset({"talk_to_human", "change_language", "repeat"})
ESCAPE_CONFIDENCE = 0.8
# Words from which a message at a read-back is more of the account, not a stray word.
MORE_WORDS = 3


def requested(tracker: Tracker) -> str | None:
    asked = tracker.get_slot("requested_slot")
    return str(asked) if asked else None


def found_or_retry(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    slot: str,
    found: Any,
    not_understood: str,
    *,
    asked: bool = True,
) -> dict[str, Any]:
    """One answer read from the message: kept when found; when it was asked and the message is
    no digression, "not understood" (counted); else nothing (the question stays). Every form
    reads its numbers, dates and names this way."""
    if found:
        return success({slot: found})
    if asked and not is_digression(tracker):
        return failure(dispatcher, tracker, slot, not_understood)
    return {}


def escapes_free_text(tracker: Tracker) -> bool:
    intent = tracker.latest_message.get("intent") or {}
    confident = float(intent.get("confidence") or 0.0) >= ESCAPE_CONFIDENCE
    return intent.get("name") in FREE_TEXT_ESCAPES and confident


def free_text(tracker: Tracker) -> str | None:
    """The message as a free-text answer, or None when it is too short to be one."""
    text = " ".join(message_text(tracker).split())
    if len(text.split()) < 2 and len(text) < 8:
        return None
    return text[:MAX_FREE_TEXT]


def confirmation(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    slot: str,
    *,
    corrected: bool,
    second_chance: bool,
) -> dict[str, Any]:
    """yes -> True; no -> ask what to change (or cancel: False); "don't send" -> cancel at once;
    a correction -> ask again."""
    if requested(tracker) != slot or is_digression(tracker):
        return {}
    answer = yes_no(tracker)
    lang = lang_of(tracker)
    if answer is True and not corrected:
        return success({slot: True, "denials": 0})
    if answer is False and not corrected:
        if second_chance and not refuses(message_text(tracker)) and not tracker.get_slot("denials"):
            say(dispatcher, lang, "confirm.what_to_change")
            return {slot: None, "denials": 1}
        return success({slot: False, "denials": 0})
    if corrected:
        return {}
    return failure(dispatcher, tracker, slot, "confirm.say_yes_no")


def told_more(tracker: Tracker, confirm_slot: str, account_slot: str) -> dict[str, Any] | None:
    """At a read-back ("shall I send it?"), a message that is no yes/no, no "don't send" and no
    way out is more of what happened, whatever the classifier made of it (a status or claim
    request, often): it is added to the account, which is read back again. None otherwise."""
    if requested(tracker) != confirm_slot or escapes_free_text(tracker):
        return None
    told = free_text(tracker)
    if told is None or len(told.split()) < MORE_WORDS or yes_no(tracker) is not None:
        return None
    if refuses(told) or does_not_know(told):
        return None
    if intent_of(tracker) in ("goodbye", "deny", "affirm", "correct"):
        return None
    account = f"{tracker.get_slot(account_slot) or ''} {told}".strip()
    return {account_slot: account[:MAX_FREE_TEXT], confirm_slot: None}
