"""Keypad menus of four: every service and an officer by keys, in every language."""

from __future__ import annotations

import pytest

from api.knowledge import search
from locales import LANGUAGES, localise_digits, translate
from tests.voice.conftest import KNOWN_BN, UNKNOWN, simulator
from voice.ivr.listen import MENU_PROMPT, MENUS, SERVICES

# every service the chat offers, by keys from the first menu (docs/contracts.md "Phone keypad")
PATHS = {
    "status": "1",
    "claim_self": "21",
    "claim_family": "22",
    "renewal": "3",
    "pension": "41",
    "complaint": "42",
    "nominee": "43",
    "eligibility": "441",
    "register": "442",
    "scheme_eshram": "4431",
    "scheme_pm_sym": "4432",
    "scheme_bocw": "4433",
    "scheme_wbtwsss": "4434",
    "track": "4441",
    "lost_uan": "4442",
    "correction": "4443",
    "notify_settings": "44441",
    "helper": "44442",
}
LANGUAGE_KEY = {"bn": "1", "hi": "2", "en": "3"}


def test_levels_have_at_most_four_entries_and_reach_every_service() -> None:
    assert all(len(entries) <= 4 for entries in MENUS.values())
    reached = {e for entries in MENUS.values() for e in entries if e not in MENUS}
    assert reached == set(SERVICES) == set(PATHS)
    assert set(SERVICES.values()) == {
        "status", "claim", "family", "renewal", "pension", "feedback", "nominee", "eligibility",
        "register", "scheme", "track", "lost_uan", "correction", "notify", "helper",
    }  # fmt: skip


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_menu_names_its_keys_and_the_officer_last(lang: str) -> None:
    for level, msgid in MENU_PROMPT.items():
        said = translate(msgid, lang)
        keys = [localise_digits(str(i), lang) for i in range(1, len(MENUS[level]) + 1)]
        zero = localise_digits("0", lang)
        assert all(key in said for key in keys), (level, lang)
        assert said.rfind(zero) > max(said.rfind(key) for key in keys)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("service", sorted(PATHS))
def test_every_service_by_keys(app_client, rasa, lang: str, service: str) -> None:
    rasa.reply = lambda p: [{"text": "ok"}]
    sim = simulator(app_client, UNKNOWN)
    sim.start()
    sim.press(LANGUAGE_KEY[lang])
    levels, last = PATHS[service][:-1], PATHS[service][-1]
    for key in levels:
        sim.press(key)
        assert sim.waiting_for("menu") and not rasa.received
    sim.press(last)
    sent = rasa.received[-1]
    assert sent["message"] == translate(f"voice.intent.{service}", lang)
    assert sent["metadata"]["menu_choice"] == SERVICES[service]
    assert sent["metadata"]["language"] == lang


def test_eight_goes_back_and_zero_is_an_officer_on_every_level(app_client) -> None:
    sim = simulator(app_client, KNOWN_BN)
    sim.start()
    assert sim.press("4") == [translate("voice.menu_more", "bn")]
    assert sim.press("4") == [translate("voice.menu_others", "bn")]
    assert sim.press("3") == [translate("voice.menu_schemes", "bn")]
    assert sim.press("7")[0] == translate("voice.no_match_1", "bn")
    assert sim.press("8") == [translate("voice.menu_options", "bn")]
    sim.press("4")
    sim.press("0")
    assert sim.waiting_for("officer_wait")


def test_speech_reaches_the_assistant_from_a_sub_menu(app_client, rasa) -> None:
    rasa.reply = lambda p: [{"text": "ok"}]
    sim = simulator(app_client, KNOWN_BN)
    sim.start()
    sim.press("4")
    sim.say("আমার ক্লেমের অবস্থা")
    sent = rasa.received[-1]
    assert sent["message"] == "আমার ক্লেমের অবস্থা" and "menu_choice" not in sent["metadata"]


@pytest.mark.parametrize("lang", ["bn", "hi", "en"])
def test_the_transport_scheme_key_asks_a_question_the_knowledge_base_answers(lang: str) -> None:
    result = search(translate("voice.intent.scheme_wbtwsss", lang), lang, embedder=None)
    assert result.reason is None and result.answers[0].scheme == "wbtwsss", result


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_claim_key_asks_first_for_whom_in_one_short_prompt(app_client, rasa, lang) -> None:
    """The worker's check texts the worker's phone: a family on keys must not reach it first."""
    sim = simulator(app_client, UNKNOWN)
    sim.start()
    sim.press(LANGUAGE_KEY[lang])
    assert sim.press("2") == [translate("voice.menu_claim", lang)]
    assert sim.waiting_for("menu") and not rasa.received
    assert len(translate("voice.menu_claim", lang)) <= len(translate("voice.menu_options", lang))
