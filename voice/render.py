"""A Screen becomes TwiML: every prompt spoken through the TTS chain (cached audio, else
Twilio's own <Say> in the caller's language), the <Gather> for the next turn, then what follows.
Speech waits at most TTS_BUDGET_S: with every engine failing or hanging, Twilio says the words.
"""

from __future__ import annotations

import time
from concurrent import futures
from concurrent.futures import Future, ThreadPoolExecutor
from contextvars import ContextVar

from api.integrations.twilio.twiml import Utterance, VoiceResponse, gather, speak
from api.integrations.twilio.urls import public_url
from api.language.script import has_latin, script_language
from api.settings import get_settings
from locales import LANGUAGES, fixed_texts
from voice import tts
from voice.ivr.screen import Screen

DIAL_TIMEOUT_S = 30
# Speech is rendered here, off the request: a hung engine holds a worker, never the answer.
_POOL = ThreadPoolExecutor(max_workers=8, thread_name_prefix="tts")
# A webhook answers with words this soon after it began, whatever is slow (5 s promised: the
# rest is for the load balancer's and the server's queues); speech rendering stops a little
# earlier, so an answer waiting only on speech is never overtaken by its own "one moment".
ANSWER_WITHIN_S = 3.5
SPEECH_MARGIN_S = 0.3
_answer_by: ContextVar[float | None] = ContextVar("answer_by", default=None)


async def answer_clock() -> None:
    """A dependency of every phone webhook: the moment its words must be ready. Set in the
    request's own context, so the threads and turn tasks it starts share the same deadline
    (a turn that waited for the assistant, or a "one moment", only gets what is left)."""
    _answer_by.set(time.monotonic() + ANSWER_WITHIN_S)


def answer_left() -> float:
    """Seconds until this webhook's words are due (ANSWER_WITHIN_S outside a webhook)."""
    deadline = _answer_by.get()
    return ANSWER_WITHIN_S if deadline is None else max(0.0, deadline - time.monotonic())


def _speech_budget() -> float:
    return max(0.0, min(get_settings().tts_budget_s, answer_left() - SPEECH_MARGIN_S))


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
    return utterances([words], lang, slow, call_sid)[0]


def utterances(
    texts: list[str], lang: str, slow: bool, call_sid: str = "", wait: bool = True
) -> list[Utterance]:
    """Each sentence with its audio, all rendered side by side within one budget
    (TTS_BUDGET_S, or less when the webhook's answer is due sooner): a sentence without audio
    by then (every engine failing, or hanging) is said by Twilio's <Say>, so the caller hears
    words at once; audio finished later is cached. `wait=False`: only audio rendered before."""
    speed = "slow" if slow else "normal"
    jobs: list[tuple[str, str, Future[tts.Audio | None] | None, tts.Audio | None]] = []
    for words in texts:
        said = voice_language(words, lang)
        personal = is_personal(words, said)
        hit = None if personal else tts.cached(tts.audio_key(words.strip(), said, speed))
        job = None
        if hit is None:
            job = _POOL.submit(tts.render, words, said, speed, personal=personal, scope=call_sid)
        jobs.append((words, said, job, hit))
    pending = [job for _, _, job, _ in jobs if job is not None]
    if pending and wait:
        futures.wait(pending, timeout=_speech_budget())
    return [Utterance(w, _url(job, hit), said) for w, said, job, hit in jobs]


def _url(job: Future[tts.Audio | None] | None, hit: tts.Audio | None) -> str | None:
    audio = hit
    if job is not None and job.done():
        try:
            audio = job.result()
        except Exception:  # speech must never cost the caller the words: Twilio says them
            audio = None
    return public_url(audio.url_path) if audio is not None else None


def render(screen: Screen, wait: bool = True) -> str:
    """`wait=False`: at once, without waiting for speech (prompts rendered before are played,
    the rest said by Twilio), for answers that must not wait on anything (voice/turns.py)."""
    lang = screen.lang
    texts = [t for t in screen.texts if t.strip()]
    said = utterances(texts, lang, screen.slow, screen.call_sid, wait=wait)
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
