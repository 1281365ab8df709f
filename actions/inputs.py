"""Read what the worker said: entities, numbers, dates, yes/no, menu numbers.

Parsing of numbers and dates is the backend's pure helpers (`api.domain.parsing`); this module
only decides which part of the message to hand them.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from rasa_sdk import Tracker

from api.domain.accidents import ACCIDENT, accident_outcome
from api.domain.codes import CLAIM_TYPES
from api.domain.parsing import normalise_digits, parse_age, parse_amount, parse_date, parse_uan
from api.language.answers import refuses, yes_or_no
from locales import LOCALES, translate

# Intents that mean "the worker wants something else", not "here is my answer".
DIGRESSION_INTENTS = frozenset(
    {
        "talk_to_human",
        "help",
        "greet",
        "thank",
        "change_language",
        "repeat",
        "goodbye",
        "check_status",
        "renew_registration",
        "file_claim",
        "check_eligibility",
        "update_nominee",
        "pension_issue",
        "register",
        "give_feedback",
        "ask_scheme_info",
        "lost_uan",
        "correct_record",
    }
)
_MAX_WINDOW = 6


def intent_of(tracker: Tracker) -> str:
    return str((tracker.latest_message.get("intent") or {}).get("name") or "")


def message_text(tracker: Tracker) -> str:
    return str(tracker.latest_message.get("text") or "").strip()


def entity_values(tracker: Tracker, entity: str) -> list[str]:
    return [
        str(e.get("value"))
        for e in tracker.latest_message.get("entities") or []
        if e.get("entity") == entity and e.get("value") is not None
    ]


def first_entity(tracker: Tracker, entity: str) -> str | None:
    values = entity_values(tracker, entity)
    return values[0] if values else None


def claim_type_named(tracker: Tracker) -> str | None:
    """The claim type the message names; a bare "accident" only if the message says its outcome."""
    value = first_entity(tracker, "claim_type")
    if value == ACCIDENT:
        return accident_outcome(message_text(tracker))
    return value if value in CLAIM_TYPES else None


def is_digression(tracker: Tracker) -> bool:
    return intent_of(tracker) in DIGRESSION_INTENTS


def _windows(text: str) -> list[str]:
    """Spans of the message, longest first, so "my birthday is 14 March 1988" finds the date."""
    tokens = text.split()
    spans: list[str] = []
    for size in range(min(len(tokens), _MAX_WINDOW), 0, -1):
        for start in range(len(tokens) - size + 1):
            spans.append(" ".join(tokens[start : start + size]))
    return spans


def find_date(tracker: Tracker, today: date | None = None) -> date | None:
    """The longest stretch of the message that is a date, then the NLU's date entities.

    The message comes first because the CRF can cut a spoken date short ("twentieth november
    nineteen ninety" of "... ninety five"), and that prefix is a valid, wrong date.
    """
    text = message_text(tracker)
    for span in [text, *_windows(text)]:  # the whole message first, then shorter stretches
        found = parse_date(span, today=today)
        if found:
            return found
    for candidate in entity_values(tracker, "date"):
        found = parse_date(candidate, today=today)
        if found:
            return found
    return None


def find_uan(tracker: Tracker) -> str | None:
    for candidate in [*entity_values(tracker, "uan"), message_text(tracker)]:
        found = parse_uan(candidate)
        if found:
            return found
    return None


def _digit_runs(text: str) -> list[str]:
    return re.findall(r"\d+", re.sub(r"(?<=\d)[\s\-](?=\d)", "", normalise_digits(text)))


def find_last4(tracker: Tracker) -> str | None:
    for candidate in [*entity_values(tracker, "digits"), message_text(tracker)]:
        runs = _digit_runs(candidate)
        if len(runs) == 1 and len(runs[0]) == 4:
            return runs[0]
    return None


def find_otp(tracker: Tracker) -> str | None:
    """The six digits of a texted code ("123 456", "১২৩৪৫৬"), else None."""
    for candidate in [*entity_values(tracker, "digits"), message_text(tracker)]:
        runs = _digit_runs(candidate)
        if len(runs) == 1 and len(runs[0]) == 6:
            return runs[0]
    return None


def find_number(tracker: Tracker) -> str | None:
    """The one number in the message (digit groups joined, any script), else None."""
    runs = _digit_runs(message_text(tracker))
    return runs[0] if len(runs) == 1 else None


def find_age(tracker: Tracker) -> int | None:
    for candidate in [*entity_values(tracker, "age"), message_text(tracker)]:
        found = parse_age(candidate)
        if found:
            return found
    return None


def find_amount(tracker: Tracker) -> int | None:
    for candidate in [*entity_values(tracker, "income"), message_text(tracker)]:
        found = parse_amount(candidate)
        if found is not None:
            return found
    runs = _digit_runs(message_text(tracker))
    return int(runs[0]) if len(runs) == 1 else None


def number_choice(tracker: Tracker, count: int) -> int | None:
    """A bare menu number ("2", "২", "do") between 1 and `count`, else None."""
    runs = _digit_runs(message_text(tracker))
    text_only_number = re.fullmatch(r"\W*\d+\W*", normalise_digits(message_text(tracker)))
    if len(runs) == 1 and text_only_number and 1 <= int(runs[0]) <= count:
        return int(runs[0])
    return None


def _same(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def yes_no(tracker: Tracker) -> bool | None:
    """True for yes, False for no, None when the message is neither."""
    text = message_text(tracker)
    for lang in LOCALES:
        if _same(text, translate("common.yes", lang)):
            return True
        if _same(text, translate("common.no", lang)):
            return False
    said = yes_or_no(text)  # "हाँ, PF कटता है", "no, that's wrong": the first word decides
    if said is not None:
        return said
    if refuses(text):  # "रहने दीजिए, मत भेजिए": no "no", still a no
        return False
    intent = intent_of(tracker)
    if intent == "affirm":
        return True
    if intent == "deny":
        return False
    return None


def pick_code(tracker: Tracker, entity: str, codes: tuple[str, ...], kind: str) -> str | None:
    """A code from its entity, its menu number, or its label typed in any language."""
    for value in entity_values(tracker, entity):
        if value in codes:
            return value
    choice = number_choice(tracker, len(codes))
    if choice:
        return codes[choice - 1]
    text = message_text(tracker)
    for code in codes:
        if _same(text, code):
            return code
        for lang in LOCALES:
            if _same(text, translate(f"{kind}.{code}", lang)):
                return code
    return None


def metadata(tracker: Tracker) -> dict[str, Any]:
    return dict(tracker.latest_message.get("metadata") or {})


def channel_of(tracker: Tracker) -> str:
    """The channel the worker uses (voice/whatsapp/sms/web), told by the gateway in metadata."""
    value = metadata(tracker).get("channel") or tracker.get_latest_input_channel() or "web"
    return "web" if value == "rest" else str(value)


# Memberships that rule PM-SYM out, as workers name them (the backend decides what they mean).
MEMBERSHIP_WORDS: dict[str, tuple[str, ...]] = {
    "epf_member": ("epf", "pf", "provident", "पीएफ", "ईपीएफ", "भविष्य निधि", "পিএফ", "ইপিএফ"),
    "esic_member": ("esic", "esi", "ईएसआईसी", "ईएसआई", "ইএসআইসি", "ইএসআই"),
    "nps_member": ("nps", "एनपीएस", "এনপিএস"),
    "income_tax_payer": (
        "income tax", "tax", "itr", "आयकर", "इनकम टैक्स", "टैक्स", "আয়কর", "ইনকাম ট্যাক্স", "ট্যাক্স",
    ),
}  # fmt: skip
NEGATIONS = frozenset({"no", "not", "don't", "dont", "nahi", "nahin", "नहीं", "না", "নেই", "nai"})


def mentioned_memberships(tracker: Tracker) -> dict[str, bool]:
    """Memberships the message says the worker has ("I have PF at my job"), never guessed from
    a message that also says no."""
    text = f" {message_text(tracker).casefold()} "
    words = set(re.findall(r"[\w\u0980-\u09ff\u0900-\u097f']+", text))
    if words & NEGATIONS:
        return {}
    return {
        slot: True
        for slot, names in MEMBERSHIP_WORDS.items()
        if any(re.search(rf"(?<![\w]){re.escape(n)}(?![\w])", text) for n in names)
    }
