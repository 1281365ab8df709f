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
    # the consent under which a helper acts for the worker (api/services/helpers.py): every
    # audit row and case written in this request names the helper
    helper_consent_id: int | None = None


def local_zone() -> timezone | ZoneInfo:
    """The helpline's time zone (India's offset when the setting names no known zone)."""
    try:
        return ZoneInfo(get_settings().timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return timezone(timedelta(hours=5, minutes=30))


def local_today() -> date:
    """Today in the helpline's time zone (dates in rules are local dates, not UTC)."""
    return datetime.now(local_zone()).date()
