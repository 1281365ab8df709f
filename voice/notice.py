"""A decision read aloud: the automated call a worker who chose calls gets after each decision
(api/services/notices.py queues it). "Press 1 to hear it again, 0 for an officer."
As at every prompt of the line, 9 also says it again and star says it again slower (the speed is
remembered for the number, and a number that chose slow speech before hears it slowly).

Self-contained on purpose: two webhooks, the notice read through a service, read aloud by
voice/readout.py; 0 dials the officers' line when someone can answer, else books a call-back.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from api.integrations.twilio import twiml
from api.integrations.twilio.signature import twilio_form
from api.integrations.twilio.urls import public_url
from api.services import callbacks, handoff, notices, pace
from api.settings import get_settings
from voice.hold import answer_or_hold, known_language
from voice.readout import read_then_gather, say_and_hang_up, xml
from voice.render import answer_clock, utterance
from voice.texts import text

log = logging.getLogger(__name__)
router = APIRouter(tags=["phone line"], dependencies=[Depends(answer_clock)])


def _read(notice_id: int, found: dict[str, str], slow: bool, pre: list[str] | None = None) -> str:
    lang = found["language"]
    words = [
        *(pre or []),
        text("casework.notice_intro", lang),
        found["text"],
        text("casework.notice_keys", lang),
    ]
    action = public_url("/voice/notice/key", notice=notice_id, lang=lang)
    return read_then_gather(lang, words, action, slow=slow)


def _officer(notice_id: int, found: dict[str, str], form: dict[str, str], slow: bool) -> str:
    lang = found["language"]
    number = get_settings().staff_number
    if number and handoff.officer_available():
        response = twiml.VoiceResponse()
        said = text("voice.officer_connecting", lang, reference=found["reference"])
        twiml.speak(response, utterance(said, lang, slow=slow), lang)
        response.dial(number, timeout=30)
        return str(response)
    reference = callbacks.from_notice(notice_id, form.get("To", ""), form.get("CallSid", ""))
    if reference is None:
        return say_and_hang_up(lang, [text("voice.handoff_failed", lang)], slow)
    booked = text("casework.callback_booked", lang, reference=reference)
    return say_and_hang_up(lang, [booked, text("voice.goodbye", lang)], slow)


def _answer(notice_id: int, digits: str, form: dict[str, str]) -> str:
    try:
        return _answer_or_fail(notice_id, digits, form)
    except Exception:  # the worker still hears something polite
        log.exception("reading a notice failed")
        return say_and_hang_up("en", [text("voice.handoff_failed", "en")])


def _answer_or_fail(notice_id: int, digits: str, form: dict[str, str]) -> str:
    found = notices.for_call(notice_id)
    if found is None:
        return say_and_hang_up("en", [text("voice.goodbye", "en")])
    lang, worker = found["language"], form.get("To", "")  # the line called the worker
    slow = pace.remembered_slow_for(worker)
    if digits == "*":  # slower (again: normal speed), remembered for the number
        slow = not slow
        pace.remember_slow_for(worker, slow)
        said = text("voice.slower_on" if slow else "voice.slower_off", lang)
        return _read(notice_id, found, slow, pre=[said])
    if digits in ("1", "9"):
        return _read(notice_id, found, slow)
    if digits == "0":
        return _officer(notice_id, found, form, slow)
    return say_and_hang_up(lang, [text("voice.goodbye", lang)], slow)


def _again(notice_id: int, digits: str, lang: str | None) -> Callable[[int], str]:
    """The same step after "one moment" (Twilio's redirect carries no keys: the URL does). A
    star becomes "again": the first try may have changed the speed already."""
    again = "1" if digits == "*" else digits
    return lambda hop: public_url(
        "/voice/notice/key", notice=notice_id, digits=again, hop=hop, lang=lang
    )


@router.post("/voice/notice")
async def notice_call(
    notice: int = Query(ge=1, le=2**62),
    lang: str | None = Query(default=None, max_length=8),
    form: dict[str, str] = Depends(twilio_form),
) -> Response:
    """The worker picked up: read the notice."""
    said = known_language(lang)
    step = functools.partial(_answer, notice, "1", form)
    return xml(await answer_or_hold(step, _again(notice, "1", said), 0, said))


@router.post("/voice/notice/key")
async def notice_key(
    notice: int = Query(ge=1, le=2**62),
    digits: str | None = Query(default=None, max_length=2),
    hop: int = Query(default=0, ge=0, le=100),
    lang: str | None = Query(default=None, max_length=8),
    form: dict[str, str] = Depends(twilio_form),
) -> Response:
    """1 or 9 again, star again slower, 0 an officer, anything else (or silence) goodbye."""
    pressed = (form.get("Digits") or digits or "").strip()
    said = known_language(lang)
    step = functools.partial(_answer, notice, pressed, form)
    return xml(await answer_or_hold(step, _again(notice, pressed, said), hop, said))
