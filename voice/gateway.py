"""Public Twilio webhooks of the phone line and SMS/WhatsApp (`voice.gateway:router`).

Twilio waits at most 15 seconds for an answer, and a caller must hear words within 5. Each
call step (the greeting, a key, the assistant's answer) runs as a task keyed by CallSid + turn
(voice/turns.py); the webhook waits for it until the words are due (ANSWER_WITHIN_S, or
VOICE_TURN_WAIT_S for the assistant), and if it is slower, whatever is slow (the database, a
thread, Rasa, speech), it says "one moment" at once (no database, no speech waited for) and
<Redirect>s to /voice/wait to pick the answer up.
A webhook delivered twice finds the turn's task or row and replays (or waits for) the same answer.
Every step's state and side effects go through the calls service (api/services/calls.py).
A caller number over WEBHOOK_RATE_LIMIT (calls, missed calls, messages) is told once, politely,
in its language, then answered in silence; the request does no work (HTTP 200: Twilio plays or
sends nothing from an error status).
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import re
from pathlib import Path

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import FileResponse, JSONResponse, Response

from api.domain.phones import normalise_phone
from api.integrations.twilio import twiml
from api.integrations.twilio.signature import twilio_form, twilio_get
from api.integrations.twilio.urls import public_url
from api.ratelimit import Verdict
from api.services import calls
from api.services import language as language_service
from api.services.calls import CallDesk, CallRecord
from api.settings import get_settings
from locales import translate
from voice import assistant, ivr, notice, reminder, sms, tts, turns, voice_note
from voice.hold import answer_or_hold, known_language
from voice.readout import xml
from voice.render import answer_clock, answer_left, render

log = logging.getLogger(__name__)
router = APIRouter(tags=["phone line"], dependencies=[Depends(answer_clock)])
router.include_router(notice.router)  # a decision read aloud to the worker
router.include_router(reminder.router)  # a reminder read aloud to the worker
router.include_router(voice_note.router)  # voice-note replies, by signed and expiring URL

AUDIO_NAME = re.compile(r"^[0-9a-f]{40}\.(wav|mp3|json)$")


def _lang(value: str | None) -> str:
    return value if value in ("bn", "hi", "en") else "en"


GIVE_UP_S = 1.0  # kept from the last wait for storing "too slow, an officer?" in time


def _emergency(lang: str) -> Response:
    return xml(render(ivr.emergency(lang), wait=False))


def _hold(turn: int, hop: int, lang: str | None) -> str:
    """'One moment' now: no database, no speech waited for (a prompt rendered before is played,
    else Twilio says it); `lang` None: the call's language is not read yet, said in each."""
    return render(ivr.hold(None, turn, hop, lang), wait=False)


def _limited(request: Request, form: dict[str, str], scope: str) -> tuple[Verdict, str]:
    """Over the per-number limit? And the language to say so in (looked up only to say it)."""
    raw = form.get("From", "")
    number = normalise_phone(raw) or raw[:40] or "-"
    verdict = request.app.state.limiter.check(get_settings().webhook_rate_limit, scope, number)
    lang = "bn"
    if not verdict.allowed and verdict.notify:
        lang = language_service.remembered_for(number, actor=f"{scope}-limit") or "bn"
    return verdict, lang


def _first_state(form: dict[str, str]) -> CallRecord:
    direction = form.get("Direction", "inbound")
    caller = form.get("To" if direction.startswith("outbound") else "From", "")
    return CallRecord(
        call_sid=form.get("CallSid", ""), caller=caller[:40], direction=direction[:20]
    )


def _start(form: dict[str, str], turn: int) -> str:
    def step(call: CallRecord | None, desk: CallDesk) -> str:
        assert call is not None
        return desk.store_turn(turn, render(ivr.start(call, desk)))

    return calls.transact(form.get("CallSid", ""), step, start=_first_state(form))


