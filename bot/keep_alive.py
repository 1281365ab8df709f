"""Rasa's calls to the action server on kept connections: one aiohttp session per endpoint.

Why: Rasa 3.6's `EndpointConfig.request` opens a new `aiohttp.ClientSession`, and with it a new
TCP connection that the action server must accept and tear down, for every action and every bot
text: two to four calls a turn. Under 25 conversations that was ~9% of the Rasa server's
samples (`make bench` profile; session set-up, connect, close), on the event loop every
conversation waits on. Here `EndpointConfig.session` gives the endpoint's kept session, in a
wrapper whose `async with` does not close it; Rasa's `request` is unchanged (its headers, its
per-call timeout, its errors). A session belongs to one event loop, so one is kept per loop.
Rasa closes a connection idle for `IDLE_S`, long before the action server (rasa_sdk: 120 s) or
HAProxy (90 s) would: a call is never sent on a connection the other end is closing.
bot/launch.py installs `session` through rasa_patches.py (`keep_alive`).
"""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import Any

import aiohttp

IDLE_S = 2.0
_KEPT = "_kept_sessions"  # attribute on the endpoint: {event loop: session}


class _Kept:
    """`async with` gives the kept session and leaves it open."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self.session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self.session

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        return None


def _new_session(endpoint: Any) -> aiohttp.ClientSession:
    """Rasa's session (headers, basic auth, its overall timeout) on a connector that closes
    idle connections after IDLE_S."""
    from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT

    auth = None
    if endpoint.basic_auth:
        auth = aiohttp.BasicAuth(endpoint.basic_auth["username"], endpoint.basic_auth["password"])
    return aiohttp.ClientSession(
        headers=endpoint.headers,
        auth=auth,
        timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
        connector=aiohttp.TCPConnector(keepalive_timeout=IDLE_S),
    )


def session(self: Any) -> _Kept:
    """In place of `EndpointConfig.session`: this endpoint's session for the running loop."""
    loop = asyncio.get_running_loop()
    kept: dict[asyncio.AbstractEventLoop, aiohttp.ClientSession] = self.__dict__.setdefault(
        _KEPT, {}
    )
    found = kept.get(loop)
    if found is None or found.closed:
        for other in [old for old in kept if old.is_closed()]:
            del kept[other]  # a finished loop's session is gone with its loop
        found = kept[loop] = _new_session(self)
    return _Kept(found)
