"""Rows a sender left 'sending' (its process died between claiming a row and recording Twilio's
answer) are settled effectively once: Twilio is asked first whether it has the message (or call)
and only a row Twilio never got goes back to the queue.

Why ask: the process may have died after Twilio accepted the message and before the row was
marked sent; resending blindly would text the worker twice. The same question settles a send
that timed out or got a 5xx (`unsure`, `check_unsure`): Twilio may have taken it all the same.
Twilio keeps no marker of ours on a message (its API takes no idempotency key for a new message),
so the question is "a message from the line to this number with exactly this body, created since
the row was, whose sid no other row holds" (a call: "a call from the line to this number since").
When Twilio cannot be asked, the row stays 'sending' and is asked about again at the next pass:
never resent blind. A message that failed its last try is listed for supervisors (`failed`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from api.db.models import OutboundCall, OutboundMessage, utcnow
from api.db.session import session_scope
from api.domain.masking import last4
from api.integrations.twilio import rest
from api.integrations.twilio.rest import Client
from api.messaging import templates

log = logging.getLogger(__name__)
STALE_SENDING = timedelta(minutes=5)  # no send takes this long (Twilio's client times out in 10 s)
CLOCK_SKEW = timedelta(minutes=2)  # Twilio's clock against ours


def _stale(model: Any, cutoff: Any) -> list[int]:
    with session_scope() as s:
        return list(
            s.execute(
                select(model.id).where(
                    model.status == "sending",
                    model.provider_sid.is_(None),
                    model.updated_at < cutoff,
                )
            ).scalars()
        )


def _taken(model: Any, row: Any) -> set[str]:
    """Sids other rows to the same number already hold: none of them is this row's message."""
    with session_scope() as s:
        found = s.execute(
            select(model.provider_sid).where(
                model.to_address == row.to_address,
                model.provider_sid.is_not(None),
                model.id != row.id,
            )
        ).scalars()
        return {str(sid) for sid in found}


def _ask_twilio(client: Client, model: Any, row: Any) -> str | None:
    # any send of this row happened after it was created (and before its last claim)
    since = min(row.created_at, row.updated_at) - CLOCK_SKEW
    taken = _taken(model, row)
    if model is OutboundCall:
        return rest.find_placed_call(client, to=row.to_address, since=since, taken=taken)
    body = row.body
    if row.template:
        body = templates.render(row.template, row.template_params, row.language or "en")
        if body is None:  # expired: whether sent or not, it must not be sent now
            return None
    return rest.find_sent_message(
        client, to=row.to_address, body=body, channel=row.channel, since=since, taken=taken
    )


def check_unsure(
    client_factory: Callable[[], Client],
    model: Any,
    row_id: int,
    *,
    max_attempts: int,
    retry_in: timedelta,
) -> str:
    """A row whose send got no clear answer (`unsure`): did Twilio get it? 'sent' (recorded with
    Twilio's sid), 'queued' (not there: send again), 'failed' (after the last of `max_attempts`
    tries: not there, or Twilio could not be asked), 'unsure' (Twilio could not be asked: ask
    again in `retry_in`; a question counts as a try), '' (someone else has it).
    """
    with session_scope() as s:  # claimed like a send, so two senders never ask at once
        claimed = s.execute(
            update(model)
            .where(model.id == row_id, model.status == "unsure")
            .values(status="sending", updated_at=utcnow())
        )
        if not claimed.rowcount:  # type: ignore[attr-defined]  # an UPDATE: a CursorResult
            return ""
        row = s.get(model, row_id)
        assert row is not None
        s.expunge(row)
    try:
        sid = _ask_twilio(client_factory(), model, row)
    except Exception as error:  # still unreachable: never resend blind; a question is a try
        tries = row.attempts + 1
        if tries >= max_attempts:  # given up, not resent; supervisors see it (it may have gone)
            why = f"no answer from Twilio after {tries} tries; whether it was sent is unknown"
            return _give_up(model, row, why, tries)
        values: dict[str, Any] = {"status": "unsure", "next_attempt_at": utcnow() + retry_in}
        values["attempts"] = tries
        values["last_error"] = f"Twilio could not be asked: {type(error).__name__}"[:500]
        _update(model, row, values)
        return "unsure"
    if sid or row.attempts < max_attempts:
        done = _settle(model, row, sid)
        return ("sent" if sid else "queued") if done else ""
    return _give_up(model, row, row.last_error or "", row.attempts)


