"""Words read aloud outside the menu: the automated calls (a decision, a reminder) read a text,
then wait for one key; or say a few sentences and hang up. One place for both, so every
automated call sounds and answers alike.
"""

from __future__ import annotations

from fastapi.responses import Response

from api.integrations.twilio import twiml
from voice.render import utterances

XML = "application/xml"
ONE_KEY = twiml.GatherSpec(num_digits=1, timeout_s=6)


def xml(body: str) -> Response:
    """A TwiML answer to a webhook."""
    return Response(content=body, media_type=XML)


def read_then_gather(lang: str, words: list[str], action: str, slow: bool = False) -> str:
    """Read `words` in `lang` (slowly if asked), then send the key pressed to `action`."""
    response = twiml.VoiceResponse()
    twiml.gather(
        response,
        action=action,
        lang=lang,
        spec=ONE_KEY,
        utterances=utterances(words, lang, slow),
    )
    return str(response)


def say_and_hang_up(lang: str, words: list[str], slow: bool = False) -> str:
    """Say `words` in `lang`, then end the call."""
    response = twiml.VoiceResponse()
    for one in utterances(words, lang, slow):
        twiml.speak(response, one, lang)
    response.hangup()
    return str(response)
