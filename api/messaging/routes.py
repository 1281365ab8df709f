"""POST /sms/status: Twilio's delivery callbacks (the sender runs as a job: api/jobs.py)."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Depends, Response

from api.db.session import session_scope
from api.integrations.twilio.signature import twilio_form
from api.messaging import outbound

log = logging.getLogger(__name__)


router = APIRouter(tags=["messaging"])


@router.post("/sms/status")
def sms_status(form: dict[str, str] = Depends(twilio_form)) -> Response:
    sid = form.get("MessageSid") or form.get("SmsSid") or ""
    status = form.get("MessageStatus") or form.get("SmsStatus") or ""
    with session_scope() as s:
        outbound.record_status(s, sid, status)
    return Response(status_code=204)
