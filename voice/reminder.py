"""A reminder read aloud: the automated call a worker who chose calls gets with each reminder
(api/services/reminders.py queues it). "Press 1 to hear it again, 9 for no more reminders."

Self-contained like voice/notice.py: two webhooks, the reminder read through a service. Star
says it again slower (remembered for the number, as on the line); 9 here is "no more reminders",
as the call says (docs/contracts.md, "Reminders"), and 1 is "again".
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from api.integrations.twilio.signature import twilio_form
from api.integrations.twilio.urls import public_url
from api.services import pace, reminders
from voice.hold import answer_or_hold, known_language
from voice.readout import read_then_gather, say_and_hang_up, xml
from voice.render import answer_clock
from voice.texts import text

log = logging.getLogger(__name__)
router = APIRouter(tags=["phone line"], dependencies=[Depends(answer_clock)])


def _read(reminder_id: int, found: dict[str, str], slow: bool, pre: list[str] | None = None) -> str:
    lang = found["language"]
    words = [
        *(pre or []),
        text("reminder.call_intro", lang),
        found["text"],
        text("reminder.call_keys", lang),
    ]
    action = public_url("/voice/reminder/key", reminder=reminder_id, lang=lang)
    return read_then_gather(lang, words, action, slow=slow)


def _answer(reminder_id: int, digits: str, worker: str) -> str:
    try:
        found = reminders.for_call(reminder_id)
        if found is None:
            return say_and_hang_up("en", [text("voice.goodbye", "en")])
        lang = found["language"]
        slow = pace.remembered_slow_for(worker)
        if digits == "*":  # slower (again: normal speed), remembered for the number
            slow = not slow
            pace.remember_slow_for(worker, slow)
            said = text("voice.slower_on" if slow else "voice.slower_off", lang)
            return _read(reminder_id, found, slow, pre=[said])
        if digits == "1":
            return _read(reminder_id, found, slow)
        if digits == "9" and reminders.stop_from_call(reminder_id):
            return say_and_hang_up(lang, [text("reminder.stopped_call", lang)], slow)
        return say_and_hang_up(lang, [text("voice.goodbye", lang)], slow)
    except Exception:  # the worker still hears something polite
        log.exception("reading a reminder failed")
        return say_and_hang_up("en", [text("voice.handoff_failed", "en")])


def _again(reminder_id: int, digits: str, lang: str | None) -> Callable[[int], str]:
    """The same step after "one moment" (the redirect carries no keys: the URL does); a star
    becomes "again": the first try may have changed the speed already."""
    again = "1" if digits == "*" else digits
    return lambda hop: public_url(
        "/voice/reminder/key", reminder=reminder_id, digits=again, hop=hop, lang=lang
    )


@router.post("/voice/reminder")
async def reminder_call(
    reminder: int = Query(ge=1, le=2**62),
    lang: str | None = Query(default=None, max_length=8),
    form: dict[str, str] = Depends(twilio_form),
) -> Response:
    """The worker picked up: read the reminder."""
    said = known_language(lang)
    step = functools.partial(_answer, reminder, "1", form.get("To", ""))
    return xml(await answer_or_hold(step, _again(reminder, "1", said), 0, said))


@router.post("/voice/reminder/key")
async def reminder_key(
    reminder: int = Query(ge=1, le=2**62),
    digits: str | None = Query(default=None, max_length=2),
    hop: int = Query(default=0, ge=0, le=100),
    lang: str | None = Query(default=None, max_length=8),
    form: dict[str, str] = Depends(twilio_form),
) -> Response:
    """1 again, star again slower, 9 no more reminders, anything else (or silence) goodbye."""
    pressed = (form.get("Digits") or digits or "").strip()
    said = known_language(lang)
    step = functools.partial(_answer, reminder, pressed, form.get("To", ""))
    return xml(await answer_or_hold(step, _again(reminder, pressed, said), hop, said))
