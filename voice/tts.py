"""Speech out: gTTS, then espeak-ng, then Twilio's own <Say>, cached on disk.

Why a cache keyed by an HMAC: the audio URL is public (Twilio fetches it without credentials),
so its name must not be guessable from the text (a read-back UAN, say). Files are written to a
temporary name and renamed, so a half-written or 0-byte file is never served. gTTS needs
Google's service; when it fails, it is skipped for a while so each prompt does not wait again.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from api.settings import get_settings

log = logging.getLogger(__name__)

ESPEAK_VOICES = {"bn": "bn", "hi": "hi", "en": "en-us"}
ESPEAK_RATE = {"normal": 150, "slow": 110}
GTTS_BACKOFF_S = 300.0
_gtts_down_until = 0.0
_lock = threading.Lock()


@dataclass(frozen=True)
class Audio:
    key: str
    path: Path
    engine: str

    @property
    def filename(self) -> str:
        return self.path.name


def cache_dir() -> Path:
    folder = Path(get_settings().var_dir) / "tts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def audio_key(text: str, lang: str, speed: str) -> str:
    secret = get_settings().session_secret.encode() or b"shramik-tts"
    message = f"{lang}|{speed}|{text}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:40]


def engine_order() -> list[str]:
    names = [n.strip().lower() for n in get_settings().tts_engine_order.split(",")]
    return [n for n in names if n]


def cached(key: str) -> Audio | None:
    """The rendered file for `key`, if there is a valid one."""
    folder = cache_dir()
    for ext in ("wav", "mp3"):
        path = folder / f"{key}.{ext}"
        if path.is_file() and path.stat().st_size > 44:
            meta = read_meta(key) or {}
            return Audio(key, path, str(meta.get("engine", "")))
    return None


def read_meta(key: str) -> dict[str, str] | None:
    """Sidecar with the text behind an audio file (the call simulator prints it)."""
    if not key.isalnum():
        return None
    path = cache_dir() / f"{key}.json"
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None


def render(text: str, lang: str, speed: str = "normal") -> Audio | None:
    """Audio for `text` (cached), or None: then the caller uses <Say>."""
    text = text.strip()
    if not text:
        return None
    key = audio_key(text, lang, speed)
    hit = cached(key)
    if hit is not None:
        return hit
    for engine in engine_order():
        make = ENGINES.get(engine)
        if make is None:
            continue
        try:
            path = make(text, lang, speed, cache_dir() / key)
        except Exception as error:  # an engine failing must never fail the call
            log.warning("tts engine %s failed: %s", engine, type(error).__name__)
            path = None
        if path is not None:
            _write_meta(key, text, lang, speed, engine)
            return Audio(key, path, engine)
    return None


def _write_meta(key: str, text: str, lang: str, speed: str, engine: str) -> None:
    meta = {"text": text, "language": lang, "speed": speed, "engine": engine}
    _atomic_write(cache_dir() / f"{key}.json", json.dumps(meta, ensure_ascii=False).encode())


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


def _gtts(text: str, lang: str, speed: str, stem: Path) -> Path | None:
    global _gtts_down_until
    if time.monotonic() < _gtts_down_until:
        return None
    from gtts import gTTS  # imported on use: a slow import, not needed with espeak

    fd, tmp = tempfile.mkstemp(dir=stem.parent, prefix=".tmp-", suffix=".mp3")
    os.close(fd)
    try:
        gTTS(
            text=text, lang=lang, slow=(speed == "slow"), timeout=get_settings().gtts_timeout_s
        ).save(tmp)
        if os.path.getsize(tmp) == 0:
            raise OSError("gTTS wrote nothing")
    except Exception:
        with _lock:
            _gtts_down_until = time.monotonic() + GTTS_BACKOFF_S
        Path(tmp).unlink(missing_ok=True)
        raise
    wav = _to_phone_wav(Path(tmp), stem)
    if wav is not None:
        Path(tmp).unlink(missing_ok=True)
        return wav
    target = stem.with_suffix(".mp3")  # sox without mp3 support: Twilio plays mp3 too
    os.replace(tmp, target)
    return target


def _espeak(text: str, lang: str, speed: str, stem: Path) -> Path | None:
    if not shutil.which("espeak-ng") or not shutil.which("sox"):
        return None
    voice = ESPEAK_VOICES.get(lang, "en-us")
    rate = str(ESPEAK_RATE.get(speed, 150))
    fd, raw = tempfile.mkstemp(dir=stem.parent, prefix=".tmp-", suffix=".wav")
    os.close(fd)
    try:
        subprocess.run(
            ["espeak-ng", "-v", voice, "-s", rate, "-w", raw, "--", text],
            check=True,
            capture_output=True,
            timeout=10,
        )
        return _to_phone_wav(Path(raw), stem)
    finally:
        Path(raw).unlink(missing_ok=True)


def _to_phone_wav(source: Path, stem: Path) -> Path | None:
    """8 kHz mono 16-bit WAV (what a phone line carries), written atomically."""
    fd, tmp = tempfile.mkstemp(dir=stem.parent, prefix=".tmp-", suffix=".wav")
    os.close(fd)
    try:
        subprocess.run(
            ["sox", str(source), "-r", "8000", "-c", "1", "-b", "16", tmp],
            check=True,
            capture_output=True,
            timeout=20,
        )
        if os.path.getsize(tmp) <= 44:
            raise OSError("empty audio")
        target = stem.with_suffix(".wav")
        os.replace(tmp, target)
        return target
    except (OSError, subprocess.SubprocessError):
        Path(tmp).unlink(missing_ok=True)
        return None


def reset_gtts_backoff() -> None:
    """Forget a past gTTS failure (tests, or an operator after a network fix)."""
    global _gtts_down_until
    _gtts_down_until = 0.0


ENGINES = {"gtts": _gtts, "espeak": _espeak}
