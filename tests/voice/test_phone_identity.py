"""The phone line takes the one-time code like any number, but never reads it back or keeps it."""

from __future__ import annotations

from actions import expect
from api.services import calls
from locales import translate
from tests.voice.conftest import KNOWN_BN, simulator


def test_the_texted_code_is_typed_on_the_keypad_without_read_back(app_client, rasa) -> None:
    rasa.reply = lambda p: [
        {"text": translate("verify.otp_sent", "bn", last2="01")},
        {"custom": expect.number("otp")},
    ]
    sim = simulator(app_client, KNOWN_BN)
    sim.start()
    heard = sim.press("1")
    assert heard[-1] == translate("voice.keypad_otp", "bn")
    assert sim.waiting_for("number")
    heard = sim.press("123")
    assert heard[0] == translate("voice.wrong_length", "bn", count=3, expected=6)
    rasa.reply = lambda p: [{"text": translate("erasure.kept", "bn")}]
    sim.press("482913")
    assert rasa.received[-1]["message"] == "482913", "straight to the assistant, no read-back"
    state = calls.snapshot(sim.call_sid)
    assert state is not None
    assert "482913" not in str(state["transcript"]), "the code is not kept for the officer"
