"""The ONE way the helpline sends SMS/WhatsApp messages and places call-backs.

Why stored first: a message or call-back must survive a crash, a restart or a Twilio outage.
`enqueue()` writes a row (unique `dedupe_key`, so asking twice sends once); the `Sender` claims
due rows one by one (a conditional UPDATE, so two senders never send the same row), sends them
with twilio's REST client, and retries with exponential backoff. A send that got no clear answer
(timeout, 5xx) may have reached Twilio: the row waits `unsure` until Twilio is asked whether it
has the message, so a timeout never becomes a second SMS. Twilio's status callbacks
(`POST /sms/status`) record delivery. WhatsApp free-form messages are only allowed within
24 hours of the worker's last message: outside it the message goes by SMS.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.db.models import MessagingContact, OutboundCall, OutboundMessage, utcnow
from api.db.session import session_scope
from api.domain.phones import is_served, normalise_phone
from api.integrations.twilio import rest
from api.integrations.twilio.rest import Client, TwilioRestException, twilio_client
from api.messaging import recovery, templates
from api.settings import DEMO_TWILIO_SID, get_settings

log = logging.getLogger(__name__)

CHANNELS = ("sms", "whatsapp")
WHATSAPP_WINDOW = timedelta(hours=24)
MAX_BODY = 1600  # Twilio's limit for one message body


class NotServed(ValueError):
    """The line does not text or call this number (another country, premium rate, unknown)."""


def plain_number(address: str) -> str:
    """'whatsapp:+9198...' -> '+9198...' in E.164 (the contact key for both channels)."""
    number = normalise_phone(address)
    if number is None:
        raise ValueError("not a phone number")
    return number


def serves(address: str) -> bool:
    """Would the line text or call this address (SERVED_REGIONS, no premium or odd numbers)?"""
    number = normalise_phone(address)
    return number is not None and is_served(number, get_settings().served_region_codes)


def served_number(address: str) -> str:
    """E.164 of an address the line may reach, else NotServed (every send goes through here)."""
    number = plain_number(address)
    if not is_served(number, get_settings().served_region_codes):
        log.warning("outbound refused: number not served (%s...)", number[:4])
        raise NotServed("the line does not text or call this number")
    return number


def enqueue(
    session: Session,
    to: str,
    body: str,
    channel: str = "sms",
    reason: str = "",
    dedupe_key: str | None = None,
    extra: dict[str, Any] | None = None,
) -> OutboundMessage:
    """Store a message to send (or return the one already stored under `dedupe_key`).

    Raises NotServed for a number the line does not reach (checked here, so no path skips it).
    """
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    key = dedupe_key or f"auto:{uuid.uuid4().hex}"
    existing = _by_key(session, OutboundMessage, key)
    if existing is not None:
        return existing
    message = OutboundMessage(
        to_address=served_number(to),
        channel=channel,
        body=body.strip()[:MAX_BODY],
        reason=reason[:60],
        dedupe_key=key,
        status="queued",
        attempts=0,
        next_attempt_at=utcnow(),
        **(extra or {}),
    )
    try:
        with session.begin_nested():
            session.add(message)
            session.flush()
    except IntegrityError:  # the same key stored at the same moment by someone else
        found = _by_key(session, OutboundMessage, key)
        if found is None:
            raise
        return found
    return message


def enqueue_template(
    session: Session,
    to: str,
    template: str,
    params: dict[str, Any],
    language: str,
    reason: str,
    dedupe_key: str,
) -> OutboundMessage:
    """Store an SMS rendered only when sent (a one-time code): no secret in the row's body."""
    return enqueue(
        session,
        to=to,
        body=templates.placeholder(template, language, params),
        channel="sms",
        reason=reason,
        dedupe_key=dedupe_key,
        extra={"template": template, "template_params": params, "language": language},
    )


def enqueue_call(
    session: Session, to: str, reason: str, dedupe_key: str, path: str | None = None
) -> OutboundCall:
    """Store a call to place (missed-call call-back; `path`: what the call runs, e.g. a decision
    read aloud, default the menu); same once-only rule as messages.

    Raises NotServed for a number the line does not call (a premium or foreign number).
    """
    existing = _by_key(session, OutboundCall, dedupe_key)
    if existing is not None:
        return existing
    call = OutboundCall(
        to_address=served_number(to),
        reason=reason[:60],
        path=path,
        dedupe_key=dedupe_key,
        status="queued",
        attempts=0,
        next_attempt_at=utcnow(),
    )
    try:
        with session.begin_nested():
            session.add(call)
            session.flush()
    except IntegrityError:
        found = _by_key(session, OutboundCall, dedupe_key)
        if found is None:
            raise
        return found
    return call


