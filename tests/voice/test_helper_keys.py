"""A helper on the phone keypad: more, others, self-service, more, 2 starts the helper flow; the
name cannot be typed (a key goes on without it), the relation is a numbered key, and the consent
code is typed on the keys (docs/contracts.md, "A helper acts for a worker", "Phone keypad")."""

from __future__ import annotations

from actions.nlg import SENDER_CHANNEL, render
from locales import translate
from tests.voice.conftest import UNKNOWN, simulator


def _reply(response: str) -> object:
    """The assistant's question as Rasa's REST channel sends it (text, then its custom part)."""
    message = render(response, {"language": "bn", SENDER_CHANNEL: "voice"})

    def reply(p: object) -> list[dict[str, object]]:
        parts: list[dict[str, object]] = [{"text": message["text"]}]
        if message.get("buttons"):
            parts[0]["buttons"] = message["buttons"]
        return [*parts, {"custom": message["custom"]}]

    return reply


def test_the_helper_by_keys_goes_on_without_a_name_and_keys_the_relation(app_client, rasa) -> None:
    rasa.reply = _reply("utter_ask_verify_form_helper_name")
    sim = simulator(app_client, UNKNOWN)
    sim.start()
    sim.press("1")  # Bengali
    for key in "444":
        sim.press(key)
    assert sim.press("4") == [translate("voice.menu_self_service_more", "bn")]
    asked = sim.press("2")
    sent = rasa.received[-1]
    assert sent["metadata"]["menu_choice"] == "helper"
    assert sent["message"] == translate("voice.intent.helper", "bn")
    assert translate("helper.ask_name_keyed", "bn") in " ".join(asked)  # after keys: key words
    rasa.reply = _reply("utter_ask_verify_form_helper_relation")
    sim.press("1")  # keys cannot spell a name: 1 goes on without it
    assert rasa.received[-1]["message"] == "1"
    assert sim.waiting_for("options") or sim.waiting_for("choice"), sim.events
    sim.press("7")  # a volunteer
    assert rasa.received[-1]["message"] in ("7", translate("helper_role.volunteer", "bn"))
