"""Fetch a message's media (a WhatsApp voice note) from Twilio, with the account's credentials.

Twilio's media URLs need HTTP basic auth (account SID and auth token) and redirect to a short-
lived storage URL; httpx drops the credentials on a redirect to another host. The credentials
are only ever sent to Twilio's API host (or TWILIO_API_BASE): a MediaUrl naming any other host
is refused, however the webhook was signed. At most VOICE_NOTE_MAX_BYTES are read.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx

from api.integrations.twilio.rest import TWILIO_API
from api.settings import get_settings

FETCH_TIMEOUT_S = 5.0
# The HTTP boundary: tests put an httpx.MockTransport here to serve the media.
TRANSPORT: httpx.BaseTransport | None = None


class MediaUnavailable(Exception):
    """Not fetched: a foreign host, an error status, too large, or Twilio unreachable."""


def _twilio_url(url: str) -> str:
    """`url` on Twilio's API host (moved onto TWILIO_API_BASE when that is set)."""
    base = get_settings().twilio_api_base.rstrip("/")
    allowed = {urlsplit(TWILIO_API).netloc} | ({urlsplit(base).netloc} if base else set())
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or parts.netloc not in allowed:
        raise MediaUnavailable("media URL is not on Twilio's API host")
    if parts.scheme == "http" and parts.netloc != urlsplit(base).netloc:
        raise MediaUnavailable("media URL is not https")
    if base and url.startswith(TWILIO_API):
        return base + url[len(TWILIO_API) :]
    return url


def fetch_media(url: str) -> bytes:
    """The media's bytes (following Twilio's redirect), or MediaUnavailable."""
    settings = get_settings()
    limit = settings.voice_note_max_bytes
    target = _twilio_url(url)
    auth = (settings.twilio_account_sid, settings.twilio_auth_token)
    try:
        with (
            httpx.Client(
                timeout=FETCH_TIMEOUT_S, follow_redirects=True, max_redirects=3, transport=TRANSPORT
            ) as client,
            client.stream("GET", target, auth=auth) as response,
        ):
            if response.status_code != 200:
                raise MediaUnavailable(f"Twilio answered {response.status_code}")
            data = bytearray()
            for chunk in response.iter_bytes():
                data += chunk
                if len(data) > limit:
                    raise MediaUnavailable("voice note too large")
            return bytes(data)
    except httpx.HTTPError as error:
        raise MediaUnavailable(f"Twilio unreachable: {type(error).__name__}") from error
