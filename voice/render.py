"""A Screen becomes TwiML: every prompt spoken through the TTS chain (cached audio, else
Twilio's own <Say> in the caller's language), the <Gather> for the next turn, then what follows.
"""

from __future__ import annotations

from api.integrations.twilio.twiml import Utterance, VoiceResponse, gather, speak
from api.integrations.twilio.urls import public_url
from api.language.script import has_latin, script_language
from locales import LANGUAGES, fixed_texts
from voice import tts
from voice.ivr.screen import Screen

DIAL_TIMEOUT_S = 30


def is_personal(words: str, lang: str) -> bool:
    """Anything but a fixed catalog sentence may carry a name, a number, a date or an amount."""
    return words.strip() not in fixed_texts(lang)


def voice_language(words: str, lang: str) -> str:
    """The language a sentence is spoken in: the call's, unless the sentence is another
    language's (the language menu says each option in its own language): a fixed sentence of
    another catalog, or Bengali or Devanagari letters without Latin ones."""
    said = words.strip()
    if said in fixed_texts(lang):
        return lang
    for other in LANGUAGES:
        if said in fixed_texts(other):
            return other
    found = script_language(said)
    return found if found and not has_latin(said) else lang


def utterance(words: str, lang: str, slow: bool, call_sid: str = "") -> Utterance:
    speed = "slow" if slow else "normal"
    lang = voice_language(words, lang)
    try:
        audio = tts.render(words, lang, speed, personal=is_personal(words, lang), scope=call_sid)
    except Exception:  # speech must never cost the caller the words: Twilio says them
        audio = None
    url = public_url(audio.url_path) if audio is not None else None
    return Utterance(words, url, lang)


def render(screen: Screen) -> str:
    lang = screen.lang
    said = [utterance(t, lang, screen.slow, screen.call_sid) for t in screen.texts if t.strip()]
    response = VoiceResponse()
    if screen.listen is not None:
        action = public_url(
            "/voice/gather", turn=screen.listen.turn, lang=lang, mode=screen.listen.mode
        )
        gather(response, action=action, lang=lang, spec=screen.listen.spec, utterances=said)
        return str(response)
    for one in said:
        speak(response, one, lang)
    if screen.after == "hangup":
        response.hangup()
    elif screen.after == "dial" and screen.dial_to:
        if screen.dial_status:
            response.dial(
                screen.dial_to,
                action=public_url("/voice/dial-status", lang=lang),
                method="POST",
                timeout=DIAL_TIMEOUT_S,
            )
        else:
            response.dial(screen.dial_to, timeout=DIAL_TIMEOUT_S)
    elif screen.after == "enqueue":
        response.enqueue("officers")
    elif screen.after == "wait":
        url = public_url("/voice/wait", turn=screen.wait_turn, hop=screen.wait_hop, lang=lang)
        response.redirect(url, method="POST")
    return str(response)
