"""POST /sms/status (Twilio's delivery callbacks), and the sender loop in the app lifespan."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from fastapi import APIRouter, Depends, FastAPI, Response

from api.db.session import session_scope
from api.integrations.twilio.signature import twilio_form
from api.messaging import outbound

log = logging.getLogger(__name__)


@contextlib.asynccontextmanager
async def sender_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Run the outbound sender while the app runs (queued rows from before a restart included)."""
    stop = asyncio.Event()
    task: asyncio.Task[None] | None = None
    if outbound.sender_enabled():
        task = asyncio.create_task(outbound.Sender().run_forever(stop))
        log.info("outbound sender started")
    try:
        yield
    finally:
        stop.set()
        if task is not None:
            try:
                await asyncio.wait_for(task, timeout=5)
            except (TimeoutError, asyncio.CancelledError):
                task.cancel()


router = APIRouter(tags=["messaging"], lifespan=sender_lifespan)


@router.post("/sms/status")
def sms_status(form: dict[str, str] = Depends(twilio_form)) -> Response:
    sid = form.get("MessageSid") or form.get("SmsSid") or ""
    status = form.get("MessageStatus") or form.get("SmsStatus") or ""
    with session_scope() as s:
        outbound.record_status(s, sid, status)
    return Response(status_code=204)
