"""Every <Gather> the phone line renders lets a key or a word interrupt the prompt (Twilio's
`bargeIn`): a caller who knows the menu never has to wait for it to end."""

from __future__ import annotations

from typing import Any

from actions import expect
from api.integrations.twilio.twiml import GatherSpec, Utterance, VoiceResponse, gather
from locales import translate
from tests.voice.conftest import UNKNOWN, simulator
from tests.voice.test_casework_calls import _notice_for_rina, _worker_call
from tests.voice.test_reminder_call import _reminder_for_rina


def test_the_gather_twiml_is_exactly_this() -> None:
    response = VoiceResponse()
    gather(
        response,
        action="https://helpline.example.org/voice/gather?turn=3&lang=hi",
        lang="hi",
        spec=GatherSpec(num_digits=1, timeout_s=6, hints="haan, nahin"),
        utterances=[Utterance("Namaste", "https://helpline.example.org/voice/audio/a.wav")],
    )
    assert str(response) == (
        '<?xml version="1.0" encoding="UTF-8"?><Response>'
        '<Gather action="https://helpline.example.org/voice/gather?turn=3&amp;lang=hi"'
        ' actionOnEmptyResult="true" bargeIn="true" finishOnKey="#" hints="haan, nahin"'
        ' input="speech dtmf" language="hi-IN" method="POST" numDigits="1"'
        ' speechTimeout="auto" timeout="6">'
        "<Play>https://helpline.example.org/voice/audio/a.wav</Play></Gather>"
        '<Redirect method="POST">https://helpline.example.org/voice/gather?turn=3&amp;lang=hi'
        "</Redirect></Response>"
    )


def _barge_in(sim: Any) -> str | None:
    assert sim.gather is not None, "the call should be listening"
    return sim.gather.attributes.get("bargeIn")


def test_every_prompt_of_a_call_can_be_interrupted(app_client, rasa) -> None:
    rasa.reply = lambda p: [
        {"text": translate("verify.ask_uan", "hi")},
        {"custom": expect.number("uan")},
    ]
    sim = simulator(app_client, UNKNOWN)
    seen = []
    sim.start()
    seen.append(_barge_in(sim))  # the language menu
    sim.press("2")
    seen.append(_barge_in(sim))  # the keypad menu
    sim.press("1")
    seen.append(_barge_in(sim))  # the assistant's number question
    sim.silence()
    seen.append(_barge_in(sim))  # the prompt again after silence
    sim.press("0")
    seen.append(_barge_in(sim))  # the officer's wait (1 for a call-back)
    assert seen == ["true"] * 5


def test_decision_and_reminder_calls_can_be_interrupted(app_client) -> None:
    sim = _worker_call(app_client)
    sim.start(f"/voice/notice?notice={_notice_for_rina()}")
    assert _barge_in(sim) == "true"
    reminder = _reminder_for_rina()
    sim = _worker_call(app_client)
    sim.start(f"/voice/reminder?reminder={reminder}")
    assert _barge_in(sim) == "true"
