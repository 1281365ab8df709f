"""A silent caller: the prompt again with the keys, the keypad menu, a person, then words."""

from __future__ import annotations

import pytest

from api.domain.references import REFERENCE_IN_TEXT
from locales import LANGUAGES, translate
from tests.voice.conftest import KNOWN_BN, UNKNOWN, ask_uan, outbound_rows, simulator

LANGUAGE_KEY = {"bn": "1", "hi": "2", "en": "3"}


def menu_after_the_open_question(sim, lang: str) -> None:
    """The open question's silence is not a miss: it brings the menu and star/9, no apology."""
    assert sim.waiting_for("menu")
    heard = sim.silence()
    assert heard == [
        translate("voice.menu_options", lang),
        translate("voice.keys_hint_short", lang),
    ]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_two_silent_prompts_bring_the_keypad_menu_then_the_officer(app_client, lang) -> None:
    sim = simulator(app_client, UNKNOWN)
    sim.start()
    sim.press(LANGUAGE_KEY[lang])
    menu_after_the_open_question(sim, lang)
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
    menu_after_the_open_question(sim, "en")
    sim.silence()
    sim.silence()
    offered = sim.silence()
    assert offered[-1] == translate("voice.callback_offer", "en") and sim.waiting_for("callback")
    again = sim.silence()
    assert again[0] == translate("voice.no_input_1", "en") and again[-1] == offered[-1]
    assert again[1] == translate("voice.keys_hint_star", "en")  # here 9 cancels, not repeats
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


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_returning_caller_silent_from_the_first_prompt_gets_the_menu_then_a_person(
    app_client, lang
) -> None:
    from api.services import language as language_service

    language_service.remember_for(UNKNOWN, lang)  # greeted in their language: no language menu
    sim = simulator(app_client, UNKNOWN)
    sim.start()
    menu_after_the_open_question(sim, lang)
    first = sim.silence()
    assert first[:2] == [translate("voice.no_input_1", lang), translate("voice.keys_hint", lang)]
    second = sim.silence()
    assert second == [translate("voice.no_input_2", lang), translate("voice.menu_options", lang)]
    told = sim.silence()  # a person: in office hours, the wait (1 for a call-back instead)
    assert told and all(told) and sim.waiting_for("officer_wait")
    (reference,) = REFERENCE_IN_TEXT.findall(told[0])
    assert told[0] == translate("voice.officer_queue", lang, reference=reference)
    said = sim.silence()
    assert said == [translate("voice.officer_connecting", lang, reference=reference)]
    assert sim.dialled


@pytest.mark.parametrize("lang", LANGUAGES)
def test_out_of_hours_a_silent_caller_is_offered_a_call_back_in_their_language(
    app_client, monkeypatch, lang
) -> None:
    from api.settings import get_settings

    monkeypatch.setenv("OFFICE_DAYS", "")
    get_settings.cache_clear()
    sim = simulator(app_client, UNKNOWN)
    sim.start()
    sim.press(LANGUAGE_KEY[lang])
    menu_after_the_open_question(sim, lang)
    sim.silence()
    assert sim.silence()[-1] == translate("voice.menu_options", lang)
    offered = sim.silence()
    assert offered[-1] == translate("voice.callback_offer", lang) and sim.waiting_for("callback")
    sim.silence()
    assert sim.silence() == [translate("voice.goodbye_no_input", lang)] and sim.ended
    assert [e.kind for e in sim.events[-1:]] == ["hangup"]


def test_silence_at_the_language_menu_is_answered_in_each_language(app_client) -> None:
    sim = simulator(app_client, UNKNOWN)
    menu = sim.start()
    first = sim.silence()
    assert first[:3] == [translate("voice.no_input_1", x) for x in LANGUAGES]
    assert first[3:] == menu  # the menu again, with star and 9 in each language
    second = sim.silence()
    assert second[:3] == [translate("voice.no_input_2", x) for x in LANGUAGES]
    assert sim.waiting_for("language")
    offered = sim.silence()  # then a person, said so in each language
    assert all(translate("voice.officer_queue", x, reference="").split()[0] in " ".join(offered)
               for x in LANGUAGES)  # fmt: skip
    assert sim.waiting_for("officer_wait")
    sim.silence()
    assert sim.dialled


def test_a_caller_without_a_language_who_cancels_the_wait_gets_the_language_menu(
    app_client,
) -> None:
    """Silent at the language menu, then offered a person in each language: 9 cancels the
    request (said in each language, as the wait was) and the language menu comes back, without
    the welcome a second time."""
    sim = simulator(app_client, UNKNOWN)
    menu = sim.start()
    sim.silence()
    sim.silence()
    told = sim.silence()
    assert sim.waiting_for("officer_wait")
    assert told[-3:] == [translate("casework.wait_estimate", x, minutes="2") for x in LANGUAGES]
    (reference,) = set(REFERENCE_IN_TEXT.findall(" ".join(told)))
    heard = sim.press("9")
    cancelled = [translate("voice.handoff_cancelled", x, reference=reference) for x in LANGUAGES]
    assert menu[0] == translate("voice.welcome", "bn")  # welcomed once, at the start only
    assert heard == [*cancelled, *menu[1:]] and sim.waiting_for("language")
    assert sim.dialled == []
