"""When an officer answers: the hours close at their end, and "24:00" means until midnight."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from api.services.handoff import officer_available
from api.settings import get_settings

# a Monday in Asia/Kolkata (UTC+05:30)
MONDAY_2359_IST = datetime(2026, 12, 7, 18, 29, 30, tzinfo=UTC)
MONDAY_1800_IST = datetime(2026, 12, 7, 12, 30, tzinfo=UTC)
MONDAY_1759_IST = datetime(2026, 12, 7, 12, 29, tzinfo=UTC)


@pytest.fixture
def hours(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    monkeypatch.setenv("TIMEZONE", "Asia/Kolkata")
    monkeypatch.setenv("OFFICE_DAYS", "0,1,2,3,4,5")
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def test_a_round_the_clock_desk_is_open_in_the_last_minute_of_the_day(hours) -> None:
    hours.setenv("OFFICE_HOURS", "00:00-24:00")
    get_settings.cache_clear()
    assert officer_available(MONDAY_2359_IST)


def test_office_hours_end_at_their_closing_minute(hours) -> None:
    hours.setenv("OFFICE_HOURS", "09:00-18:00")
    get_settings.cache_clear()
    assert officer_available(MONDAY_1759_IST)
    assert not officer_available(MONDAY_1800_IST)