def _give_up(model: Any, row: Any, why: str, tries: int) -> str:
    values: dict[str, Any] = {"status": "failed", "next_attempt_at": None, "last_error": why[:500]}
    values["attempts"] = tries
    if model is OutboundMessage:
        values["template_params"] = None  # a rendered-at-send secret is forgotten
    _update(model, row, values)
    log.warning("outbound %s gave up after %s attempts", row.id, tries)
    return "failed"


def _update(model: Any, row: Any, values: dict[str, Any]) -> int:
    same = (model.id == row.id, model.status == "sending", model.attempts == row.attempts)
    with session_scope() as s:
        result = s.execute(update(model).where(*same).values(**values))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]  # an UPDATE


def recover(
    client_factory: Callable[[], Client], stale: timedelta = STALE_SENDING
) -> dict[str, int]:
    """Settle every stale 'sending' row: 'sent' (Twilio has it) or 'queued' (it does not)."""
    counts = {"found_sent": 0, "requeued": 0, "not_asked": 0}
    cutoff = utcnow() - stale
    client: Client | None = None
    for model in (OutboundMessage, OutboundCall):
        for row_id in _stale(model, cutoff):
            with session_scope() as s:
                row = s.get(model, row_id)
                if row is None:
                    continue
                s.expunge(row)
            try:
                client = client or client_factory()
                sid = _ask_twilio(client, model, row)
            except Exception:  # Twilio down or slow: ask again next pass, never resend blind
                log.warning("outbound %s: Twilio could not be asked; left for later", row_id)
                counts["not_asked"] += 1
                continue
            counts["found_sent" if sid else "requeued"] += _settle(model, row, sid)
    if any(counts.values()):
        log.info("outbound recovery: %s", counts)
    return counts


def _settle(model: Any, row: Any, sid: str | None) -> int:
    """Record the answer unless someone else settled the row meanwhile; 1 if recorded."""
    values: dict[str, Any]
    if sid:
        values = {"status": "sent", "provider_sid": sid, "sent_at": utcnow()}
        values["next_attempt_at"] = None
        if model is OutboundMessage:
            values["template_params"] = None  # a rendered-at-send secret is forgotten once sent
        log.info("outbound %s was sent before the crash (%s); not sent again", row.id, sid)
    else:
        values = {"status": "queued", "next_attempt_at": utcnow()}
    return _update(model, row, values)


def failed(session: Session, limit: int = 100) -> dict[str, Any]:
    """Messages and calls that failed their last try, newest first, numbers masked."""
    rows: list[dict[str, Any]] = []
    total = 0
    models: tuple[tuple[str, Any], ...] = (("message", OutboundMessage), ("call", OutboundCall))
    for kind, model in models:
        total += session.execute(
            select(func.count()).select_from(model).where(model.status == "failed")
        ).scalar_one()
        found = session.execute(
            select(model).where(model.status == "failed").order_by(model.updated_at.desc())
        ).scalars()
        for row in found.fetchmany(limit):
            rows.append(
                {
                    "kind": kind,
                    "id": row.id,
                    "to": "…" + last4(row.to_address),
                    "channel": getattr(row, "channel", "voice"),
                    "reason": row.reason,
                    "attempts": row.attempts,
                    "last_error": row.last_error or "",
                    "failed_at": row.updated_at,
                }
            )
    rows.sort(key=lambda r: r["failed_at"], reverse=True)
    return {"total": total, "items": rows[:limit]}


def failed_count(session: Session, since: Any) -> int:
    """Messages and calls that failed their last try since `since` (the dashboard's figure)."""
    return sum(
        session.execute(
            select(func.count())
            .select_from(model)
            .where(model.status == "failed", model.updated_at >= since)
        ).scalar_one()
        for model in (OutboundMessage, OutboundCall)
    )
