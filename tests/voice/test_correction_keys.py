"""A correction of the record on the keypad: more, others, self-service, then 3; the assistant's
questions take a new mobile number (10 digits) and a bank account number (any length, never read
back nor kept in the call's transcript)."""

from __future__ import annotations

from typing import Any

from actions import expect
from api.services import calls
from locales import translate
from tests.voice.conftest import UNKNOWN, simulator

ACCOUNT = "102938475601"


def _asks(what: str, msgid: str) -> Any:
    def reply(p: object) -> list[dict[str, object]]:
        return [{"text": translate(msgid, "bn")}, {"custom": expect.number(what)}]

    return reply


def _to_corrections(sim: Any) -> list[str]:
    sim.start()
    sim.press("1")  # Bengali
    for key in "444":
        sim.press(key)
    return sim.press("3")


def test_the_self_service_menu_offers_the_correction_in_its_third_key(app_client, rasa) -> None:
    sim = simulator(app_client, UNKNOWN)
    sim.start()
    sim.press("1")
    sim.press("4")
    sim.press("4")
    heard = sim.press("4")
    assert heard == [translate("voice.menu_self_service", "bn")]
    assert "৩" in heard[0]


def test_a_bank_account_typed_goes_to_the_assistant_unread_and_unkept(app_client, rasa) -> None:
    rasa.reply = _asks("account", "correction.ask_value.bank_account")
    sim = simulator(app_client, UNKNOWN)
    said = _to_corrections(sim)
    assert rasa.received[-1]["metadata"]["menu_choice"] == "correction"
    assert rasa.received[-1]["message"] == translate("voice.intent.correction", "bn")
    assert said[-1] == translate("voice.keypad_account", "bn")
    assert sim.waiting_for("number")
    rasa.reply = lambda p: [{"text": translate("correction.same_as_record", "bn")}]
    sim.press(f"{ACCOUNT}#")
    assert rasa.received[-1]["message"] == ACCOUNT, "straight to the assistant, no read-back"
    state = calls.snapshot(sim.call_sid)
    assert state is not None and ACCOUNT not in str(state["transcript"])


def test_a_new_mobile_number_is_ten_digits_on_the_keypad(app_client, rasa) -> None:
    rasa.reply = _asks("phone", "correction.ask_value.phone")
    sim = simulator(app_client, UNKNOWN)
    _to_corrections(sim)
    wrong = sim.press("98300#")
    assert translate("voice.keypad_phone", "bn") in wrong
    rasa.reply = lambda p: [{"text": translate("correction.same_as_record", "bn")}]
    sim.press("9830012345#")
    sim.press("1")  # after a wrong length the number is read back once: 1 is right
    assert rasa.received[-1]["message"] == "9830012345"
