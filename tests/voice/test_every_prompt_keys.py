"""Star for slower and 9 to repeat, walked over every state of the call flow and every prompt a
caller can reach: each says the same prompt again on 9 and "slower" then the prompt on *, stays
where it was, sends the assistant nothing, and speaks slowly from then on. While a hand-over
waits (the officer's wait, the call-back offers) 9 cancels it instead, as those prompts say."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from actions import expect
from api.db.models import HandoffTicket
from api.db.session import session_scope
from api.services import calls
from api.settings import get_settings
from locales import LANGUAGES, localise_digits, translate
from tests.stand_ins import RasaStandIn
from tests.voice.conftest import KNOWN_BN, UNKNOWN, simulator
from voice import tts
from voice.ivr import officer
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
    "the call-back offer (no officers' line)": (KNOWN_BN, _keys("0"), "callback"),
}
# What a state needs of the settings (nobody at work today; no line officers answer).
SETTINGS = {
    "the call-back offer (out of hours)": {"OFFICE_DAYS": ""},
    "the call-back offer (no officers' line)": {"STAFF_NUMBER": ""},
}
# The prompts a caller hears while a hand-over waits (voice/ivr/officer.py).
WAITING_PROMPTS = ("casework.wait_estimate", "casework.callback_offer_now", "voice.callback_offer")
WAITING = sorted(s for s, (_, _, mode) in STATES.items() if mode in officer.CANCEL_MODES)
REPEATING = sorted(s for s in STATES if s not in WAITING)


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


def _reached(app_client, rasa, monkeypatch, state: str) -> tuple[CallSimulator, list[str]]:
    """A call brought to `state`, and the prompt it listens after (what 9 would repeat)."""
    caller, reach, mode = STATES[state]
    for key, value in SETTINGS.get(state, {}).items():
        monkeypatch.setenv(key, value)
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
    return sim, prompt


def _star_slows(sim: CallSimulator, state: str, prompt: list[str]) -> None:
    caller, _, mode = STATES[state]
    before = len(sim.events)
    heard = sim.press("*")
    lang = None if mode == "language" and caller == UNKNOWN else "bn"
    slower = [translate("voice.slower_on", x) for x in ((lang,) if lang else LANGUAGES)]
    assert heard == [*slower, *prompt] and sim.waiting_for(mode)
    assert _speeds(sim, before) == {"slow"}


@pytest.mark.parametrize("state", REPEATING)
def test_nine_repeats_and_star_slows_at_every_prompt(
    app_client, rasa, monkeypatch, state: str
) -> None:
    sim, prompt = _reached(app_client, rasa, monkeypatch, state)
    sent = len(rasa.received)
    assert sim.press("9") == prompt and sim.waiting_for(STATES[state][2])
    _star_slows(sim, state, prompt)
    assert len(rasa.received) == sent  # neither key reached the assistant


@pytest.mark.parametrize("state", WAITING)
def test_while_a_hand_over_waits_nine_cancels_it_and_star_still_slows(
    app_client, rasa, monkeypatch, state: str
) -> None:
    """The prompt says 9 cancels; 9 withdraws the ticket and the menu follows."""
    sim, prompt = _reached(app_client, rasa, monkeypatch, state)
    assert "৯ টিপুন" in prompt[-1]  # "press 9", in the caller's own digits
    sent = len(rasa.received)
    _star_slows(sim, state, prompt)
    reference = _waiting_reference()
    assert reference in calls.snapshot(sim.call_sid)["references"]

    heard = sim.press("9")
    cancelled = translate("voice.handoff_cancelled", "bn", reference=reference)
    assert heard == [cancelled, translate("voice.menu_options", "bn")]
    assert sim.waiting_for("menu") and sim.dialled == []
    assert _waiting_reference() is None  # closed by the caller, as the chat withdraws
    assert reference not in calls.snapshot(sim.call_sid)["references"]  # not in the summary SMS
    assert sim.press("9") == [translate("voice.menu_options", "bn")]  # 9 repeats again
    assert len(rasa.received) == sent  # no key reached the assistant


@pytest.mark.parametrize("state", WAITING)
@pytest.mark.parametrize("words", ["বাতিল করুন", "থাক, লাগবে না", "menu"])
def test_while_a_hand_over_waits_saying_cancel_cancels_it(
    app_client, rasa, monkeypatch, state: str, words: str
) -> None:
    """A caller who speaks rather than keys: "cancel" or "leave it" withdraws the ticket too,
    never dials the officer (the chat's stop-waiting words, api/language/waiting.py)."""
    sim, _prompt = _reached(app_client, rasa, monkeypatch, state)
    sent = len(rasa.received)
    reference = _waiting_reference()
    heard = sim.say(words)
    cancelled = translate("voice.handoff_cancelled", "bn", reference=reference)
    assert heard == [cancelled, translate("voice.menu_options", "bn")]
    assert sim.waiting_for("menu") and sim.dialled == []
    assert _waiting_reference() is None
    assert len(rasa.received) == sent


def _waiting_reference() -> str | None:
    with session_scope() as s:
        return s.execute(
            select(HandoffTicket.reference).where(HandoffTicket.status == "open")
        ).scalar_one_or_none()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_waiting_prompt_says_the_cancel_key(lang: str) -> None:
    nine = localise_digits(officer.CANCEL_KEY, lang)  # ৯ in Bengali, 9 in Hindi and English
    for msgid in WAITING_PROMPTS:
        assert nine in translate(msgid, lang, minutes="5"), (msgid, lang)
