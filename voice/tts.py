"""Speech out: gTTS, then espeak-ng, then Twilio's own <Say>, cached on disk.

Why a cache keyed by an HMAC: the audio URL is public (Twilio fetches it without credentials),
so its name must not be guessable from the text. Files are written to a temporary name and
renamed, so a half-written or 0-byte file is never served. gTTS needs Google's service; when it
fails, it is skipped for a while so each prompt does not wait again.

Personal words (a read-back UAN, a name, an amount, a date: `personal=True`) never enter the
shared cache: they become per-call files with random names and no text sidecar, deleted when
the call ends (`forget_call`) or by the retention job; and they are never sent to a cloud voice
(gTTS) unless TTS_PERSONAL_CLOUD allows it, so espeak-ng speaks them on this machine. Their
words stay in this process's memory only for the call simulator, and go with the call.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import re
import secrets
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
ENGINE_BACKOFF_S = 60.0  # an engine that failed (or hung) is skipped this long
_gtts_down_until = 0.0
_down_until: dict[str, float] = {}  # engine -> skipped until (monotonic)
_running: dict[int, tuple[str, float]] = {}  # calls under way: id -> (engine, started)
_lock = threading.Lock()
PERSONAL_NAME = re.compile(r"^[0-9a-f]{40}\.(wav|mp3)$")
# name stem -> (words, language) of personal audio, for the simulator; dropped with the call
_personal_words: dict[str, dict[str, str]] = {}


@dataclass(frozen=True)
class Audio:
    key: str
    path: Path
    engine: str
    personal: bool = False

    @property
    def filename(self) -> str:
        return self.path.name

    @property
    def url_path(self) -> str:
        """Where Twilio fetches it (personal audio lives apart, served without caching)."""
        prefix = "/voice/audio/p/" if self.personal else "/voice/audio/"
        return prefix + self.filename


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


def personal_dir() -> Path:
    folder = get_settings().personal_audio_dir
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _scope(call_sid: str) -> str:
    secret = get_settings().session_secret.encode() or b"shramik-tts"
    return hmac.new(secret, f"call|{call_sid}".encode(), hashlib.sha256).hexdigest()[:16]


def _render_personal(text: str, lang: str, speed: str, scope: str) -> Audio | None:
    """A per-call file with a random name, no sidecar, never from a cloud voice by default."""
    stem = _scope(scope) + secrets.token_hex(12)
    cloud_ok = get_settings().tts_personal_cloud
    engines = [e for e in engine_order() if cloud_ok or e != "gtts"]
    made = _first_engine(engines, text, lang, speed, personal_dir() / stem)
    if made is None:
        return None
    engine, path = made
    with _lock:
        _personal_words[stem] = {"text": text, "language": lang, "engine": engine}
    return Audio(stem, path, engine, personal=True)


def _first_engine(
    engines: list[str], text: str, lang: str, speed: str, target: Path
) -> tuple[str, Path] | None:
    """The first engine of `engines` that renders `text` to `target` (and the file it wrote)."""
    for engine in engines:
        make = ENGINES.get(engine)
        if make is None or not _usable(engine):
            continue
        started = time.monotonic()
        ticket = object()
        with _lock:
            _running[id(ticket)] = (engine, started)
        try:
            path = make(text, lang, speed, target)
        except Exception as error:  # an engine failing must never fail the call
            log.warning("tts engine %s failed: %s", engine, type(error).__name__)
            path = None
            _back_off(engine)
        finally:
            with _lock:
                _running.pop(id(ticket), None)
        if time.monotonic() - started > get_settings().tts_budget_s:
            _back_off(engine)  # too slow for a call: the next prompts do not wait for it
        if path is not None:
            return engine, path
    return None


def _usable(engine: str) -> bool:
    """Not backed off, and no call of it under way for longer than a call can wait (hung)."""
    now, budget = time.monotonic(), get_settings().tts_budget_s
    with _lock:
        if _down_until.get(engine, 0.0) > now:
            return False
        return not any(e == engine and now - t > budget for e, t in _running.values())


def _back_off(engine: str) -> None:
    log.warning("tts engine %s skipped for %.0f s", engine, ENGINE_BACKOFF_S)
    with _lock:
        _down_until[engine] = time.monotonic() + ENGINE_BACKOFF_S


def personal_meta(stem: str) -> dict[str, str] | None:
    """The words of a personal audio file while its call lasts (the call simulator)."""
    with _lock:
        found = _personal_words.get(stem)
    return dict(found) if found else None


def forget_call(call_sid: str) -> int:
    """The call ended: delete its personal audio and forget its words. Returns files deleted."""
    prefix = _scope(call_sid)
    deleted = 0
    folder = get_settings().personal_audio_dir
    if folder.is_dir():
        for path in folder.glob(f"{prefix}*"):
            path.unlink(missing_ok=True)
            deleted += 1
    with _lock:
        for stem in [s for s in _personal_words if s.startswith(prefix)]:
            del _personal_words[stem]
    return deleted


def render(
    text: str, lang: str, speed: str = "normal", *, personal: bool = False, scope: str = ""
) -> Audio | None:
    """Audio for `text` (cached unless `personal`), or None: then the caller uses <Say>.

    `personal`: the words carry something about the caller; `scope` is the call they belong to.
    """
    text = text.strip()
    if not text:
        return None
    if personal:
        return _render_personal(text, lang, speed, scope)
    key = audio_key(text, lang, speed)
    hit = cached(key)
    if hit is not None:
        return hit
    made = _first_engine(engine_order(), text, lang, speed, cache_dir() / key)
    if made is None:
        return None
    engine, path = made
    _write_meta(key, text, lang, speed, engine)
    return Audio(key, path, engine)


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
    """Forget past engine failures (tests, or an operator after a network fix)."""
    global _gtts_down_until
    _gtts_down_until = 0.0
    with _lock:
        _down_until.clear()
        _running.clear()  # calls still under way (hung) no longer keep their engine skipped


ENGINES = {"gtts": _gtts, "espeak": _espeak}
