"""Who is acting and in which request: passed to every service call for the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from api.settings import get_settings


@dataclass(frozen=True)
class Ctx:
    actor: str = "service"  # rasa:<sender> | voice:<CallSid> | staff:<username> | service
    request_id: str = "-"
    channel: str = ""


def local_today() -> date:
    """Today in the helpline's time zone (dates in rules are local dates, not UTC)."""
    try:
        tz: timezone | ZoneInfo = ZoneInfo(get_settings().timezone)
    except (ZoneInfoNotFoundError, ValueError):
        tz = timezone(timedelta(hours=5, minutes=30))
    return datetime.now(tz).date()