@router.post("/voice/incoming")
async def voice_incoming(request: Request, form: dict[str, str] = Depends(twilio_form)) -> Response:
    sid = form.get("CallSid", "")
    if not sid:
        raise HTTPException(status_code=400, detail="CallSid missing")
    try:
        turns.start(sid, 0, lambda: _incoming(request, form))
        return xml(await _wait_or_hold(sid, 0, 0, None))
    except Exception:
        log.exception("voice incoming failed")
        return _emergency("en")


async def _incoming(request: Request, form: dict[str, str]) -> str:
    """The first step of a call: over the limit, a polite no; else the greeting."""
    sid = form.get("CallSid", "")
    verdict, lang = await turns.blocking(_limited, request, form, "voice")
    if not verdict.allowed:
        if verdict.notify:
            return twiml.say_and_hang_up(translate("voice.too_many_calls", lang), lang)
        return twiml.reject_busy()
    previous = await turns.blocking(calls.claim_turn, sid, 0)
    if previous is not None and previous.twiml:
        return previous.twiml
    return await turns.blocking(_start, form, 0)


def _heard(form: dict[str, str]) -> ivr.Input:
    try:
        confidence = float(form.get("Confidence") or 1.0)
    except ValueError:
        confidence = 1.0
    return ivr.Input(
        digits=form.get("Digits") or "",
        speech=form.get("SpeechResult") or "",
        confidence=confidence,
    )


def _on_input(sid: str, turn: int, form: dict[str, str]) -> str | ivr.Ask:
    """TwiML to answer now, or what to ask the assistant first."""

    def step(call: CallRecord | None, desk: CallDesk) -> str | ivr.Ask:
        assert call is not None
        if call.turn == 0:  # a webhook for a call we never saw start: start it now
            return desk.store_turn(turn, render(ivr.start(call, desk)))
        outcome = ivr.on_input(call, desk, _heard(form))
        if isinstance(outcome, ivr.Ask):
            ivr.note_caller(call, outcome.text)
            return outcome
        return desk.store_turn(turn, render(outcome))

    return calls.transact(sid, step, start=_first_state(form))


@router.post("/voice/gather")
async def voice_gather(
    turn: int = Query(ge=1, le=100_000),
    lang: str | None = Query(default=None, max_length=5),
    form: dict[str, str] = Depends(twilio_form),
) -> Response:
    sid = form.get("CallSid", "")
    if not sid:
        raise HTTPException(status_code=400, detail="CallSid missing")
    lang = _lang(lang)
    try:
        turns.start(sid, turn, lambda: _gathered(sid, turn, form))
        return xml(await _wait_or_hold(sid, turn, 0, lang))
    except Exception:
        log.exception("voice turn failed")
        return _emergency(lang)


async def _gathered(sid: str, turn: int, form: dict[str, str]) -> str:
    """A <Gather> answered: the next screen, or the assistant's answer to what was heard."""
    previous = await turns.blocking(calls.claim_turn, sid, turn)
    if previous is not None:  # the same webhook again: never do the work twice
        return previous.twiml or await turns.stored(sid, turn)
    outcome = await turns.blocking(_on_input, sid, turn, form)
    if isinstance(outcome, str):
        return outcome
    turns.asking(sid, turn)
    return await _run_turn(sid, turn, outcome)


@router.post("/voice/wait")
async def voice_wait(
    turn: int = Query(ge=0, le=100_000),
    hop: int = Query(default=1, ge=0, le=100),
    lang: str | None = Query(default=None, max_length=5),
    form: dict[str, str] = Depends(twilio_form),
) -> Response:
    sid = form.get("CallSid", "")
    lang = _lang(lang)
    try:
        said = None if turn == 0 else lang  # the greeting's: its language may be unknown yet
        return xml(await _wait_or_hold(sid, turn, hop, said))
    except Exception:
        log.exception("voice wait failed")
        return _emergency(lang)


