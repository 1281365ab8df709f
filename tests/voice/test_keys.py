"""Star for slower and 9 to repeat at every kind of prompt, without breaking number entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from actions import expect
from locales import translate
from tests.voice.conftest import KNOWN_BN, ask_uan, simulator
from voice import tts
from voice.simulate import CallSimulator

RELATIONS = [
    {"text": "Who is the nominee? 1 husband ... 9 other"},
    {"custom": expect.options(9)},
]


def speeds(sim: CallSimulator) -> list[str]:
    """The speed each cached prompt was rendered at (personal audio has no sidecar)."""
    out = []
    for event in sim.events:
        if event.kind == "play" and "/audio/p/" not in event.url:
            meta = tts.read_meta(Path(event.url).stem) or {}
            out.append(str(meta.get("speed", "")))
    return out


def test_at_a_number_prompt_a_lone_nine_repeats_and_digits_with_nines_are_a_number(
    app_client, rasa
) -> None:
    rasa.reply = ask_uan
    sim = simulator(app_client, KNOWN_BN)
    sim.start()
    asked = sim.press("1")
    sent = len(rasa.received)
    assert sim.press("9#") == asked[-2:]  # the question and the keypad hint again
    assert sim.press("9") == asked[-2:] and len(rasa.received) == sent
    heard = sim.press("*")
    assert heard[0] == translate("voice.slower_on", "bn") and heard[1:] == asked[-2:]
    sim.press("999999999999#")  # twelve nines: a UAN, sent as typed
    assert rasa.received[-1]["message"] == "999999999999"


@pytest.mark.parametrize(
    "reply",
    [
        [{"text": "Shall I file it?"}, {"custom": expect.yes_no("yes", "no")}],
        [{"text": "Tell me what happened."}, {"custom": expect.free_text()}],
        [{"text": "Pick one: 1 a, 2 b, 3 c"}, {"custom": expect.options(3)}],
    ],
    ids=["yes_no", "free_text", "options"],
)
def test_nine_repeats_and_star_slows_at_the_assistants_questions(
    app_client, rasa, reply: list[dict[str, object]]
) -> None:
    rasa.reply = lambda p: reply
    sim = simulator(app_client, KNOWN_BN)
    sim.start()
    asked = sim.press("1")
    sent = len(rasa.received)
    assert sim.press("9") == asked and len(rasa.received) == sent
    heard = sim.press("*")
    assert heard == [translate("voice.slower_on", "bn"), *asked] and len(rasa.received) == sent


def test_in_a_list_of_nine_nine_is_the_ninth_item(app_client, rasa) -> None:
    rasa.reply = lambda p: RELATIONS
    sim = simulator(app_client, KNOWN_BN)
    sim.start()
    sim.press("1")
    sim.press("9")
    assert rasa.received[-1]["message"] == "9"


def test_slower_lasts_for_the_rest_of_the_call(app_client, rasa) -> None:
    sim = simulator(app_client, KNOWN_BN)
    sim.start()
    assert set(speeds(sim)) == {"normal"}
    before = len(speeds(sim))
    sim.press("*")
    sim.press("4")  # another menu level
    sim.press("8")  # and back
    assert set(speeds(sim)[before:]) == {"slow"}


def test_star_while_told_the_officers_wait_then_silence_dials(app_client) -> None:
    """There 9 cancels the hand-over (tests/voice/test_every_prompt_keys.py); star still slows."""
    sim = simulator(app_client, KNOWN_BN)
    sim.start()
    told = sim.press("0")
    assert sim.waiting_for("officer_wait")
    slower = sim.press("*")
    assert slower == [translate("voice.slower_on", "bn"), *told[-1:]]
    assert sim.waiting_for("officer_wait")
    sim.silence()
    assert sim.dialled