Row = TypeVar("Row", OutboundMessage, OutboundCall)


def _by_key(session: Session, model: type[Row], key: str) -> Row | None:
    found: Row | None = session.execute(
        select(model).where(model.dedupe_key == key)
    ).scalar_one_or_none()
    return found


def note_inbound(session: Session, address: str, channel: str) -> MessagingContact:
    """Remember that the worker wrote to us now (opens the WhatsApp 24-hour window)."""
    number = plain_number(address)
    contact = session.get(MessagingContact, number)
    if contact is None:
        contact = MessagingContact(address=number, choices=[])
        session.add(contact)
    now = utcnow()
    if channel == "whatsapp":
        contact.last_whatsapp_in_at = now
    else:
        contact.last_sms_in_at = now
    session.flush()
    return contact


def record_status(session: Session, provider_sid: str, status: str) -> bool:
    """Delivery status from Twilio's callback; a late 'sent' never overwrites 'delivered'."""
    mapped = {
        "queued": "sent",
        "accepted": "sent",
        "sending": "sent",
        "sent": "sent",
        "delivered": "delivered",
        "read": "delivered",
        "undelivered": "undelivered",
        "failed": "failed",
    }.get(status.lower())
    if not mapped or not provider_sid:
        return False
    message = session.execute(
        select(OutboundMessage).where(OutboundMessage.provider_sid == provider_sid)
    ).scalar_one_or_none()
    if message is None:
        return False
    rank = {"sent": 1, "delivered": 2, "undelivered": 2, "failed": 2}
    if rank.get(mapped, 0) >= rank.get(message.status, 0):
        message.status = mapped
    return True


