"""Public Twilio webhooks (voice, SMS, WhatsApp), mounted in the API as `voice.gateway:router`.

Twilio waits at most 15 seconds for an answer. A turn that needs the assistant runs as a
background task keyed by CallSid + turn; the webhook waits a few seconds for it, and if the
assistant is slower it says "one moment" and <Redirect>s to /voice/wait to pick the answer up.
A webhook delivered twice finds the turn's row and replays (or waits for) the same answer.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import FileResponse, JSONResponse, Response
from twilio.twiml.voice_response import VoiceResponse

from api.db.session import session_scope
from api.messaging import outbound
from api.messaging.routes import router as messaging_router
from api.settings import get_settings
from voice import assistant, ivr, sms, tts
from voice.signature import twilio_form, twilio_get

log = logging.getLogger(__name__)
router = APIRouter(tags=["phone line"])
router.include_router(messaging_router)

_tasks: dict[tuple[str, int], asyncio.Task[str]] = {}
AUDIO_NAME = re.compile(r"^[0-9a-f]{40}\.(wav|mp3|json)$")
XML = "application/xml"


# Seconds to wait for the assistant before "one moment", per hold, and holds before giving up.
# Read from settings when it has these fields (VOICE_TURN_WAIT_S, ...), else these defaults.
def _timing(name: str) -> float:
    return float(getattr(get_settings(), name))


def _xml(twiml: str) -> Response:
    return Response(content=twiml, media_type=XML)


def _lang(value: str | None) -> str:
    return value if value in ("bn", "hi", "en") else "en"


@router.post("/voice/incoming")
async def voice_incoming(form: dict[str, str] = Depends(twilio_form)) -> Response:
    sid = form.get("CallSid", "")
    if not sid:
        raise HTTPException(status_code=400, detail="CallSid missing")
    try:
        previous = await asyncio.to_thread(ivr.claim_turn, sid, 0)
        if previous is not None and previous.twiml:
            return _xml(previous.twiml)
        twiml = await asyncio.to_thread(ivr.start_call, form)
        await asyncio.to_thread(_store, sid, 0, twiml)
        return _xml(twiml)
    except Exception:
        log.exception("voice incoming failed")
        return _xml(ivr.emergency("en"))


def _store(sid: str, turn: int, twiml: str) -> None:
    with session_scope() as s:
        ivr._store(s, sid, turn, twiml)


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
        previous = await asyncio.to_thread(ivr.claim_turn, sid, turn)
        if previous is not None:  # the same webhook again: never do the work twice
            if previous.twiml:
                return _xml(previous.twiml)
            return _xml(await _wait_or_hold(sid, turn, 0, lang))
        outcome = await asyncio.to_thread(ivr.handle_input, sid, turn, form)
        if outcome.twiml is not None:
            return _xml(outcome.twiml)
        key = (sid, turn)
        task = asyncio.create_task(_run_turn(sid, turn, outcome.ask or "", outcome.language))
        _tasks[key] = task
        task.add_done_callback(lambda _t: _tasks.pop(key, None))
        return _xml(await _wait_or_hold(sid, turn, 0, outcome.language))
    except Exception:
        log.exception("voice turn failed")
        return _xml(ivr.emergency(lang))


@router.post("/voice/wait")
async def voice_wait(
    turn: int = Query(ge=1, le=100_000),
    hop: int = Query(default=1, ge=0, le=100),
    lang: str | None = Query(default=None, max_length=5),
    form: dict[str, str] = Depends(twilio_form),
) -> Response:
    sid = form.get("CallSid", "")
    lang = _lang(lang)
    try:
        return _xml(await _wait_or_hold(sid, turn, hop, lang))
    except Exception:
        log.exception("voice wait failed")
        return _xml(ivr.emergency(lang))


async def _run_turn(sid: str, turn: int, text: str, lang: str) -> str:
    try:
        reply: assistant.Reply | None = await assistant.ask(
            ivr.conversation_sender(sid), text, channel="voice", language=lang
        )
    except assistant.AssistantError:
        reply = None
    try:
        return await asyncio.to_thread(ivr.after_reply, sid, turn, reply)
    except Exception:
        log.exception("rendering the assistant's answer failed")
        twiml = ivr.emergency(lang)
        await asyncio.to_thread(_store, sid, turn, twiml)
        return twiml


async def _await_turn(sid: str, turn: int, budget: float) -> str | None:
    """The turn's TwiML if it is ready within `budget` seconds, else None."""
    task = _tasks.get((sid, turn))
    if task is not None:
        done, _ = await asyncio.wait({task}, timeout=budget)
        if done:
            return task.result()
        return None
    loop = asyncio.get_running_loop()
    deadline = loop.time() + budget
    while True:  # another process (or a finished task) owns the turn: read its row
        row = await asyncio.to_thread(ivr.get_turn, sid, turn)
        if row is not None and row.status != "pending" and row.twiml:
            return row.twiml
        if row is None or loop.time() >= deadline:
            return None
        await asyncio.sleep(0.2)


async def _wait_or_hold(sid: str, turn: int, hop: int, lang: str) -> str:
    budget = _timing("voice_turn_wait_s") if hop == 0 else _timing("voice_hold_wait_s")
    twiml = await _await_turn(sid, turn, budget)
    if twiml is not None:
        return twiml
    if hop >= int(_timing("voice_max_holds")):
        task = _tasks.get((sid, turn))
        if task is not None:
            task.cancel()
        return await asyncio.to_thread(ivr.give_up, sid, turn)
    return await asyncio.to_thread(ivr.hold, sid, turn, hop + 1, lang)


@router.post("/voice/dial-status")
async def voice_dial_status(form: dict[str, str] = Depends(twilio_form)) -> Response:
    try:
        return _xml(await asyncio.to_thread(ivr.dial_finished, form))
    except Exception:
        log.exception("dial status failed")
        return _xml(ivr.emergency("en"))


@router.post("/voice/status")
async def voice_status(form: dict[str, str] = Depends(twilio_form)) -> Response:
    try:
        await asyncio.to_thread(ivr.record_status, form)
    except Exception:
        log.exception("call status not recorded")
        return Response(status_code=500)
    return Response(status_code=204)


@router.post("/voice/missed-call")
async def voice_missed_call(form: dict[str, str] = Depends(twilio_form)) -> Response:
    """Reject (free for the caller), then call back through the REST API, durably."""
    caller = form.get("From", "")
    sid = form.get("CallSid", "")
    if re.fullmatch(r"\+\d{8,15}", caller) and sid:

        def queue() -> None:
            with session_scope() as s:
                outbound.enqueue_call(s, caller, reason="missed_call", dedupe_key=f"missed:{sid}")

        try:
            await asyncio.to_thread(queue)
        except Exception:
            log.exception("could not queue the call-back")
    response = VoiceResponse()
    response.reject(reason="busy")
    return _xml(str(response))


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
    path = tts.cache_dir() / name
    if not path.is_file():
        raise HTTPException(status_code=404, detail="not found")
    media = "audio/wav" if name.endswith(".wav") else "audio/mpeg"
    return FileResponse(path, media_type=media, headers={"Cache-Control": "max-age=86400"})


@router.post("/sms/incoming")
async def sms_incoming(form: dict[str, str] = Depends(twilio_form)) -> Response:
    try:
        return _xml(await sms.handle_incoming(form))
    except Exception:
        log.exception("sms webhook failed")
        from twilio.twiml.messaging_response import MessagingResponse

        from locales import translate

        response = MessagingResponse()
        response.message(translate("voice.sms_failed", "en"))
        return _xml(str(response))
