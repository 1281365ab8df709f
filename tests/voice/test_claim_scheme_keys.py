"""On the phone, "under which scheme shall I file this claim?" is a keypad choice: each scheme
the backend named is read with its key, and the key pressed goes to the assistant as the
option's number (the claim form takes it like a typed "2")."""

from __future__ import annotations

from actions.nlg import render
from locales import translate
from tests.voice.conftest import UNKNOWN, simulator

SCHEMES = ["bocw_welfare", "state_social_security"]


def test_the_scheme_question_is_answered_by_a_key(app_client, rasa) -> None:
    slots = {"language": "en", "claim_scheme_options": SCHEMES}
    question = render("utter_ask_claim_form_claim_scheme", slots)
    rasa.reply = lambda p: [{"text": question["text"], "buttons": question["buttons"]}]
    sim = simulator(app_client, UNKNOWN)
    sim.start()
    sim.press("3")  # English
    heard = sim.say("I want to file a claim")
    assert heard[-2:] == [
        translate("voice.choice_item", "en", label=translate(f"scheme.{code}", "en"), digit=n)
        for n, code in (("1", SCHEMES[0]), ("2", SCHEMES[1]))
    ]
    sim.press("2")
    assert rasa.received[-1]["message"] == "2"
