"""Speech recognition for voice notes, behind one interface: `recognise(audio, ...)`.

ASR_PROVIDER picks the provider: `none` (default: nothing is sent anywhere; the caller is told
how to use the keypad line), `google` (Speech-to-Text v1 REST `speech:recognize`) or `bhashini`
(the ULCA inference pipeline). Each provider module only builds its HTTP request and reads its
answer; this module sends it (one `httpx` client, one timeout) and turns every failure into
`AsrFailed`, so the caller of `recognise` handles exactly three outcomes: text, `AsrFailed`, or
`AsrNotConfigured`. Audio is personal: it is sent only to the configured provider, never logged
and never written to disk here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from api.settings import get_settings

log = logging.getLogger(__name__)

__all__ = [
    "AsrFailed",
    "AsrNotConfigured",
    "Recognition",
    "configured",
    "recognise",
]

LANGUAGE_TAGS = {"bn": "bn-IN", "hi": "hi-IN", "en": "en-IN"}
# The HTTP boundary: tests put an httpx.MockTransport here to capture the provider's request.
TRANSPORT: httpx.BaseTransport | None = None


class AsrNotConfigured(Exception):
    """ASR_PROVIDER is `none`: nothing may be sent."""


class AsrFailed(Exception):
    """The provider could not be reached, refused, or answered something unreadable."""


@dataclass(frozen=True)
class Recognition:
    """What was heard: `text` empty when the provider heard no words."""

    text: str
    language: str | None = None  # bn | hi | en, when the provider says
    confidence: float | None = None


@dataclass(frozen=True)
class Request:
    url: str
    headers: dict[str, str]
    body: dict[str, Any]


class Provider(Protocol):
    def build(self, audio: bytes, content_type: str, language: str | None) -> Request: ...

    def read(self, answer: Any, language: str | None) -> Recognition: ...


def _provider(name: str) -> Provider:
    if name == "google":
        from api.integrations.asr.google import GOOGLE

        return GOOGLE
    if name == "bhashini":
        from api.integrations.asr.bhashini import BHASHINI

        return BHASHINI
    raise AsrNotConfigured(name)


def configured() -> bool:
    return get_settings().asr_provider != "none"


def recognise(audio: bytes, content_type: str, language: str | None = None) -> Recognition:
    """The words in `audio` (e.g. a WhatsApp voice note, audio/ogg Opus).

    `language`: bn, hi or en when known (the number's remembered language), else None.
    Raises AsrNotConfigured (provider `none`) or AsrFailed (anything else that went wrong).
    """
    settings = get_settings()
    provider = _provider(settings.asr_provider)
    try:
        request = provider.build(audio, content_type, language)
    except ValueError as error:  # audio the provider cannot take (format, size)
        raise AsrFailed(f"unusable audio: {error}") from error
    try:
        with httpx.Client(timeout=settings.asr_timeout_s, transport=TRANSPORT) as client:
            response = client.post(request.url, headers=request.headers, json=request.body)
    except httpx.HTTPError as error:
        raise AsrFailed(f"{settings.asr_provider} unreachable: {type(error).__name__}") from error
    if response.status_code >= 400:
        raise AsrFailed(f"{settings.asr_provider} answered {response.status_code}")
    try:
        return provider.read(response.json(), language)
    except (ValueError, KeyError, TypeError, IndexError) as error:
        raise AsrFailed(f"{settings.asr_provider} answer unreadable") from error
