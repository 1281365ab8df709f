"""The self-service paths on the keypad: more, others, then 4 (track a request, lost UAN); the
assistant's number questions take a reference's 6 digits and a 10-digit phone number."""

from __future__ import annotations

from typing import Any

from actions import expect
from locales import translate
from tests.voice.conftest import UNKNOWN, simulator


def _asks(what: str, msgid: str) -> Any:
    def reply(p: object) -> list[dict[str, object]]:
        return [{"text": translate(msgid, "hi")}, {"custom": expect.number(what)}]

    return reply


def test_track_by_keys_sends_the_six_digits_typed(app_client, rasa) -> None:
    rasa.reply = _asks("reference", "track.ask_reference")
    sim = simulator(app_client, UNKNOWN)
    sim.start()
    sim.press("2")  # Hindi
    assert sim.press("4") == [translate("voice.menu_more", "hi")]
    assert sim.press("4") == [translate("voice.menu_others", "hi")]
    assert sim.press("4") == [translate("voice.menu_self_service", "hi")]
    said = sim.press("1")
    assert rasa.received[-1]["metadata"]["menu_choice"] == "track"
    assert said[-1] == translate("voice.keypad_reference", "hi")
    sim.press("000101#")
    assert rasa.received[-1]["message"] == "000101"


def test_lost_uan_by_keys_takes_a_ten_digit_phone_then_a_date(app_client, rasa) -> None:
    rasa.reply = _asks("phone", "lost_uan.ask_phone")
    sim = simulator(app_client, UNKNOWN)
    sim.start()
    sim.press("2")
    for key in "444":
        sim.press(key)
    said = sim.press("2")
    assert rasa.received[-1]["metadata"]["menu_choice"] == "lost_uan"
    assert said[-1] == translate("voice.keypad_phone", "hi")
    wrong = sim.press("98000#")  # too short: said again, nothing sent
    assert translate("voice.keypad_phone", "hi") in wrong
    sent = len(rasa.received)
    rasa.reply = _asks("dob", "lost_uan.ask_dob")
    sim.press("9800000002#")
    assert len(rasa.received) == sent
    sim.press("1")  # after a wrong length the number is read back once: 1 is right
    assert rasa.received[-1]["message"] == "9800000002"
    sim.press("01071990#")
    assert rasa.received[-1]["message"] == "01-07-1990"


def test_the_callers_number_goes_to_the_assistant_as_metadata(app_client, rasa) -> None:
    """Twilio's From, as a structured field (`caller_phone`), so the lost-UAN flow can offer it
    as the registered phone to check instead of asking the caller to type their own number."""
    rasa.reply = _asks("phone", "lost_uan.ask_phone")
    sim = simulator(app_client, UNKNOWN)
    sim.start()
    sim.press("2")
    for key in "4442":
        sim.press(key)
    assert rasa.received[-1]["metadata"]["caller_phone"] == UNKNOWN
    sim.say("আমার নম্বর")  # speech too: every message of the call carries it
    assert rasa.received[-1]["metadata"]["caller_phone"] == UNKNOWN


def test_a_hidden_number_sends_no_caller_phone(app_client, rasa) -> None:
    sim = simulator(app_client, "anonymous")
    sim.start()
    sim.press("3")
    sim.press("1")
    assert "caller_phone" not in rasa.received[-1]["metadata"]
