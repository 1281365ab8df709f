"""What the caller hears next and what the line does after it, as plain data.

The IVR's steps return a `Screen` (or an `Ask` for the assistant); voice/render.py turns a Screen
into TwiML with audio. Keeping them apart lets the call flow be read and tested without Twilio's
XML, and gives one place where every prompt is spoken.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from api.integrations.twilio.twiml import GatherSpec
from api.services.calls import CallRecord

After = Literal["hangup", "dial", "enqueue", "wait"]


@dataclass(frozen=True)
class Listen:
    """A <Gather> for the call's next turn."""

    turn: int
    mode: str
    spec: GatherSpec


@dataclass
class Screen:
    lang: str
    texts: list[str]
    slow: bool = False
    listen: Listen | None = None
    after: After | None = None
    dial_to: str | None = None  # after == "dial"
    dial_status: bool = True  # report how the <Dial> ended (/voice/dial-status)
    wait_turn: int = 0  # after == "wait": the turn whose answer is awaited
    wait_hop: int = 0
    call_sid: str = ""  # whose personal audio this is (deleted when the call ends)


@dataclass(frozen=True)
class Ask:
    """The caller's input goes to the assistant; its reply makes the next Screen."""

    text: str
    language: str
    choice: str = ""  # a keypad menu's service: `menu_choice` in the message's metadata
    caller: str = ""  # the caller's number (E.164) if usable: `caller_phone` in the metadata


Outcome = Screen | Ask


def lang_of(call: CallRecord) -> str:
    return call.language or "en"


def listening(
    call: CallRecord,
    spec: GatherSpec,
    prompt: list[str] | None,
    *,
    pre: list[str] | None = None,
    remember: bool = True,
) -> Screen:
    """Speak `pre` once, then `prompt` (what 9 repeats), listening for the next turn."""
    if prompt is None:
        prompt = list(call.last_prompt)
    elif remember:
        call.last_prompt = list(prompt)
    call.turn += 1
    return Screen(
        lang=lang_of(call),
        texts=[*(pre or []), *prompt],
        slow=call.slow,
        listen=Listen(call.turn, call.mode, spec),
        call_sid=call.call_sid,
    )


def ending(call: CallRecord, texts: list[str]) -> Screen:
    return Screen(
        lang=lang_of(call), texts=texts, slow=call.slow, after="hangup", call_sid=call.call_sid
    )


@dataclass
class Input:
    """One answered <Gather>: keys, or speech with the recogniser's confidence."""

    digits: str = ""
    speech: str = ""
    confidence: float = 1.0
    extra: dict[str, str] = field(default_factory=dict)
