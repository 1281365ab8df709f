"""The language menu says each option in its own language, so each sentence must be spoken by
that language's voice (and, being a fixed catalog sentence, come from the shared cache), whatever
language the call is in so far."""

from __future__ import annotations

from pathlib import Path

from locales import LANGUAGES, translate
from tests.voice.conftest import KNOWN_BN, UNKNOWN, simulator
from voice import tts
from voice.simulate import CallSimulator


def voices(sim: CallSimulator, since: int = 0) -> list[tuple[str, str]]:
    """(words, language of the voice) of each cached prompt played; personal audio is marked."""
    out = []
    for event in sim.events[since:]:
        if event.kind != "play":
            continue
        if "/audio/p/" in event.url:
            out.append((event.text, "personal"))
        else:
            meta = tts.read_meta(Path(event.url).stem) or {}
            out.append((str(meta.get("text")), str(meta.get("language"))))
    return out


MENU = [
    (translate("voice.welcome", "bn"), "bn"),
    *[(translate("voice.language_option", lang), lang) for lang in LANGUAGES],
]  # star and 9: once, in the chosen language, with the first menu


def test_a_new_callers_language_menu_speaks_each_option_in_its_own_voice(app_client) -> None:
    sim = simulator(app_client, UNKNOWN)
    sim.start()
    assert voices(sim) == MENU


def test_the_language_menu_from_a_bengali_call_says_english_in_english(app_client) -> None:
    sim = simulator(app_client, KNOWN_BN)
    sim.start()
    before = len(sim.events)
    sim.press("8")  # the language menu from the main level: welcomed already, so the options
    assert voices(sim, before) == MENU[1:]