class Sender:
    """Sends due rows. `run_once()` is one pass; the API runs it every second (api/jobs.py)."""

    def __init__(
        self,
        client_factory: Callable[[], Client] = twilio_client,
        *,
        base_delay_s: float = 5.0,
        max_delay_s: float = 600.0,
        max_attempts: int = 6,
        batch: int = 20,
    ) -> None:
        self.client_factory = client_factory
        self.base_delay_s = base_delay_s
        self.max_delay_s = max_delay_s
        self.max_attempts = max_attempts
        self.batch = batch
        self._client: Client | None = None

    @property
    def client(self) -> Client:
        if self._client is None:
            self._client = self.client_factory()
        return self._client

    def recover(self) -> dict[str, int]:
        """Rows left 'sending' by a crashed sender: Twilio is asked before any is sent again."""
        return recovery.recover(lambda: self.client)

    def run_once(self) -> int:
        """Send every row due now; returns how many rows were attempted. A row whose last send
        got no clear answer is first checked with Twilio (sent after all, or queued again)."""
        done = 0
        for model, send in ((OutboundMessage, self._send_message), (OutboundCall, self._place)):
            for row_id in self._due(model, "unsure"):
                self._check(model, row_id)
            for row_id in self._due(model):
                if self._claim(model, row_id):
                    self._attempt(model, row_id, send)
                    done += 1
        return done

    def _check(self, model: Any, row_id: int) -> None:
        with session_scope() as s:
            row = s.get(model, row_id)
            if row is None:
                return
            attempts = row.attempts
        recovery.check_unsure(
            lambda: self.client,
            model,
            row_id,
            max_attempts=self.max_attempts,
            retry_in=self._delay(attempts + 1),
        )

    def _delay(self, attempts: int) -> timedelta:
        return timedelta(seconds=min(self.max_delay_s, self.base_delay_s * 2 ** (attempts - 1)))

    def _due(self, model: Any, status: str = "queued") -> list[int]:
        now = utcnow()
        with session_scope() as s:
            return list(
                s.execute(
                    select(model.id)
                    .where(
                        model.status == status,
                        or_(model.next_attempt_at.is_(None), model.next_attempt_at <= now),
                    )
                    .order_by(model.id)
                    .limit(self.batch)
                ).scalars()
            )

    def _claim(self, model: Any, row_id: int) -> bool:
        with session_scope() as s:
            result = s.execute(
                update(model)
                .where(model.id == row_id, model.status == "queued")
                .values(status="sending", attempts=model.attempts + 1, updated_at=utcnow())
            )
            return (result.rowcount or 0) == 1  # type: ignore[attr-defined]  # an UPDATE: a CursorResult

    def _attempt(self, model: Any, row_id: int, send: Callable[[dict[str, Any]], str]) -> None:
        """Read the row, send with no transaction open (Twilio may be slow), then record."""
        with session_scope() as s:
            row = s.get(model, row_id)
            if row is None:
                return
            job = {c.name: getattr(row, c.name) for c in model.__table__.columns}
            closed = model is OutboundMessage and row.channel == "whatsapp"
            if closed and not whatsapp_window_open(s, row.to_address):
                row.channel = job["channel"] = "sms"
                row.last_error = "whatsapp 24-hour window closed; sent as sms"
            if model is OutboundMessage and row.template:
                body = templates.render(row.template, row.template_params, row.language or "en")
                if body is None:  # expired or purged: never send a stale code
                    row.status, row.next_attempt_at, row.template_params = "failed", None, None
                    row.last_error = "expired before it could be sent"
                    return
                job["body"] = body
        sid: str | None = None
        error_text, permanent, unsure = "", False, False
        try:
            sid = send(job)
        except TwilioRestException as error:  # 4xx: refused, not sent; 5xx: it may have been
            permanent = 400 <= (error.status or 0) < 500 and error.status != 429
            unsure = (error.status or 0) >= 500
            error_text = f"twilio {error.status} {error.code}: {error.msg}"
        except Exception as error:  # no answer: sent or not, unknown unless never connected
            unsure = not rest.never_reached(error)
            error_text = f"{type(error).__name__}: {error}"
        with session_scope() as s:
            row = s.get(model, row_id)
            if row is None:
                return
            if sid is None:
                self._failed(row, error_text, permanent, unsure)
                return
            row.status = "sent"
            row.provider_sid = sid
            row.sent_at = utcnow()
            row.next_attempt_at = None
            _purge_secret(row)
            log.info("outbound %s %s sent", model.__tablename__, row.id)

    def _failed(self, row: Any, error: str, permanent: bool, unsure: bool) -> None:
        """Refused or never connected: queued again (or failed after the last try). No clear
        answer (`unsure`): Twilio is asked, after the same delay, before any resend."""
        row.last_error = error[:500]
        delay = self._delay(row.attempts)
        if unsure:
            row.status = "unsure"
            row.next_attempt_at = utcnow() + delay
            log.info(
                "outbound %s: no clear answer (%s); Twilio asked before any resend",
                row.id,
                error[:80],
            )
            return
        if permanent or row.attempts >= self.max_attempts:
            row.status = "failed"
            row.next_attempt_at = None
            _purge_secret(row)
            log.warning("outbound %s gave up after %s attempts", row.id, row.attempts)
            return
        row.status = "queued"
        row.next_attempt_at = utcnow() + delay
        log.info("outbound %s failed (attempt %s); retry in %s", row.id, row.attempts, delay)

    def _send_message(self, job: dict[str, Any]) -> str:
        return rest.send_message(
            self.client, to=job["to_address"], body=job["body"], channel=job["channel"]
        )

    def _place(self, job: dict[str, Any]) -> str:
        return rest.place_call(self.client, to=job["to_address"], path=job.get("path"))


def _purge_secret(row: Any) -> None:
    """A rendered-at-send row forgets its secret once it is sent or given up."""
    if isinstance(row, OutboundMessage) and row.template_params is not None:
        row.template_params = None


def whatsapp_window_open(session: Session, address: str, now: datetime | None = None) -> bool:
    contact = session.get(MessagingContact, plain_number(address))
    if contact is None or contact.last_whatsapp_in_at is None:
        return False
    return (now or utcnow()) - contact.last_whatsapp_in_at < WHATSAPP_WINDOW


def sender_enabled() -> bool:
    """Send only when Twilio can be reached: real credentials, or an API host override."""
    settings = get_settings()
    if settings.outbound_sender_enabled is not None:
        return settings.outbound_sender_enabled
    demo_sid = settings.twilio_account_sid == DEMO_TWILIO_SID
    return bool(settings.twilio_api_base) or (bool(settings.twilio_account_sid) and not demo_sid)
