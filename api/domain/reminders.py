"""What to remind a worker of, and when: pure rules on dates, quiet hours and stop words.

Why pure: the scheduler (api/services/reminders.py) passes today's date and the local time in,
so every rule is tested with a fake clock and two processes agree on what is due.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from api.domain.renewal import RENEWABLE_SCHEMES


class Kind(StrEnum):
    RENEWAL = "renewal"
    DOCUMENTS = "documents"
    LIFE_CERTIFICATE = "life_certificate"
    CONTRIBUTION = "contribution"


ALL = "all"  # the preference kind STOP turns off
KINDS = tuple(k.value for k in Kind)
RENEWAL_DAYS_BEFORE = (30, 7)  # issue 21: renewal due in 30 and in 7 days
LIFE_CERTIFICATE_DAYS_BEFORE = (30, 7)
DOCUMENTS_AFTER_DAYS = 7  # documents still missing a week after the case last moved

# Whole messages that mean "no more reminders" / "reminders again"; compared after normalising
# (case, spaces, punctuation). Romanised spellings as workers type them.
STOP_WORDS = frozenset(
    {
        "stop",
        "stopall",
        "unsubscribe",
        "বন্ধ",
        "বন্ধ করো",
        "বন্ধ করুন",
        "থামো",
        "bondho",
        "bondho koro",
        "bandho",
        "bandha",
        "thamo",
        "रोको",
        "बंद",
        "बंद करो",
        "बंद करें",
        "roko",
        "band",
        "band karo",
        "bandh karo",
    }
)
START_WORDS = frozenset(
    {
        "start",
        "unstop",
        "yes start",
        "চালু",
        "চালু করো",
        "chalu",
        "chalu koro",
        "शुरू",
        "चालू",
        "shuru",
        "shuru karo",
        "chalu karo",
    }
)


@dataclass(frozen=True)
class Due:
    """One reminder: its kind, what it is about (an id), the day it is for, and since when."""

    kind: Kind
    subject_id: int
    due_on: date  # the stage's day: part of the once-only key
    deadline: date | None = None  # the day it is about (expiry, certificate, missed payment)

    def key(self) -> str:
        return f"reminder:{self.kind}:{self.subject_id}:{self.due_on.isoformat()}"


def _stage(deadline: date, days_before: tuple[int, ...], today: date) -> date | None:
    """The latest stage (deadline - n days) reached by today, while the deadline is ahead."""
    if today > deadline:
        return None
    reached = [deadline - timedelta(days=n) for n in days_before]
    reached = [d for d in reached if d <= today]
    return max(reached) if reached else None


def renewal(
    enrollment_id: int, *, scheme: str, status: str, valid_until: date | None, today: date
) -> Due | None:
    """An active membership of a renewable scheme ending within 30 (then 7) days."""
    if scheme not in RENEWABLE_SCHEMES or status != "active" or valid_until is None:
        return None
    stage = _stage(valid_until, RENEWAL_DAYS_BEFORE, today)
    return Due(Kind.RENEWAL, enrollment_id, stage, valid_until) if stage else None


def documents(
    claim_id: int, *, pending: int, is_open: bool, since: date, today: date
) -> Due | None:
    """An open claim still missing documents a week after it last moved."""
    if not pending or not is_open:
        return None
    due_on = since + timedelta(days=DOCUMENTS_AFTER_DAYS)
    return Due(Kind.DOCUMENTS, claim_id, due_on) if today >= due_on else None


def life_certificate(
    account_id: int, *, status: str, due_on: date | None, today: date
) -> Due | None:
    """An active pension whose yearly life certificate is due within 30 (then 7) days."""
    if status != "active" or due_on is None:
        return None
    stage = _stage(due_on, LIFE_CERTIFICATE_DAYS_BEFORE, today)
    return Due(Kind.LIFE_CERTIFICATE, account_id, stage, due_on) if stage else None


def contribution(
    enrollment_id: int, *, scheme: str, status: str, paid_until: date | None, today: date
) -> Due | None:
    """A PM-SYM member whose contributions stop before today: one reminder per missed day."""
    if scheme != "pm_sym" or status != "active" or paid_until is None:
        return None
    missed = paid_until + timedelta(days=1)
    return Due(Kind.CONTRIBUTION, enrollment_id, missed, missed) if today >= missed else None


def parse_window(text: str) -> tuple[time, time] | None:
    """'21:00-08:00' -> (21:00, 08:00); empty -> None (no quiet hours)."""
    if not text.strip():
        return None
    start, end = (part.strip() for part in text.split("-", 1))
    return time.fromisoformat(start), time.fromisoformat(end)


def in_quiet_hours(local: datetime, window: tuple[time, time] | None) -> bool:
    """Inside the window (which may wrap midnight), by the local wall clock."""
    if window is None:
        return False
    start, end = window
    now = local.time().replace(tzinfo=None)
    if start <= end:
        return start <= now < end
    return now >= start or now < end


def quiet_until(local: datetime, window: tuple[time, time] | None) -> datetime:
    """When a reminder due now may go: now, or the end of the quiet hours (the morning)."""
    if window is None or not in_quiet_hours(local, window):
        return local
    end = window[1]
    morning = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    return morning if morning > local else morning + timedelta(days=1)


def _normalise(text: str) -> str:
    folded = unicodedata.normalize("NFC", text).casefold()
    kept = "".join(
        c if c.isalnum() or unicodedata.category(c).startswith("M") else " " for c in folded
    )
    return " ".join(kept.split())


def is_stop(text: str) -> bool:
    return _normalise(text) in STOP_WORDS


def is_start(text: str) -> bool:
    return _normalise(text) in START_WORDS
