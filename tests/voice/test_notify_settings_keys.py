"""How we tell you, on the keypad: more, others, self-service, more, 1; the settings' choices
are keys and the key pressed goes to the assistant as the choice's number."""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.notify_settings import offer_main
from locales import localise_digits, translate
from tests.voice.conftest import KNOWN_BN, simulator

SETTINGS = {"decision_calls": False, "reminders_all": True, "reminders": {}}


def _settings_reply(pre: list[str]) -> list[dict[str, Any]]:
    """The reply action_notify_settings gives, as Rasa's REST channel sends it."""
    dispatcher = CollectingDispatcher()
    offer_main(dispatcher, SETTINGS, "bn", pre)
    (message,) = dispatcher.messages
    return [{"text": message["text"], "buttons": message["buttons"]}]


def test_settings_by_keys_then_one_turns_calls_on(app_client, rasa) -> None:
    rasa.reply = lambda p: _settings_reply([])
    sim = simulator(app_client, KNOWN_BN)
    sim.start()
    for key in "4444":
        sim.press(key)
    said = sim.press("1")
    sent = rasa.received[-1]
    assert sent["metadata"]["menu_choice"] == "notify"
    assert sent["message"] == translate("voice.intent.notify_settings", "bn")
    joined = " ".join(said)
    assert translate("notify.calls_off", "bn") in joined
    first = translate(
        "voice.choice_item",
        "bn",
        label=translate("notify.option_calls_on", "bn"),
        digit=localise_digits("1", "bn"),
    )
    assert first in said and sim.waiting_for("choice")
    rasa.reply = lambda p: _settings_reply([translate("notify.saved", "bn")])
    sim.press("1")
    assert rasa.received[-1]["message"] == "1"  # the choice's number, read by the assistant
