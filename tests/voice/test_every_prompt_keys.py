"""Star for slower and 9 to repeat, walked over every state of the call flow and every prompt a
caller can reach: each says the same prompt again on 9 and "slower" then the prompt on *, stays
where it was, sends the assistant nothing, and speaks slowly from then on."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from actions import expect
from api.services import calls
from api.settings import get_settings
from locales import LANGUAGES, translate
from tests.stand_ins import RasaStandIn
from tests.voice.conftest import KNOWN_BN, UNKNOWN, simulator
from voice import tts
from voice.ivr.listen import KEYPAD_HINT, MENUS
from voice.simulate import CallSimulator

Reach = Callable[[CallSimulator, RasaStandIn], None]


def _reply(*messages: dict[str, Any]) -> Callable[[dict[str, Any]], list[dict[str, Any]]]:
    return lambda _payload: list(messages)


def _asked(custom: dict[str, Any]) -> Reach:
    """The assistant asks something (its payload says what): reached by the status key."""

    def reach(sim: CallSimulator, rasa: RasaStandIn) -> None:
        rasa.reply = _reply({"text": "আপনার প্রশ্ন"}, {"custom": custom})
        sim.press("1")

    return reach


def _keys(*pressed: str) -> Reach:
    def reach(sim: CallSimulator, rasa: RasaStandIn) -> None:
        for keys in pressed:
            sim.press(keys)

    return reach


def _confirm(sim: CallSimulator, rasa: RasaStandIn) -> None:
    _asked(expect.number("uan"))(sim, rasa)
    sim.press("1234#")  # a wrong length: the right one is then read back for 1 or 2
    sim.press("100000000001#")


def _menu_path(level: str) -> str:
    """The keys from the first level to `level`."""
    if level == "main":
        return ""
    for parent, entries in MENUS.items():
        if level in entries:
            return _menu_path(parent) + str(entries.index(level) + 1)
    raise AssertionError(level)


# (the caller, how the prompt is reached, the mode it listens in)
STATES: dict[str, tuple[str, Reach, str]] = {
    "language menu, a new caller": (UNKNOWN, _keys(), "language"),
    "language menu, from the first level": (KNOWN_BN, _keys("8"), "language"),
    **{f"menu {level}": (KNOWN_BN, _keys(*_menu_path(level)), "menu") for level in MENUS},
    **{f"number {kind}": (KNOWN_BN, _asked(expect.number(kind)), "number") for kind in KEYPAD_HINT},
    "number read back": (KNOWN_BN, _confirm, "confirm"),
    "yes or no": (KNOWN_BN, _asked(expect.yes_no("হ্যাঁ", "না")), "choice"),
    "options": (KNOWN_BN, _asked(expect.options(3)), "options"),
    "free text": (KNOWN_BN, _asked(expect.free_text()), "free"),
    "the assistant's menu": (KNOWN_BN, _asked(expect.menu()), "menu"),
    "the officer's wait": (KNOWN_BN, _keys("0"), "officer_wait"),
    "the call-back offer (out of hours)": (KNOWN_BN, _keys("0"), "callback"),
}


def _last_prompt(sim: CallSimulator) -> list[str]:
    state = calls.snapshot(sim.call_sid)
    assert state is not None
    return list(state["last_prompt"])


def _speeds(sim: CallSimulator, since: int) -> set[str]:
    out = set()
    for event in sim.events[since:]:
        if event.kind == "play" and "/audio/p/" not in event.url:
            out.add(str((tts.read_meta(Path(event.url).stem) or {}).get("speed", "")))
    return out


@pytest.mark.parametrize("state", sorted(STATES))
def test_nine_repeats_and_star_slows_at_every_prompt(
    app_client, rasa, monkeypatch, state: str
) -> None:
    caller, reach, mode = STATES[state]
    if mode == "callback":
        monkeypatch.setenv("OFFICE_DAYS", "")  # nobody works today: a call-back is offered
        get_settings.cache_clear()
    sim = simulator(app_client, caller)
    arrived = sim.start()
    since = len(sim.heard)
    reach(sim, rasa)
    if len(sim.heard) > since:
        arrived = sim.heard[since:]
    assert sim.waiting_for(mode), state
    prompt = _last_prompt(sim)
    assert prompt and arrived[-len(prompt) :] == prompt  # what 9 repeats is what was asked
    sent = len(rasa.received)

    assert sim.press("9") == prompt and sim.waiting_for(mode)
    before = len(sim.events)
    heard = sim.press("*")
    lang = None if mode == "language" and caller == UNKNOWN else "bn"
    slower = [translate("voice.slower_on", x) for x in ((lang,) if lang else LANGUAGES)]
    assert heard == [*slower, *prompt] and sim.waiting_for(mode)
    assert _speeds(sim, before) == {"slow"}
    assert len(rasa.received) == sent  # neither key reached the assistant


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_language_menu_says_star_and_nine_in_each_language(app_client, lang) -> None:
    sim = simulator(app_client, UNKNOWN)
    heard = sim.start()
    hints = [translate("voice.keys_hint_short", x) for x in LANGUAGES]
    assert heard[-3:] == hints  # after the options, in bn, hi and en
    assert translate("voice.keys_hint_short", lang) in heard


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_returning_caller_hears_star_and_nine_with_the_first_menu(app_client, lang) -> None:
    from api.services import language as language_service

    language_service.remember_for(UNKNOWN, lang)
    heard = simulator(app_client, UNKNOWN).start()
    assert heard[-2:] == [
        translate("voice.menu_options", lang),
        translate("voice.keys_hint_short", lang),
    ]
