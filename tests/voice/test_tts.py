"""Speech out: gTTS failing fast falls back to espeak-ng (phone-quality WAV), cached; <Say> last."""

from __future__ import annotations

import shutil
import subprocess
import time
import xml.etree.ElementTree as ET

import pytest

from api.settings import get_settings
from locales import translate
from tests.voice.conftest import KNOWN_BN, PUBLIC, post_signed, sign
from voice import tts

needs_espeak = pytest.mark.skipif(
    not (shutil.which("espeak-ng") and shutil.which("soxi")),
    reason="Debian packages espeak-ng and sox are not installed",
)


def soxi(path: str, flag: str) -> str:
    return subprocess.run(
        ["soxi", flag, path], capture_output=True, text=True, check=True
    ).stdout.strip()


@needs_espeak
def test_gtts_failing_fast_falls_back_to_espeak_at_phone_quality(env, monkeypatch) -> None:
    # gTTS's real request goes through a proxy that refuses connections: a fast, real failure.
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("TTS_ENGINE_ORDER", "gtts,espeak,say")
    monkeypatch.setenv("GTTS_TIMEOUT_S", "2")
    get_settings.cache_clear()
    tts.reset_gtts_backoff()
    audio = tts.render(translate("voice.welcome", "bn"), "bn")
    assert audio is not None and audio.engine == "espeak"
    assert tts._gtts_down_until > time.monotonic()  # gTTS is skipped for a while, not re-awaited
    assert soxi(str(audio.path), "-r") == "8000" and soxi(str(audio.path), "-c") == "1"
    assert float(soxi(str(audio.path), "-D")) > 0.5
    assert not [p for p in audio.path.parent.iterdir() if p.name.startswith(".tmp-")]
    assert tts.read_meta(audio.key)["text"] == translate("voice.welcome", "bn")
    # cache hit: same file, no new work, fast
    mtime = audio.path.stat().st_mtime_ns
    again = tts.render(translate("voice.welcome", "bn"), "bn")
    assert again is not None and again.path == audio.path and again.path.stat().st_mtime_ns == mtime
    # slower speech is another file, and longer
    slow = tts.render(translate("voice.welcome", "bn"), "bn", "slow")
    assert slow.path != audio.path
    assert float(soxi(str(slow.path), "-D")) > float(soxi(str(audio.path), "-D"))
    tts.reset_gtts_backoff()


@needs_espeak
@pytest.mark.parametrize("lang", ["bn", "hi", "en"])
def test_every_language_renders(env, lang) -> None:
    audio = tts.render(translate("voice.menu_options", lang), lang)
    assert audio is not None and soxi(str(audio.path), "-r") == "8000"


def test_say_with_the_right_language_when_no_engine_works(app_client, monkeypatch) -> None:
    monkeypatch.setenv("TTS_ENGINE_ORDER", "say")
    get_settings.cache_clear()
    call = {"CallSid": "CA" + "5" * 32, "From": KNOWN_BN, "To": "+15005550006"}
    twiml = post_signed(app_client, "/voice/incoming", call).text
    says = ET.fromstring(twiml).find("Gather").findall("Say")  # noqa: S314
    assert says and all(s.get("language") == "bn-IN" for s in says)
    assert says[0].text == translate("voice.welcome_back", "bn")
    assert "<Play" not in twiml


@needs_espeak
def test_audio_is_served_and_its_text_only_to_signed_requests(app_client) -> None:
    call = {"CallSid": "CA" + "6" * 32, "From": KNOWN_BN, "To": "+15005550006"}
    twiml = post_signed(app_client, "/voice/incoming", call).text
    url = ET.fromstring(twiml).find("Gather").find("Play").text  # noqa: S314
    assert url.startswith(PUBLIC + "/voice/audio/") and url.endswith(".wav")
    path = url[len(PUBLIC) :]
    audio = app_client.get(path)
    assert audio.status_code == 200 and audio.headers["content-type"] == "audio/wav"
    assert audio.content[:4] == b"RIFF"
    text_path = path.replace(".wav", ".txt")
    assert app_client.get(text_path).status_code == 403
    signed = app_client.get(text_path, headers={"X-Twilio-Signature": sign(PUBLIC + text_path, {})})
    assert signed.json()["text"] == translate("voice.welcome_back", "bn")
    assert app_client.get("/voice/audio/../../etc/passwd").status_code == 404
    assert app_client.get("/voice/audio/" + "0" * 40 + ".wav").status_code == 404


@needs_espeak
def test_prerender_renders_fixed_prompts(env) -> None:
    from voice import prerender

    count = prerender.main(["--lang", "en"])
    assert count > 20
    assert tts.cached(tts.audio_key(translate("voice.goodbye", "en"), "en", "normal"))
