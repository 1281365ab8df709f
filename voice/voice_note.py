"""WhatsApp voice notes: heard through the speech-recognition integration, answered in words and
as a voice note of their own.

In: the note (MediaUrl0, audio/ogg Opus) is fetched from Twilio with the account's credentials
(api/integrations/twilio/media.py) and sent to ASR_PROVIDER (api/integrations/asr); its words go
to the assistant like a typed message. Out: the reply is spoken by the phone line's TTS chain as
personal audio (never the shared cache, never a cloud voice unless TTS_PERSONAL_CLOUD), turned
into Ogg Opus (opusenc, else ffmpeg) and served from a signed URL that expires after
VOICE_NOTE_URL_MINUTES; the file itself goes with the retention pass for personal audio
(RETENTION_TTS_PERSONAL_MINUTES). The words come too, beneath the voice note.
Without a provider the worker is told (in words and, when TTS works, aloud) how to use the
keypad line; a failing provider gets an apology and the way to an officer.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import secrets
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

from api.integrations import asr
from api.integrations.twilio import twiml
from api.integrations.twilio.media import MediaUnavailable, fetch_media
from api.integrations.twilio.urls import public_url
from api.settings import get_settings
from locales import locale_for, translate
from voice import tts

log = logging.getLogger(__name__)
router = APIRouter(tags=["whatsapp voice notes"])
NOTE_NAME = re.compile(r"^[0-9a-f]{40}$")
Problem = Literal["not_configured", "failed", "unclear"]


@dataclass(frozen=True)
class VoiceNote:
    url: str
    content_type: str
    message_sid: str


@dataclass(frozen=True)
class Heard:
    """The words of a voice note, or why there are none."""

    text: str | None
    language: str | None = None
    problem: Problem | None = None


def from_form(form: dict[str, str], channel: str) -> VoiceNote | None:
    """The WhatsApp message's voice note (its first medium, if audio), else None."""
    kind = (form.get("MediaContentType0") or "").lower()
    url = form.get("MediaUrl0") or ""
    if channel != "whatsapp" or not kind.startswith("audio/") or not url:
        return None
    sid = form.get("MessageSid") or form.get("SmsSid") or secrets.token_hex(8)
    return VoiceNote(url=url, content_type=kind, message_sid=sid[:64])


def hear(note: VoiceNote, language: str | None) -> Heard:
    """Fetch and recognise the note; every failure becomes a `problem`, never an exception."""
    if not asr.configured():
        return Heard(None, problem="not_configured")
    try:
        audio = fetch_media(note.url)
        found = asr.recognise(audio, note.content_type, language)
    except (MediaUnavailable, asr.AsrFailed) as error:
        log.warning("voice note not recognised: %s", error)
        return Heard(None, problem="failed")
    except asr.AsrNotConfigured:
        return Heard(None, problem="not_configured")
    if not found.text.strip():
        return Heard(None, problem="unclear")
    return Heard(found.text.strip()[:1000], found.language)


MESSAGES: dict[Problem, str] = {
    "not_configured": "voicenote.no_asr",
    "failed": "voicenote.failed",
    "unclear": "voicenote.unclear",
}


def answer_problem(problem: Problem, lang: str, script: str | None, sid: str, slow: bool) -> str:
    """TwiML: what to do instead, as a voice note (when TTS works) and in words."""
    number = get_settings().twilio_from_number
    written = translate(MESSAGES[problem], locale_for(lang, script), number=number)
    spoken = translate(MESSAGES[problem], lang, number=number)
    return reply(written, spoken, lang, sid, slow)


def reply(written: str, spoken: str, lang: str, sid: str, slow: bool) -> str:
    """TwiML: the voice note first (if one could be made), then the words in pieces."""
    from voice.sms import WHATSAPP_LIMIT, split_message

    url = speak(spoken, lang, sid, slow)
    return twiml.messages(split_message(written, WHATSAPP_LIMIT), media=url)


def speak(words: str, lang: str, sid: str, slow: bool = False) -> str | None:
    """A signed, expiring URL of `words` as an Ogg Opus voice note, or None (words only)."""
    scope = f"note:{sid}"
    try:
        audio = tts.render(words, lang, "slow" if slow else "normal", personal=True, scope=scope)
        if audio is None:
            return None
        stem = secrets.token_hex(20)
        target = tts.personal_dir() / f"{stem}.ogg"
        return signed_url(stem) if to_ogg_opus(audio.path, target) else None
    except Exception:  # a voice note must never cost the worker the words
        log.exception("voice note reply not made")
        return None
    finally:
        tts.forget_call(scope)  # the intermediate per-note WAV and its words


def to_ogg_opus(source: Path, target: Path) -> bool:
    """Convert to Ogg Opus (what WhatsApp plays as a voice note), written atomically."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".ogg")
    os.close(fd)
    if shutil.which("opusenc"):
        command = ["opusenc", "--quiet", "--bitrate", "24", "--speech", str(source), tmp]
    elif shutil.which("ffmpeg"):
        command = ["ffmpeg", "-v", "error", "-y", "-i", str(source), "-c:a", "libopus"]
        command += ["-b:a", "24k", "-f", "ogg", tmp]
    else:
        log.warning("neither opusenc nor ffmpeg: voice notes go out as words only")
        Path(tmp).unlink(missing_ok=True)
        return False
    try:
        subprocess.run(command, check=True, capture_output=True, timeout=30)
        if os.path.getsize(tmp) == 0:
            raise OSError("empty voice note")
        os.replace(tmp, target)
        return True
    except (OSError, subprocess.SubprocessError):
        Path(tmp).unlink(missing_ok=True)
        return False


def _signature(stem: str, expires: int) -> str:
    secret = get_settings().session_secret.encode()
    message = f"voice-note|{stem}|{expires}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:32]


def signed_url(stem: str, now: float | None = None) -> str:
    expires = (
        int(now if now is not None else time.time()) + get_settings().voice_note_url_minutes * 60
    )
    return public_url(f"/voice/note/{expires}/{_signature(stem, expires)}/{stem}.ogg")


@router.get("/voice/note/{expires}/{signature}/{stem}.ogg", response_model=None)
def voice_note_audio(expires: int, signature: str, stem: str) -> FileResponse:
    """A voice-note reply, for Twilio to send: only with a valid, unexpired signature."""
    valid = NOTE_NAME.match(stem) and hmac.compare_digest(signature, _signature(stem, expires))
    if not valid or expires < time.time():
        raise HTTPException(status_code=404, detail="not found")
    path = tts.personal_dir() / f"{stem}.ogg"
    if not path.is_file():
        raise HTTPException(status_code=404, detail="not found")
    return FileResponse(path, media_type="audio/ogg", headers={"Cache-Control": "no-store"})
