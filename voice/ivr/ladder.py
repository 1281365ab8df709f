"""The miss ladder: what the line says after an answer it could not use (a wrong key, speech it
did not catch), up to an officer and a goodbye in words, never a silent hang-up. Silence has its
own ladder (voice/ivr/silence.py)."""

from __future__ import annotations

from api.services.calls import CallDesk, CallRecord
from api.settings import get_settings
from voice.ivr.ending import finish
from voice.ivr.listen import keypad_hint, spec_for
from voice.ivr.screen import Screen, ending, lang_of, listening
from voice.texts import in_each, text


def max_misses() -> int:
    """Failed answers at one question before an officer is brought in: one setting, every
    channel (the chat hands over at the same count)."""
    return get_settings().max_failed_answers


def miss(
    call: CallRecord, desk: CallDesk, kind: str = "no_match", already_counted: bool = False
) -> Screen:
    """The ladder: reprompt; at the limit say so and offer the officer; then goodbye in words."""
    lang = lang_of(call)
    if not already_counted:
        call.misses += 1
    if call.misses < max_misses():  # silence has its own ladder (voice/ivr/silence.py)
        first = "voice.low_confidence" if kind == "low_confidence" else "voice.no_match_1"
        pre = in_each(first, call.language)
        if call.mode == "number":
            pre.append(text(keypad_hint(str(call.mode_data.get("kind", ""))), lang))
        return listening(call, spec_for(call), None, pre=pre)
    if call.misses == max_misses():
        pre = in_each("voice.no_match_2", call.language)
        offer = in_each("voice.offer_officer", call.language)
        return listening(call, spec_for(call), offer, pre=pre, remember=False)
    finish(call, desk, "no_input")
    return ending(call, in_each("voice.goodbye_no_input", call.language))
