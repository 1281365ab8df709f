"""What a reply asks for, as a machine-readable part the channels act on (docs/contracts.md,
"Reply payloads"): the phone line picks its keypad prompt, digit count and keys from it instead
of guessing from the words.

Rasa sends each message's `custom` part right after its text, so a channel can tell which text
carried which expectation.
"""

from __future__ import annotations

from typing import Any

# Digits a keypad caller types for each number the assistant asks for (None: any length).
NUMBER_DIGITS: dict[str, int | None] = {
    "uan": 12,
    "dob": 8,
    "date": 8,
    "last4": 4,
    "otp": 6,
    "phone": 10,  # a lost UAN: the registered mobile number
    "reference": 6,  # a request's reference: its last six digits on the keypad
    "account": None,  # a bank account number (9-18 digits), never read back
    "age": None,
    "income": None,
}


def number(what: str) -> dict[str, Any]:
    """A number: `what` is uan, dob, date (DDMMYYYY on the keypad), last4, otp, phone,
    reference, account, age or income."""
    return {"expect": {"kind": "number", "what": what, "digits": NUMBER_DIGITS[what]}}


def yes_no(yes: str, no: str) -> dict[str, Any]:
    """Yes or no: key 1 sends `yes`, key 2 sends `no` (the words the assistant understands)."""
    return {"expect": {"kind": "yes_no", "keys": {"1": yes, "2": no}}}


def options(count: int) -> dict[str, Any]:
    """One of `count` numbered options listed in the text: the key pressed is the answer."""
    return {"expect": {"kind": "options", "count": count}}


def menu() -> dict[str, Any]:
    """The main menu (or "anything else?"): a channel with its own menu may say that instead."""
    return {"expect": {"kind": "menu"}}


def free_text() -> dict[str, Any]:
    """Words (a description, a complaint): speech on the phone, a key means an officer takes it."""
    return {"expect": {"kind": "free_text"}}


def keyed_text(words: str) -> dict[str, Any]:
    """The same message for a caller on keys: keypad words, no read-back (keys are not misheard)."""
    return {"keyed_text": words}


def end() -> dict[str, Any]:
    """The conversation is over: a phone call ends after this message."""
    return {"end": True}
