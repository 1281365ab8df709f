"""A caller's own words (read-back numbers, names, amounts) stay out of the shared TTS cache and
away from the cloud voice, and go when the call ends."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from api.settings import get_settings
from locales import spell_digits, translate
from tests.factory import RINA
from tests.voice.conftest import KNOWN_BN, PUBLIC, ask_uan, post_signed, simulator
from voice import tts

WAV = b"RIFF" + b"\0" * 200


@pytest.fixture
def engines(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Both engines replaced: record which one spoke which words, write a small file."""
    spoken: list[str] = []

    def make(name: str):
        def engine(text: str, lang: str, speed: str, stem: Path) -> Path:
            spoken.append(f"{name}:{text}")
            target = stem.with_suffix(".wav")
            target.write_bytes(WAV)
            return target

        return engine

    monkeypatch.setitem(tts.ENGINES, "gtts", make("gtts"))
    monkeypatch.setitem(tts.ENGINES, "espeak", make("espeak"))
    monkeypatch.setenv("TTS_ENGINE_ORDER", "gtts,espeak,say")
    get_settings.cache_clear()
    return spoken


def _all_files() -> list[Path]:
    """Every file of the speech caches (shared and personal)."""
    roots = (tts.cache_dir(), get_settings().personal_audio_dir)
    return [p for root in roots if root.is_dir() for p in root.rglob("*") if p.is_file()]


def test_a_read_back_is_per_call_offline_and_leaves_no_words_on_disk(env, engines) -> None:
    words = translate("voice.readback", "bn", digits=spell_digits(RINA.uan, "bn"))
    audio = tts.render(words, "bn", personal=True, scope="CA1")
    assert audio is not None and audio.personal
    assert engines == [f"espeak:{words}"], "never the cloud voice"
    assert audio.path.parent == get_settings().personal_audio_dir
    assert not any(p.suffix == ".json" for p in _all_files()), "no text sidecar"
    assert not any(words in p.read_bytes().decode("utf-8", "ignore") for p in _all_files())
    other = tts.render(words, "bn", personal=True, scope="CA1")
    assert other is not None and other.path != audio.path, "not a shared cache entry"
    assert tts.forget_call("CA1") == 2 and not audio.path.exists()


def test_the_cloud_voice_only_when_allowed(env, engines, monkeypatch) -> None:
    monkeypatch.setenv("TTS_PERSONAL_CLOUD", "true")
    get_settings.cache_clear()
    tts.render("Rina, your claim of 5,000 rupees", "en", personal=True, scope="CA2")
    assert engines[-1].startswith("gtts:")


def test_on_a_call_the_read_back_is_personal_and_goes_when_the_call_ends(
    app_client, rasa, engines
) -> None:
    rasa.reply = ask_uan
    sim = simulator(app_client, KNOWN_BN)
    sim.start()
    sim.press("1")
    sim.press("1000")  # a key missed: the full number is read back
    twiml = post_signed(
        app_client,
        sim.gather.action.split("/twilio", 1)[1],
        {**sim._base_params(), "Digits": RINA.uan},
    ).text
    urls = [p.text or "" for p in ET.fromstring(twiml).iter("Play")]  # noqa: S314
    personal = [u for u in urls if "/voice/audio/p/" in u]
    assert personal, urls
    served = app_client.get(personal[0][len(PUBLIC) :])
    assert served.status_code == 200 and served.headers["cache-control"] == "no-store"
    fixed = [u for u in urls if "/voice/audio/p/" not in u]
    assert fixed, "fixed prompts still come from the shared cache"
    post_signed(app_client, "/voice/status", {"CallSid": sim.call_sid, "CallStatus": "completed"})
    assert app_client.get(personal[0][len(PUBLIC) :]).status_code == 404
    assert not list(get_settings().personal_audio_dir.glob("*"))
