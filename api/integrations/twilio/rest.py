"""Twilio's REST API through twilio's own client: send a message, place a call.

`TWILIO_API_BASE` points the client at another host (an egress proxy, or the tests' loopback
stand-in that records exactly what the client sends).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

import requests
import urllib3
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from api.integrations.twilio.urls import public_url
from api.settings import get_settings

TWILIO_API = "https://api.twilio.com"

__all__ = [
    "Client",
    "TwilioRestException",
    "find_placed_call",
    "find_sent_message",
    "never_reached",
    "place_call",
    "send_message",
    "twilio_client",
]
RECENT = 50  # how many of Twilio's newest messages (or calls) to a number recovery looks at


class BaseUrlHttpClient(TwilioHttpClient):  # type: ignore[misc]  # twilio ships no types
    """twilio's own HTTP client, pointed at another API host (TWILIO_API_BASE: proxy, tests)."""

    def __init__(self, base_url: str, timeout: float) -> None:
        super().__init__(timeout=timeout)
        self.base_url = base_url.rstrip("/")

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        if self.base_url and url.startswith(TWILIO_API):
            url = self.base_url + url[len(TWILIO_API) :]
        return super().request(method, url, *args, **kwargs)


def twilio_client() -> Client:
    settings = get_settings()
    http = BaseUrlHttpClient(settings.twilio_api_base, settings.twilio_timeout_s)
    return Client(settings.twilio_account_sid, settings.twilio_auth_token, http_client=http)


def never_reached(error: BaseException) -> bool:
    """Did `error` happen before any request reached Twilio (no connection made: refused,
    unresolvable, connect timeout)? Anything else (a read timeout, a dropped connection, a 5xx)
    may have reached it: the message may exist, so it must not be sent again unasked."""
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return True
    if isinstance(error, requests.exceptions.ProxyError):
        return False
    if isinstance(error, requests.exceptions.ConnectionError) and error.args:
        reason = getattr(error.args[0], "reason", None)
        return isinstance(reason, urllib3.exceptions.NewConnectionError)
    return False


def send_message(client: Client, *, to: str, body: str, channel: str) -> str:
    """Send one SMS or WhatsApp message from the line's sender; returns Twilio's message sid."""
    to, sender = _sender_for(channel, to)
    message = client.messages.create(
        to=to, from_=sender, body=body, status_callback=public_url("/sms/status")
    )
    return str(message.sid)


def place_call(
    client: Client, *, to: str, twiml: str | None = None, path: str | None = None
) -> str:
    """Ring `to` from the line's number: the call runs `twiml`, or asks `path` what to do."""
    settings = get_settings()
    target: dict[str, str] = (
        {"twiml": twiml} if twiml is not None else {"url": public_url(path or "/voice/incoming")}
    )
    call = client.calls.create(
        to=to,
        from_=settings.twilio_from_number,
        status_callback=public_url("/voice/status"),
        **target,
    )
    return str(call.sid)


def _sender_for(channel: str, to: str) -> tuple[str, str]:
    settings = get_settings()
    if channel == "whatsapp":
        return f"whatsapp:{to}", settings.twilio_whatsapp_from
    return to, settings.twilio_from_number


def find_sent_message(
    client: Client,
    *,
    to: str,
    body: str,
    channel: str,
    since: datetime,
    taken: Collection[str] = (),
) -> str | None:
    """The sid of a message Twilio accepted from the line to `to` with exactly `body` since
    `since` (created then or later), else None: did a send that got no answer get through?
    A sid in `taken` (another row's message) is never this one."""
    to, sender = _sender_for(channel, to)
    for message in client.messages.list(to=to, from_=sender, limit=RECENT):
        created = message.date_created
        fresh = created is None or created >= since
        if message.body == body and fresh and str(message.sid) not in taken:
            return str(message.sid)
    return None


def find_placed_call(
    client: Client, *, to: str, since: datetime, taken: Collection[str] = ()
) -> str | None:
    """The sid of a call the line placed to `to` since `since`, else None (see above)."""
    settings = get_settings()
    for call in client.calls.list(to=to, from_=settings.twilio_from_number, limit=RECENT):
        created = call.date_created
        if (created is None or created >= since) and str(call.sid) not in taken:
            return str(call.sid)
    return None
