"""Reminders before it is too late: scan what is due, and queue each reminder once.

Why two steps: `plan()` reads what is due (api/domain/reminders.py decides), `send()` queues each
one in its own short transaction; a `reminders` row and the outbox row share the unique key
`reminder:<kind>:<subject id>:<due date>`, so two processes scanning at once queue it once.
Where it goes is decided as for decision notices (`notices.route`); the words come from the
catalogs in the worker's language. Nothing is queued in quiet hours: the next pass sends it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.db.models import (
    Case,
    Claim,
    ClaimDocument,
    Enrollment,
    PensionAccount,
    Reminder,
    ReminderPreference,
    Worker,
    utcnow,
)
from api.db.session import session_scope
from api.domain import reminders as rules
from api.domain.renewal import RENEWABLE_SCHEMES
from api.messaging import outbound
from api.services import notices
from api.settings import get_settings
from locales import format_date, format_money, format_number, normalise_language, translate

log = logging.getLogger(__name__)

CALL_PATH = "/voice/reminder"
REASON = "reminder"
LOOK_AHEAD = timedelta(days=max(rules.RENEWAL_DAYS_BEFORE + rules.LIFE_CERTIFICATE_DAYS_BEFORE))

Sessions = Callable[[], AbstractContextManager[Session]]


@dataclass(frozen=True)
class Item:
    """A due reminder and what its words need (ids and values, no personal text)."""

    due: rules.Due
    worker_id: int
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Report:
    """What one pass did (counts only: safe to log and to print)."""

    due: int = 0
    queued: int = 0
    calls: int = 0
    already: int = 0
    deferred: int = 0
    opted_out: int = 0
    unreachable: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def local_now(now: datetime | None = None) -> datetime:
    """`now` (default: the clock) on the helpline's wall clock."""
    return (now or datetime.now(UTC)).astimezone(ZoneInfo(get_settings().timezone))


def plan(session: Session, today: date) -> list[Item]:
    """Every reminder due today (kinds in a fixed order, subjects by id)."""
    items: list[Item] = []
    horizon = today + LOOK_AHEAD
    enrollments = session.execute(
        select(Enrollment).where(
            Enrollment.status == "active",
            Enrollment.scheme_code.in_(RENEWABLE_SCHEMES),
            Enrollment.valid_until >= today,
            Enrollment.valid_until <= horizon,
        )
    ).scalars()
    for e in enrollments:
        due = rules.renewal(
            e.id, scheme=e.scheme_code, status=e.status, valid_until=e.valid_until, today=today
        )
        if due:
            items.append(Item(due, e.worker_id, {"scheme": e.scheme_code}))
    pending = exists().where(ClaimDocument.claim_id == Claim.id, ClaimDocument.status == "pending")
    claims = session.execute(
        select(Claim, Case.updated_at)
        .join(Case, Case.id == Claim.case_id)
        .where(Case.is_open.is_(True), pending)
        .order_by(Claim.id)
    ).all()
    for claim, moved_at in claims:
        since = local_now(moved_at.replace(tzinfo=moved_at.tzinfo or UTC)).date()
        due = rules.documents(claim.id, pending=1, is_open=True, since=since, today=today)
        if due:
            items.append(Item(due, claim.worker_id, {"claim_id": claim.id}))
    accounts = session.execute(
        select(PensionAccount).where(
            PensionAccount.status == "active",
            PensionAccount.life_certificate_due_on >= today,
            PensionAccount.life_certificate_due_on <= horizon,
        )
    ).scalars()
    for a in accounts:
        due = rules.life_certificate(
            a.id, status=a.status, due_on=a.life_certificate_due_on, today=today
        )
        if due:
            items.append(Item(due, a.worker_id, {"scheme": a.scheme_code}))
    members = session.execute(
        select(Enrollment).where(
            Enrollment.status == "active",
            Enrollment.scheme_code == "pm_sym",
            Enrollment.contribution_paid_until < today,
        )
    ).scalars()
    for m in members:
        due = rules.contribution(
            m.id,
            scheme=m.scheme_code,
            status=m.status,
            paid_until=m.contribution_paid_until,
            today=today,
        )
        if due:
            items.append(
                Item(
                    due,
                    m.worker_id,
                    {"scheme": m.scheme_code, "amount": m.monthly_contribution or 0},
                )
            )
    return items


def render(session: Session, item: Item, lang: str, *, spoken: bool = False) -> str:
    """The reminder's words in `lang` (dates, numbers and money as that language writes them)."""
    due = item.due
    params: dict[str, Any] = {}
    if "scheme" in item.params:
        params["scheme"] = translate(f"scheme.{item.params['scheme']}", lang)
    if due.deadline is not None:
        params["date"] = format_date(due.deadline, lang)
        params["days"] = format_number(max(0, (due.deadline - due.due_on).days), lang)
    if due.kind == rules.Kind.DOCUMENTS:
        claim = session.get(Claim, item.params["claim_id"])
        codes = session.execute(
            select(ClaimDocument.code)
            .where(ClaimDocument.claim_id == due.subject_id, ClaimDocument.status == "pending")
            .order_by(ClaimDocument.id)
        ).scalars()
        params["reference"] = claim.reference if claim else ""
        params["documents"] = ", ".join(translate(f"doc.{c}", lang) for c in codes)
    if due.kind == rules.Kind.CONTRIBUTION:
        params["amount"] = format_money(item.params["amount"], lang, spoken=spoken)
    words = [translate(f"reminder.{due.kind}", lang, **params)]
    if not spoken:
        words.append(translate("reminder.stop_hint", lang))
    return " ".join(words)


