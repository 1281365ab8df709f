"""The one HTTP client (per event loop) the API's adapters use to reach the assistant (Rasa).

Why: a new httpx client per message built its transports on the event loop, a TLS context for
each (and one per proxy the environment names, as a deployment that reaches gTTS through a proxy
does): 0.1-0.3 s of CPU, over 1 s under load, during which every other request of the process
waited, phone calls included (api/web/loop_watch.py named it). One client per loop also keeps
its connections to Rasa open between messages. Timeouts are given per request.
"""

from __future__ import annotations

import asyncio
import weakref

import httpx

# Each waiting message holds a connection for up to RASA_TIMEOUT_S; past this many at once, the
# next waits for one (and times out like a slow assistant).
MAX_CONNECTIONS = 256
_clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, httpx.AsyncClient] = (
    weakref.WeakKeyDictionary()
)


def client() -> httpx.AsyncClient:
    """This event loop's client (made on first use; an httpx client belongs to one loop)."""
    loop = asyncio.get_running_loop()
    found = _clients.get(loop)
    if found is None or found.is_closed:
        limits = httpx.Limits(max_connections=MAX_CONNECTIONS, max_keepalive_connections=64)
        found = _clients[loop] = httpx.AsyncClient(limits=limits)
    return found


async def close() -> None:
    """Close this loop's client (the app shutting down)."""
    loop = asyncio.get_running_loop()
    found = _clients.pop(loop, None)
    if found is not None:
        await found.aclose()
