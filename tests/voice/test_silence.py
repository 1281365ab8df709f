"""A silent caller: the prompt again with the keys, the keypad menu, a person, then words."""

from __future__ import annotations

import pytest

from locales import LANGUAGES, translate
from tests.voice.conftest import KNOWN_BN, UNKNOWN, ask_uan, outbound_rows, simulator

LANGUAGE_KEY = {"bn": "1", "hi": "2", "en": "3"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_two_silent_prompts_bring_the_keypad_menu_then_the_officer(app_client, lang) -> None:
    sim = simulator(app_client, UNKNOWN)
    sim.start()
    sim.press(LANGUAGE_KEY[lang])
    first = sim.silence()
    assert first[:2] == [translate("voice.no_input_1", lang), translate("voice.keys_hint", lang)]
    second = sim.silence()
    assert second == [translate("voice.no_input_2", lang), translate("voice.menu_options", lang)]
    assert sim.waiting_for("menu")
    sim.silence()  # in office hours with an officers' line: told the wait
    assert sim.waiting_for("officer_wait")
    sim.silence()
    assert sim.dialled and not outbound_rows()


def test_silence_at_a_question_repeats_it_with_its_keys_first(app_client, rasa) -> None:
    rasa.reply = ask_uan
    sim = simulator(app_client, KNOWN_BN)
    sim.start()
    sim.press("1")
    heard = sim.silence()
    assert heard[:3] == [
        translate("voice.no_input_1", "bn"),
        translate("voice.keys_hint", "bn"),
        translate("voice.keypad_uan", "bn"),
    ]
    assert translate("verify.ask_uan", "bn") in heard
    assert sim.silence()[-1] == translate("voice.menu_options", "bn")


def test_out_of_hours_silence_gets_a_callback_offer_then_words_and_an_sms(
    app_client, monkeypatch
) -> None:
    from api.settings import get_settings

    monkeypatch.setenv("OFFICE_DAYS", "")  # nobody works today
    get_settings.cache_clear()
    sim = simulator(app_client, UNKNOWN)
    sim.start()
    sim.press("3")
    sim.silence()
    sim.silence()
    offered = sim.silence()
    assert offered[-1] == translate("voice.callback_offer", "en") and sim.waiting_for("callback")
    again = sim.silence()
    assert again[0] == translate("voice.no_input_1", "en") and again[-1] == offered[-1]
    last = sim.silence()
    assert last == [translate("voice.goodbye_no_input", "en")]
    assert sim.ended and sim.events[-1].kind == "hangup"
    (body,) = [r["body"] for r in outbound_rows()]  # the reference an officer rings back on
    assert "HND-" in body


def test_silence_never_ends_a_call_without_words(app_client, monkeypatch) -> None:
    from api.settings import get_settings

    monkeypatch.setenv("OFFICE_DAYS", "")
    get_settings.cache_clear()
    sim = simulator(app_client, UNKNOWN)
    sim.start()
    turns = 0
    while not sim.ended and turns < 12:
        assert sim.silence(), "a turn without words"
        turns += 1
    assert sim.ended and sim.heard[-1] == translate("voice.goodbye_no_input", "en")