def _after_reply(sid: str, turn: int, reply: assistant.Reply | None) -> str:
    def step(call: CallRecord | None, desk: CallDesk) -> str:
        done = desk.turn(turn)
        if done is not None and done.status != "pending" and done.twiml:
            return done.twiml  # gave up waiting already; the caller has moved on
        if call is None:
            return render(ivr.emergency("en"))
        return desk.store_turn(turn, render(ivr.after_reply(call, desk, reply)))

    return calls.transact(sid, step)


async def _run_turn(sid: str, turn: int, asked: ivr.Ask) -> str:
    lang = asked.language
    try:
        reply: assistant.Reply | None = await assistant.ask(
            f"voice:{sid}",
            asked.text,
            channel="voice",
            language=lang,
            menu_choice=asked.choice or None,
            caller_phone=asked.caller or None,
        )
    except assistant.AssistantError:
        reply = None
    try:
        return await turns.blocking(_after_reply, sid, turn, reply)
    except Exception:
        log.exception("rendering the assistant's answer failed")
        failed = render(ivr.emergency(lang), wait=False)
        return await turns.blocking(calls.store_turn, sid, turn, failed)


def _give_up(sid: str, turn: int) -> str:
    def step(call: CallRecord | None, desk: CallDesk) -> str:
        if call is None:
            return render(ivr.emergency("en"))
        done = desk.turn(turn)
        if done is not None and done.status == "done" and done.twiml:
            return done.twiml
        return desk.store_turn(turn, render(ivr.give_up(call)), status="failed")

    return calls.transact(sid, step)


async def _wait_or_hold(sid: str, turn: int, hop: int, lang: str | None) -> str:
    """The step's answer if it comes before the caller's words are due, else "one moment"
    (after VOICE_MAX_HOLDS of them: too slow, an officer is offered)."""
    settings = get_settings()
    last = hop >= settings.voice_max_holds
    budget = answer_left() - (GIVE_UP_S if last else 0.0)
    if hop == 0:  # the assistant gets VOICE_TURN_WAIT_S from the moment it is asked
        found = await turns.result(sid, turn, budget, settings.voice_turn_wait_s)
    else:
        found = await turns.result(sid, turn, min(settings.voice_hold_wait_s, budget))
    if found is not None:
        return found
    if not last:
        return _hold(turn, hop + 1, lang)
    turns.cancel(sid, turn)
    given_up = await turns.within(turns.blocking(_give_up, sid, turn), answer_left())
    return given_up or render(ivr.emergency(lang or "en"), wait=False)


def _dial_finished(form: dict[str, str]) -> str:
    def step(call: CallRecord | None, desk: CallDesk) -> str:
        if call is None:
            return render(ivr.emergency("en"))
        return render(ivr.dial_finished(call, desk, form.get("DialCallStatus", "")))

    return calls.transact(form.get("CallSid", ""), step)


@router.post("/voice/dial-status")
async def voice_dial_status(
    lang: str | None = Query(default=None, max_length=5),
    status: str | None = Query(default=None, max_length=20),
    hop: int = Query(default=0, ge=0, le=100),
    form: dict[str, str] = Depends(twilio_form),
) -> Response:
    """How the officer's <Dial> ended; `status`, on a redirect after "one moment" (which carries
    no DialCallStatus of its own)."""
    said = known_language(lang)
    ended = form.get("DialCallStatus") or status or ""
    step = functools.partial(_dial_finished, {**form, "DialCallStatus": ended})

    def again(next_hop: int) -> str:
        return public_url("/voice/dial-status", lang=said, status=ended, hop=next_hop)

    try:
        return xml(await answer_or_hold(step, again, hop, said))
    except Exception:
        log.exception("dial status failed")
        return _emergency(said or "en")


