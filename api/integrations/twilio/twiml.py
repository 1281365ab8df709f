"""TwiML builders for the phone line and the messaging webhook (twilio's own classes).

The phone line decides what to say and renders audio; these helpers only turn that into
Twilio's XML: an audio file is <Play>ed, a text without audio is <Say>d in the caller's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import Gather, VoiceResponse

__all__ = [
    "GATHER_LANGUAGE",
    "GatherSpec",
    "MessagingResponse",
    "Utterance",
    "VoiceResponse",
    "bridge",
    "gather",
    "messages",
    "reject_busy",
    "speak",
]

GATHER_LANGUAGE = {"bn": "bn-IN", "hi": "hi-IN", "en": "en-IN"}
SAY_VOICE = {
    "bn": "Google.bn-IN-Standard-A",
    "hi": "Google.hi-IN-Standard-A",
    "en": "Google.en-IN-Standard-A",
}


@dataclass(frozen=True)
class Utterance:
    """One thing said: pre-rendered audio at `audio_url`, else Twilio speaks `text` itself, in
    `lang` when the sentence is in another language than the call (the language menu)."""

    text: str
    audio_url: str | None = None
    lang: str | None = None


@dataclass(frozen=True)
class GatherSpec:
    """How one <Gather> listens: keys, speech hints, patience."""

    num_digits: int | None = 1
    timeout_s: int = 6
    hints: str = ""
    finish_on_key: str = "#"


def speak(parent: VoiceResponse | Gather, utterance: Utterance, lang: str) -> None:
    if utterance.audio_url:
        parent.play(utterance.audio_url)
    else:
        lang = utterance.lang or lang
        parent.say(
            utterance.text, language=GATHER_LANGUAGE.get(lang, "en-IN"), voice=SAY_VOICE.get(lang)
        )


def gather(
    response: VoiceResponse,
    *,
    action: str,
    lang: str,
    spec: GatherSpec,
    utterances: list[Utterance],
) -> VoiceResponse:
    """<Gather input="speech dtmf" bargeIn="true"> in the caller's language, speaking
    `utterances` inside it: a key pressed or a word said stops the prompt at once (barge-in), so
    a caller who knows the menu never waits through it.

    If the <Gather> ends without calling its action, the <Redirect> comes back to the same turn
    (Twilio then reports no input).
    """
    kwargs: dict[str, Any] = {
        "input": "speech dtmf",
        "action": action,
        "method": "POST",
        "language": GATHER_LANGUAGE.get(lang, "en-IN"),
        "timeout": spec.timeout_s,
        "speech_timeout": "auto",
        "action_on_empty_result": True,
        "barge_in": True,
        "finish_on_key": spec.finish_on_key,
    }
    if spec.num_digits:
        kwargs["num_digits"] = spec.num_digits
    if spec.hints:
        kwargs["hints"] = spec.hints
    node = response.gather(**kwargs)
    for utterance in utterances:
        speak(node, utterance, lang)
    response.redirect(action, method="POST")
    return response


def messages(bodies: list[str], *, media: str | None = None) -> str:
    """A messaging webhook's answer: one <Message> per body (empty: answer nothing); `media`
    (a voice note's URL) goes first, in a <Message> of its own, so the words come beneath it."""
    response = MessagingResponse()
    if media:
        response.message().media(media)
    for body in bodies:
        response.message(body)
    return str(response)


def reject_busy() -> str:
    """Reject a call as busy: free for the caller (the missed-call line)."""
    response = VoiceResponse()
    response.reject(reason="busy")
    return str(response)


def bridge(*, announce: str, lang: str, to: str, caller_id: str, timeout_s: int = 30) -> str:
    """The officer answers, hears `announce`, then is connected to `to` (the worker), who sees
    the helpline's number."""
    response = VoiceResponse()
    speak(response, Utterance(announce), lang)
    response.dial(to, caller_id=caller_id, timeout=timeout_s)
    return str(response)


def say_and_hang_up(text: str, lang: str) -> str:
    """Say one sentence in the caller's language (Twilio's voice), then end the call."""
    response = VoiceResponse()
    speak(response, Utterance(text), lang)
    response.hangup()
    return str(response)
