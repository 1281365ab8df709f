"""A keypad status check, measured on the audio the line renders (espeak-ng, deterministic):
at most four keypad turns and under a minute of listening, in every language.

The assistant's words come from its own renderers (actions/nlg.py, actions/render.py) over the
demo worker's real status from the backend, so the figure is the one a caller would hear.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.backend_types import Status
from actions.nlg import SENDER_CHANNEL
from actions.nlg import render as nlg
from actions.routing.after_verify import say_status
from api.db.models import Worker
from api.db.session import session_scope
from api.services import language as language_service
from api.services import status as status_service
from api.services.context import Ctx
from api.settings import get_settings
from bench.audio import audio_seconds
from locales import LANGUAGES, spell_digits, translate
from tests.factory import RINA
from tests.voice.conftest import UNKNOWN, simulator
from voice.simulate import CallSimulator

GOAL_S = 60.0
needs_espeak = pytest.mark.skipif(
    not (shutil.which("espeak-ng") and shutil.which("sox")), reason="needs espeak-ng and sox"
)


def rina_status(lang: str) -> list[dict[str, Any]]:
    """The status reply as the assistant sends it on the phone (its own code, over the demo
    worker's real records), in the shape of Rasa's REST channel."""
    with session_scope() as s:
        worker = s.query(Worker).filter(Worker.uan == RINA.uan).one()
        body = status_service.status(s, Ctx(), worker)
        name = (body["worker"]["first_name"] or {}).get(lang, "")
    found = Status(
        worker=body["worker"],
        enrollments=body["enrollments"],
        renewals=body["renewals"],
        claims=body["claims"],
        pension=body["pension"],
        nominee=body["nominee"],
    )
    tracker = Tracker(
        "voice:test", {"language": lang}, {"metadata": {"channel": "voice"}}, [], False, None, {},
        "action_listen",
    )  # fmt: skip
    dispatcher = CollectingDispatcher()
    say_status(dispatcher, tracker, found, name)
    out: list[dict[str, Any]] = []
    for message in dispatcher.messages:
        out.append({"text": message["text"], "buttons": message.get("buttons") or []})
        if message.get("custom"):
            out.append({"custom": message["custom"]})
    return out


def assistant(lang: str) -> Any:
    """What the assistant answers at each step of a status check (its own renderers)."""

    def reply(payload: dict[str, Any]) -> list[dict[str, Any]]:
        if payload.get("metadata", {}).get("menu_choice") == "status":
            asked = nlg("utter_ask_verify_form_uan", {"language": lang})
        elif payload["message"] == RINA.uan:
            slots = {"language": lang, "uan": RINA.uan, SENDER_CHANNEL: "voice"}
            asked = nlg("utter_ask_verify_form_date_of_birth", slots)
        else:
            return rina_status(lang)
        return [{"text": asked["text"]}, {"custom": asked["custom"]}]

    return reply


def seconds_heard(sim: CallSimulator, start: int = 0, end: int | None = None) -> float:
    """Seconds of the rendered audio the caller heard (shared cache or the call's own files)."""
    total = 0.0
    for event in sim.events[start:end]:
        assert event.kind != "say", f"no audio rendered for {event.text!r}"
        if event.kind != "play":
            continue
        name = Path(event.url).name
        folder = get_settings().personal_audio_dir if "/audio/p/" in event.url else None
        path = (folder or Path(get_settings().var_dir) / "tts") / name
        seconds = audio_seconds(path.read_bytes(), path.suffix)
        assert seconds is not None, name
        total += seconds
    return total


def keypad_status_check(sim: CallSimulator, lang: str) -> tuple[int, float, float]:
    """A returning caller (language known): (keypad turns, seconds from the first word to the
    end of the status, seconds with the offer of the rest and the menu after it)."""
    sim.start()
    turns = 0
    for keys in ("1", RINA.uan + "#", "14031988#"):
        sim.press(keys)
        turns += 1
    offer = translate("status.more_offer", lang)
    status = next(i for i, e in enumerate(sim.events) if offer in e.text) - 1
    spoken = sim.events[status].text
    assert translate("status.header_spoken", lang, name=RINA.first_name(lang)) in spoken
    assert "CLM-2026-000101" not in spoken  # her own claim: where it is, not its long number
    return turns, seconds_heard(sim, 0, status + 1), seconds_heard(sim)


@needs_espeak
@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_keypad_status_check_is_short(app_client, rasa, lang: str, capsys) -> None:
    language_service.remember_for(UNKNOWN, lang)  # a returning caller: no language menu
    rasa.reply = assistant(lang)
    sim = simulator(app_client, UNKNOWN)
    turns, to_status, whole = keypad_status_check(sim, lang)
    with capsys.disabled():
        print(f"\n{lang}: {turns} keypad turns, {to_status:.1f} s to the end of the status, "
              f"{whole:.1f} s with the offer of the rest and the menu")  # fmt: skip
    assert turns <= 4
    assert to_status < GOAL_S


def test_after_speech_the_uan_is_read_back_once_in_fours(app_client, rasa) -> None:
    language_service.remember_for(UNKNOWN, "en")
    rasa.reply = assistant("en")
    sim = simulator(app_client, UNKNOWN)
    sim.start()
    keyed = sim.press("1")
    assert keyed == [nlg("utter_ask_verify_form_uan", {"language": "en"})["custom"]["keyed_text"]]
    heard = sim.say(RINA.uan)  # the recogniser's digits: may be misheard, so read back
    slots = {"language": "en", "uan": RINA.uan, SENDER_CHANNEL: "voice"}
    asked = nlg("utter_ask_verify_form_date_of_birth", slots)
    assert heard[0] == asked["text"] and spell_digits(RINA.uan, "en", group=4) in heard[0]
    assert heard[-1] == asked["text"]  # a caller who speaks hears no keypad hint until a miss
    missed = sim.silence()
    assert translate("voice.keypad_dob", "en") in missed