def _status(form: dict[str, str]) -> None:
    sid = form.get("CallSid", "")
    ended = calls.record_status(
        sid,
        form.get("CallStatus") or "",
        form.get("Direction") or "",
        form.get("CallDuration") or "",
    )
    if ended:

        def finish(call: CallRecord | None, desk: CallDesk) -> None:
            if call is not None:
                ivr.finish(call, desk, "hangup")

        calls.transact(sid, finish)
        tts.forget_call(sid)  # the call's personal audio goes with it


@router.post("/voice/status")
async def voice_status(form: dict[str, str] = Depends(twilio_form)) -> Response:
    try:
        await asyncio.to_thread(_status, form)
    except Exception:
        log.exception("call status not recorded")
        return Response(status_code=500)
    return Response(status_code=204)


@router.post("/voice/missed-call")
async def voice_missed_call(
    request: Request, form: dict[str, str] = Depends(twilio_form)
) -> Response:
    """Reject (free for the caller), then call back through the REST API, durably, and open a
    call-back case for an officer."""
    caller, sid = form.get("From", ""), form.get("CallSid", "")
    verdict, _ = await asyncio.to_thread(_limited, request, form, "missed")
    if sid and verdict.allowed:
        try:
            await asyncio.to_thread(calls.missed_call, caller, sid)
        except Exception:
            log.exception("could not queue the call-back")
    return xml(twiml.reject_busy())


@router.get("/voice/audio/p/{stem}.txt", dependencies=[Depends(twilio_get)])
def voice_personal_text(stem: str) -> JSONResponse:
    """The words of a personal audio file while its call lasts (the simulator), signed."""
    meta = tts.personal_meta(stem) if re.fullmatch(r"[0-9a-f]{40}", stem) else None
    if meta is None:
        raise HTTPException(status_code=404, detail="not found")
    return JSONResponse(meta)


@router.get("/voice/audio/p/{name}", response_model=None)
def voice_personal_audio(name: str) -> FileResponse:
    """A caller's own read-back: never cached on the way (no-store)."""
    if not tts.PERSONAL_NAME.match(name):
        raise HTTPException(status_code=404, detail="not found")
    return _audio_file(tts.personal_dir() / name, "no-store")


@router.get("/voice/audio/{key}.txt", dependencies=[Depends(twilio_get)])
def voice_audio_text(key: str) -> JSONResponse:
    """The words behind an audio file, for the call simulator (signed like a Twilio request)."""
    meta = tts.read_meta(key) if re.fullmatch(r"[0-9a-f]{40}", key) else None
    if meta is None:
        raise HTTPException(status_code=404, detail="not found")
    return JSONResponse(json.loads(json.dumps(meta)))


@router.get("/voice/audio/{name}", response_model=None)
def voice_audio(name: str) -> FileResponse:
    if not AUDIO_NAME.match(name) or name.endswith(".json"):
        raise HTTPException(status_code=404, detail="not found")
    return _audio_file(tts.cache_dir() / name, "max-age=86400")


def _audio_file(path: Path, cache_control: str) -> FileResponse:
    """A rendered wav/mp3 file, 404 when it is gone (expired, or erased at the call's end)."""
    if not path.is_file():
        raise HTTPException(status_code=404, detail="not found")
    media = "audio/wav" if path.suffix == ".wav" else "audio/mpeg"
    return FileResponse(path, media_type=media, headers={"Cache-Control": cache_control})


@router.post("/sms/incoming")
async def sms_incoming(request: Request, form: dict[str, str] = Depends(twilio_form)) -> Response:
    verdict, lang = await asyncio.to_thread(_limited, request, form, "sms")
    if not verdict.allowed:
        notice = [translate("voice.sms_too_many", lang)] if verdict.notify else []
        return xml(twiml.messages(notice))
    try:
        return xml(await sms.handle_incoming(form))
    except Exception:
        log.exception("sms webhook failed")
        return xml(twiml.messages([translate("voice.sms_failed", "en")]))
