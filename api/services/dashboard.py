"""The supervisors' dashboard: open cases by kind, status, district, scheme and language (one
grouped scan of the open cases), the oldest, those past their due date, call-backs waiting, and
conversations per channel and language with the share finished without a person.

Conversations are counted from what the helpline stores: inbound calls (voice_calls), numbers
that wrote by SMS or WhatsApp in the period (messaging_contacts, one per number), and hand-over
tickets; web chat conversations are not stored by the backend, so only their hand-overs show.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import case as when
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.db.models import Case, HandoffTicket, MessagingContact, VoiceCall, utcnow
from api.messaging import recovery

DIMENSIONS = ("kind", "status", "district", "scheme", "language")


def _open_cases(session: Session, now: datetime) -> dict[str, Any]:
    overdue = func.sum(when((Case.due_at < now, 1), else_=0))
    rows = session.execute(
        select(
            Case.kind,
            Case.status,
            Case.district,
            Case.scheme,
            Case.language,
            func.count(),
            func.min(Case.created_at),
            overdue,
        )
        .where(Case.is_open.is_(True))
        .group_by(Case.kind, Case.status, Case.district, Case.scheme, Case.language)
    ).all()
    by: dict[str, Counter[str]] = {d: Counter() for d in DIMENSIONS}
    total = late = 0
    oldest: datetime | None = None
    for kind, status, district, scheme, language, count, first, past_due in rows:
        keys = {
            "kind": kind,
            "status": f"{kind}:{status}",
            "district": district or "-",
            "scheme": scheme or "-",
            "language": language,
        }
        for dimension, key in keys.items():
            by[dimension][key] += int(count)
        total += int(count)
        late += int(past_due or 0)
        first = _aware(first)
        if first is not None and (oldest is None or first < oldest):
            oldest = first
    return {
        "total": total,
        "by": {d: dict(sorted(c.items())) for d, c in by.items()},
        "oldest_created_at": oldest,
        "oldest_age_days": round((now - oldest).total_seconds() / 86400, 1) if oldest else None,
        "past_due": late,
        "callbacks_waiting": by["kind"].get("callback", 0),
    }


def _aware(value: Any) -> datetime | None:
    """min() of a UTC column comes back naive on SQLite."""
    if value is None:
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if not isinstance(moment, datetime):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _conversations(session: Session, since: datetime) -> list[dict[str, Any]]:
    counted: Counter[tuple[str, str]] = Counter()
    for lang, n in session.execute(
        select(VoiceCall.language, func.count())
        .where(VoiceCall.direction == "inbound", VoiceCall.created_at >= since)
        .group_by(VoiceCall.language)
    ):
        counted[("voice", lang or "-")] += int(n)
    for channel, column in (
        ("sms", MessagingContact.last_sms_in_at),
        ("whatsapp", MessagingContact.last_whatsapp_in_at),
    ):
        for lang, n in session.execute(
            select(MessagingContact.language, func.count())
            .where(column >= since)
            .group_by(MessagingContact.language)
        ):
            counted[(channel, lang or "-")] += int(n)
    handed: Counter[tuple[str, str]] = Counter()
    for channel, lang, n in session.execute(
        select(HandoffTicket.channel, HandoffTicket.language, func.count())
        .where(HandoffTicket.created_at >= since)
        .group_by(HandoffTicket.channel, HandoffTicket.language)
    ):
        handed[(channel, lang or "-")] += int(n)
    out = []
    for key in sorted(set(counted) | set(handed)):
        total = counted.get(key) if key[0] != "web" else None
        person = handed.get(key, 0)
        share = None
        if total:
            share = round(max(0, total - person) / total, 3)
        out.append(
            {
                "channel": key[0],
                "language": key[1],
                "conversations": total,
                "handed_over": person,
                "without_person_share": share,
            }
        )
    return out


def summary(session: Session, days: int = 30, now: datetime | None = None) -> dict[str, Any]:
    now = now or utcnow()
    rows = _conversations(session, now - timedelta(days=days))
    counted = [r for r in rows if r["conversations"]]
    total = sum(r["conversations"] for r in counted)
    handed = sum(min(r["handed_over"], r["conversations"]) for r in counted)
    return {
        "generated_at": now,
        "period_days": days,
        "open_cases": _open_cases(session, now),
        "conversations": rows,
        "without_person_share": round((total - handed) / total, 3) if total else None,
        # texts and calls that failed their last try: listed at /api/v1/staff/outbox/failed
        "outbox_failed": recovery.failed_count(session, now - timedelta(days=days)),
    }


def _cell(value: Any) -> str:
    """Keep spreadsheet programs from running a district name as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(data: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "key", "value"])
    cases_part = data["open_cases"]
    writer.writerow(["open_cases", "total", cases_part["total"]])
    writer.writerow(["open_cases", "past_due", cases_part["past_due"]])
    writer.writerow(["open_cases", "callbacks_waiting", cases_part["callbacks_waiting"]])
    writer.writerow(["open_cases", "oldest_age_days", _cell(cases_part["oldest_age_days"])])
    for dimension in DIMENSIONS:
        for key, count in cases_part["by"][dimension].items():
            writer.writerow([f"open_by_{dimension}", _cell(key), count])
    for row in data["conversations"]:
        key = f"{row['channel']}:{row['language']}"
        writer.writerow(["conversations", key, _cell(row["conversations"])])
        writer.writerow(["handed_over", key, row["handed_over"]])
    writer.writerow(["without_person_share", "all", _cell(data["without_person_share"])])
    writer.writerow(["outbox_failed", "all", data["outbox_failed"]])
    return out.getvalue()
