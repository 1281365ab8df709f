"""Answer or hold, for the phone webhooks outside the call menu: an automated call reading a
decision or a reminder, and how an officer's <Dial> ended.

Their step runs on the phone line's threads (voice/turns.py). If its answer is not ready when the
caller's words are due (ANSWER_WITHIN_S), the caller hears "one moment" at once and Twilio is sent
back to the same webhook (`hop` + 1), which runs the step again: each of these steps is safe to
repeat (a read, a call-back kept once per number, a stop that stays stopped). After
VOICE_MAX_HOLDS of them: the apology and an officer's line, never silence and never Twilio's own
"application error".
"""

from __future__ import annotations

from collections.abc import Callable

from api.integrations.twilio.twiml import VoiceResponse, speak
from api.settings import get_settings
from locales import LANGUAGES
from voice import ivr, turns
from voice.render import answer_left, render, utterances
from voice.texts import text


async def answer_or_hold(
    step: Callable[[], str], again: Callable[[int], str], hop: int, lang: str | None
) -> str:
    """`step()`'s TwiML if ready in time; else "one moment" and a redirect to `again(hop + 1)`.
    `lang`: the call's language if the webhook knows it without the database, else None (the
    hold is said in each language)."""
    found = await turns.within(turns.blocking(step), answer_left())
    if found is not None:
        return found
    if hop >= get_settings().voice_max_holds:
        return render(ivr.emergency(lang or "en"), wait=False)
    return one_moment(lang, again(hop + 1))


def one_moment(lang: str | None, url: str) -> str:
    """Said at once (a prompt rendered before is played, else Twilio says it), then `url`."""
    response = VoiceResponse()
    for one in [lang] if lang in LANGUAGES else list(LANGUAGES):
        for said in utterances([text("voice.one_moment", one)], one, slow=False, wait=False):
            speak(response, said, one)
    response.redirect(url, method="POST")
    return str(response)


def known_language(value: str | None) -> str | None:
    """A language passed in a webhook's URL, if it is one the line speaks."""
    return value if value in LANGUAGES else None
