"""Request id (X-Request-ID in and out), body-size cap and one access log line per request.

The cap holds for every body: a declared Content-Length above it is refused at once, and a body
without one (chunked) is read, counting, before the app sees any of it; past the cap: 413.
"""

from __future__ import annotations

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.logging_setup import clean_request_id, request_id_var

log = logging.getLogger("api.access")
MAX_BODY_BYTES = 64 * 1024


class RequestContextMiddleware:
    """Pure ASGI (no BaseHTTPMiddleware) so the contextvar is visible to every handler."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        rid = clean_request_id(headers.get("x-request-id"))
        token = request_id_var.set(rid)
        started = time.perf_counter()
        status_holder = {"status": 500}
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > MAX_BODY_BYTES:
            await _too_large(rid, send)
            request_id_var.reset(token)
            return
        if not length.isdigit() and scope.get("method") not in ("GET", "HEAD", "OPTIONS"):
            replay = await _read_capped(receive)
            if replay is None:
                await _too_large(rid, send)
                request_id_var.reset(token)
                return
            receive = replay

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", rid.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            log.info(
                "%s %s -> %s",
                scope.get("method"),
                scope.get("path"),
                status_holder["status"],
                extra={"duration_ms": round((time.perf_counter() - started) * 1000, 1)},
            )
            request_id_var.reset(token)


async def _read_capped(receive: Receive) -> Receive | None:
    """Read a body of unknown length; None past MAX_BODY_BYTES, else a receive that replays it."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":  # the client went away: let the app see it
            first: Message | None = message
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            first = None
            break
    body = b"".join(chunks)
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            if first is not None:
                return first
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _too_large(rid: str, send: Send) -> None:
    body = b'{"error":{"code":"invalid_input","message":"Request body too large."}}'
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"x-request-id", rid.encode()),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
