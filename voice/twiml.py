"""TwiML pieces shared by the IVR: spoken text (<Play> of cached audio, else <Say>), <Gather>.

Every prompt is spoken through `speak`, so the engine order, the caller's speed and the <Say>
fallback with the right language are decided in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from twilio.twiml.voice_response import Gather, VoiceResponse

from api.settings import get_settings
from locales import translate
from voice import tts

GATHER_LANGUAGE = {"bn": "bn-IN", "hi": "hi-IN", "en": "en-IN"}
SAY_VOICE = {
    "bn": "Google.bn-IN-Standard-A",
    "hi": "Google.hi-IN-Standard-A",
    "en": "Google.en-IN-Standard-A",
}


def public_url(path: str, **query: Any) -> str:
    """Absolute URL Twilio will call (and sign): PUBLIC_BASE_URL + path + query."""
    base = get_settings().public_base_url.rstrip("/")
    clean = {k: v for k, v in query.items() if v is not None}
    return f"{base}{path}" + (f"?{urlencode(clean)}" if clean else "")


def speak(parent: VoiceResponse | Gather, text: str, lang: str, slow: bool = False) -> None:
    audio = tts.render(text, lang, "slow" if slow else "normal")
    if audio is not None:
        parent.play(public_url(f"/voice/audio/{audio.filename}"))
    else:
        parent.say(text, language=GATHER_LANGUAGE.get(lang, "en-IN"), voice=SAY_VOICE.get(lang))


def say_all(parent: VoiceResponse | Gather, texts: list[str], lang: str, slow: bool) -> None:
    for text in texts:
        if text.strip():
            speak(parent, text, lang, slow)


@dataclass(frozen=True)
class GatherSpec:
    """How one <Gather> listens: keys, speech hints, patience."""

    num_digits: int | None = 1
    timeout_s: int = 6
    hints: str = ""
    finish_on_key: str = "#"


def gather(
    response: VoiceResponse,
    *,
    action: str,
    lang: str,
    spec: GatherSpec,
    texts: list[str],
    slow: bool,
) -> VoiceResponse:
    """<Gather input="speech dtmf"> in the caller's language, speaking `texts` inside it."""
    kwargs: dict[str, Any] = {
        "input": "speech dtmf",
        "action": action,
        "method": "POST",
        "language": GATHER_LANGUAGE.get(lang, "en-IN"),
        "timeout": spec.timeout_s,
        "speech_timeout": "auto",
        "action_on_empty_result": True,
        "finish_on_key": spec.finish_on_key,
    }
    if spec.num_digits:
        kwargs["num_digits"] = spec.num_digits
    if spec.hints:
        kwargs["hints"] = spec.hints
    node = response.gather(**kwargs)
    say_all(node, texts, lang, slow)
    # If the <Gather> ends without calling its action, come back to the same turn (no input).
    response.redirect(action, method="POST")
    return response


def text(msgid: str, lang: str, **params: Any) -> str:
    return translate(msgid, lang, **params)
