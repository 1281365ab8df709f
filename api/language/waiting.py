"""Does the worker want to stop waiting for an officer? One rule for the chat and the phone."""

from __future__ import annotations

from api.domain.digits import ascii_digits
from api.language.answers import refuses

# Words that stop waiting for an officer, in each language and romanised; handoff.meanwhile
# names some of them in every catalog (tests/actions/test_handoff.py holds it to this set).
STOP_WAITING = frozenset(
    {
        "cancel",
        "stop",
        "menu",
        "रद्द",
        "कैंसल",
        "बंद",
        "मेनू",
        "मेन्यू",
        "বাতিল",
        "ক্যানসেল",
        "বন্ধ",
        "মেনু",
        "radd",
        "batil",
    }
)
# The phone's "cancel" key, typed (or sent by a gateway) in any script's digits: 9, ৯, ९.
STOP_KEY = "9"


def wants_to_stop_waiting(text: str, *, nine_answers: bool = False) -> bool:
    """A short message with a stop-waiting word, or a bare 9 unless a 9 answers what is on
    screen (`nine_answers`)."""
    words = [w.strip(".!।") for w in text.casefold().split()]
    if len(words) == 1 and ascii_digits(words[0]) == STOP_KEY:
        return not nine_answers
    return bool(words) and len(words) <= 3 and any(w in STOP_WAITING for w in words)


def cancels_the_wait(speech: str) -> bool:
    """A caller waiting on the phone who says "cancel", "menu" or "leave it" (recognised speech:
    a refusal anywhere in it counts, as in a confirmation)."""
    return wants_to_stop_waiting(speech) or refuses(speech)