def _turned_off(session: Session, worker_ids: set[int]) -> set[tuple[int, str]]:
    if not worker_ids:
        return set()
    rows = session.execute(
        select(ReminderPreference.worker_id, ReminderPreference.kind).where(
            ReminderPreference.worker_id.in_(worker_ids), ReminderPreference.enabled.is_(False)
        )
    ).all()
    return {(w, k) for w, k in rows}


def _last_channel(session: Session, worker_id: int) -> str:
    """The channel the worker came by last (their latest case), as decision notices use it."""
    channel = session.execute(
        select(Case.channel)
        .where(Case.worker_id == worker_id)
        .order_by(Case.created_at.desc(), Case.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    return channel or ""


def queue(session: Session, item: Item) -> str:
    """Queue one reminder: 'queued', 'call' (and a call), 'already', 'unreachable'."""
    worker = session.get(Worker, item.worker_id)
    if worker is None or not worker.phone or not outbound.serves(worker.phone):
        return "unreachable"
    key = item.due.key()
    if session.execute(select(Reminder.id).where(Reminder.dedupe_key == key)).first():
        return "already"
    lang = normalise_language(worker.preferred_language)
    way = notices.route(_last_channel(session, worker.id), worker)
    row = Reminder(
        dedupe_key=key,
        worker_id=worker.id,
        kind=item.due.kind.value,
        subject_id=item.due.subject_id,
        due_on=item.due.due_on,
        language=lang,
        body=render(session, item, lang),
        spoken=render(session, item, lang, spoken=True),
        channel=way.channel,
        call=way.call,
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:  # another process queued it a moment ago
        return "already"
    outbound.enqueue(
        session, to=worker.phone, body=row.body, channel=way.channel, reason=REASON, dedupe_key=key
    )
    if not way.call:
        return "queued"
    path = f"{CALL_PATH}?reminder={row.id}&lang={lang}"
    outbound.enqueue_call(session, worker.phone, reason=REASON, dedupe_key=f"{key}:call", path=path)
    return "call"


def send(items: list[Item], sessions: Sessions = session_scope) -> Report:
    """Queue each item in its own transaction (a failure skips one reminder, not the pass)."""
    report = Report(due=len(items))
    with sessions() as s:
        off = _turned_off(s, {i.worker_id for i in items})
    for item in items:
        if (item.worker_id, rules.ALL) in off or (item.worker_id, item.due.kind) in off:
            report.opted_out += 1
            continue
        try:
            with sessions() as s:
                outcome = queue(s, item)
        except IntegrityError:  # lost a race on the outbox key itself: it is queued
            outcome = "already"
        if outcome == "call":
            report.queued += 1
            report.calls += 1
        else:
            setattr(report, outcome, getattr(report, outcome) + 1)
    return report


def run_once(now: datetime | None = None, sessions: Sessions = session_scope) -> Report:
    """One pass: in quiet hours count what waits for the morning, else queue what is due."""
    local = local_now(now)
    with sessions() as s:
        items = plan(s, local.date())
    if rules.in_quiet_hours(local, rules.parse_window(get_settings().quiet_hours)):
        report = Report(due=len(items), deferred=len(items))
    else:
        report = send(items, sessions)
    log.info("reminder pass: %s", report.as_dict())
    return report


def set_preference(
    session: Session, worker_id: int, kind: str, enabled: bool, source: str
) -> ReminderPreference:
    """Turn one kind (or `all`) on or off for a worker."""
    if kind != rules.ALL and kind not in rules.KINDS:
        raise ValueError(f"unknown reminder kind {kind!r}")
    row = session.get(ReminderPreference, (worker_id, kind))
    if row is None:
        row = ReminderPreference(worker_id=worker_id, kind=kind)
        session.add(row)
    row.enabled, row.source, row.updated_at = enabled, source[:20], utcnow()
    session.flush()
    return row


def _workers_on(session: Session, number: str) -> Iterator[Worker]:
    yield from session.execute(select(Worker).where(Worker.phone == number)).scalars()


def keyword(number: str, text: str, lang: str) -> str | None:
    """An inbound STOP/START (SMS, WhatsApp): act on it and return the reply, else None."""
    stop, start = rules.is_stop(text), rules.is_start(text)
    if not (stop or start):
        return None
    with session_scope() as s:
        for worker in _workers_on(s, number):
            set_preference(s, worker.id, rules.ALL, start, "sms_start" if start else "sms_stop")
            lang = normalise_language(worker.preferred_language)
    return translate("reminder.started" if start else "reminder.stopped", lang)


def for_call(reminder_id: int) -> dict[str, str] | None:
    """What the reminder call reads (voice/reminder.py): language and words."""
    with session_scope() as s:
        row = s.get(Reminder, reminder_id)
        if row is None:
            return None
        return {"language": row.language, "text": row.spoken or row.body}


def stop_from_call(reminder_id: int) -> bool:
    """9 pressed in a reminder call: no more reminders for that worker."""
    with session_scope() as s:
        row = s.get(Reminder, reminder_id)
        if row is None or row.worker_id is None:
            return False
        set_preference(s, row.worker_id, rules.ALL, False, "call_key")
        return True
