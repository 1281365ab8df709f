"""Numbers, years and dates as workers say them: romanised, spoken, mixed, relative to today."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfoNotFoundError

import pytest

from api.domain import parsing
from api.domain.parsing import parse_date

TODAY = date(2026, 11, 23)  # a Monday
WEDNESDAY = date(2026, 11, 25)
MARCH_14_1988 = date(1988, 3, 14)


@pytest.mark.parametrize(
    "text",
    [
        "14 march unish sho athashi",
        "14 march unish shō athashi",
        "১৪ মার্চ উনিশশো অষ্টআশি",
        "১৪ মার্চ উনিশ শো অষ্টাশি",
        "14 march nineteen eighty-eight",
        "14 march nineteen eighty eight",
        "14 मार्च उन्नीस सौ अट्ठासी",
        "14 march unnees sau athasi",
        "14 march 19 sau 88",
        "14 march 19 শো 88",
        "chouddo tarikh march unish sho athashi",
        "choddo march unish sho athashi",
        "chaudah tareekh march unnis sau athasi",
        "fourteenth of march nineteen eighty eight",
        "১৯৮৮ সালের ১৪ই মার্চ",
        "1988 march 14",
        "one four zero three one nine eight eight",
        "ek char shunya teen ek nau aath aath",
    ],
)
def test_spoken_and_mixed_years(text: str) -> None:
    assert parse_date(text, today=TODAY) == MARCH_14_1988


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("৫ মার্চ দুই হাজার পাঁচ", date(2005, 3, 5)),
        ("5 march two thousand five", date(2005, 3, 5)),
        ("5 march two thousand and five", date(2005, 3, 5)),
        ("पाँच मार्च दो हज़ार पाँच", date(2005, 3, 5)),
        ("paanch march do hazaar paanch", date(2005, 3, 5)),
        ("5 march dui hajar pach", date(2005, 3, 5)),
        ("5 march nineteen oh five", date(1905, 3, 5)),
        ("5 march nineteen hundred and five", date(1905, 3, 5)),
        ("5 march twenty ten", date(2010, 3, 5)),
        ("pochish march unish sho nobboi", date(1990, 3, 25)),
        ("ponchish tarikh june unish sho atotrish", date(1938, 6, 25)),
        ("atotrish", None),
        ("৪ঠা মার্চ ১৯৮৮", date(1988, 3, 4)),
        ("একুশে ফেব্রুয়ারি ১৯৫২", date(1952, 2, 21)),
        ("পয়লা জানুয়ারি ২০০০", date(2000, 1, 1)),
        ("pehli january do hazaar", date(2000, 1, 1)),
        ("twenty first june nineteen ninety nine", date(1999, 6, 21)),
    ],
)
def test_spoken_dates_in_three_languages(text: str, expected: date | None) -> None:
    assert parse_date(text, today=TODAY) == expected


@pytest.mark.parametrize(
    ("text", "days_back"),
    [
        ("today", 0),
        ("aaj", 0),
        ("আজ", 0),
        ("আজকে", 0),
        ("आज", 0),
        ("kal", 1),
        ("কাল", 1),
        ("কালকে", 1),
        ("गतकल", 1),
        ("कल", 1),
        ("yesterday", 1),
        ("গত কাল", 1),
        ("porshu", 2),
        ("পরশু", 2),
        ("parson", 2),
        ("परसों", 2),
        ("day before yesterday", 2),
        ("the day before yesterday", 2),
        ("3 din pehle", 3),
        ("teen din pehle", 3),
        ("do din pahle", 2),
        ("৩ দিন আগে", 3),
        ("তিন দিন আগে", 3),
        ("tin din age", 3),
        ("तीन दिन पहले", 3),
        ("3 days ago", 3),
        ("three days ago", 3),
        ("twenty one days ago", 21),
        ("ek hafta pehle", 7),
        ("2 weeks ago", 14),
        ("a week ago", 7),
        ("এক সপ্তাহ আগে", 7),
    ],
)
def test_relative_days_are_in_the_past(text: str, days_back: int) -> None:
    assert parse_date(text, today=TODAY) == TODAY - timedelta(days=days_back)


@pytest.mark.parametrize(
    "text",
    [
        "monday",
        "Monday",
        "last monday",
        "on monday",
        "somvar",
        "somwar",
        "somvar ko",
        "pichhle somvar",
        "सोमवार",
        "पिछले सोमवार",
        "সোমবার",
        "সোমবারে",
        "গত সোমবার",
        "sombar",
        "shombar",
        "goto sombar",
    ],
)
def test_weekday_is_the_most_recent_one_before_today(text: str) -> None:
    assert parse_date(text, today=WEDNESDAY) == date(2026, 11, 23)


def test_a_weekday_named_on_that_day_means_a_week_ago() -> None:
    """Who means today says "today"; "Wednesday" said on a Wednesday is last week's."""
    assert parse_date("wednesday", today=WEDNESDAY) == date(2026, 11, 18)
    assert parse_date("বুধবার", today=WEDNESDAY) == date(2026, 11, 18)
    assert parse_date("budhvar", today=WEDNESDAY) == date(2026, 11, 18)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tuesday", date(2026, 11, 24)),
        ("মঙ্গলবার", date(2026, 11, 24)),
        ("mangalvar", date(2026, 11, 24)),
        ("thursday", date(2026, 11, 19)),
        ("বৃহস্পতিবার", date(2026, 11, 19)),
        ("guruvar", date(2026, 11, 19)),
        ("बृहस्पतिवार", date(2026, 11, 19)),
        ("sunday", date(2026, 11, 22)),
        ("রবিবার", date(2026, 11, 22)),
        ("itwar", date(2026, 11, 22)),
        ("रविवार", date(2026, 11, 22)),
        ("shukrobar", date(2026, 11, 20)),
        ("shanivar", date(2026, 11, 21)),
    ],
)
def test_every_weekday_in_three_languages(text: str, expected: date) -> None:
    assert parse_date(text, today=WEDNESDAY) == expected


@pytest.mark.parametrize(
    "text",
    ["kal subah", "somvar 14", "next monday", "3 din", "din pehle", "pehle", "ago", "monday 1988"],
)
def test_unclear_relative_phrases_are_refused(text: str) -> None:
    assert parse_date(text, today=WEDNESDAY) is None


class _ServerClockUTC(datetime):
    """The server's clock at 2026-01-01 20:00 UTC: already 2 January in India."""

    @classmethod
    # a datetime, not Self: this fixed clock is never subclassed
    def now(cls, tz: tzinfo | None = None) -> datetime:  # type: ignore[override]  # see above
        moment = datetime(2026, 1, 1, 20, 0, tzinfo=UTC)
        return moment.astimezone(tz) if tz else moment.replace(tzinfo=None)


class _ServerDateUTC(date):
    @classmethod
    def today(cls) -> _ServerDateUTC:
        return cls(2026, 1, 1)


def test_today_is_todays_date_in_india_not_on_the_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parsing, "datetime", _ServerClockUTC)
    monkeypatch.setattr(parsing, "date", _ServerDateUTC)
    assert parse_date("today") == date(2026, 1, 2)
    assert parse_date("kal") == date(2026, 1, 1)
    assert parse_date("aaj") == date(2026, 1, 2)


@pytest.fixture
def no_zone_data(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    def missing(name: str) -> tzinfo:
        raise ZoneInfoNotFoundError(name)

    monkeypatch.setattr(parsing, "ZoneInfo", missing)
    parsing._india.cache_clear()
    yield
    parsing._india.cache_clear()


@pytest.mark.usefixtures("no_zone_data")
def test_without_zone_data_india_is_utc_plus_five_thirty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parsing, "datetime", _ServerClockUTC)
    assert parsing.today_in_india() == date(2026, 1, 2)
    assert parsing._india().utcoffset(None) == timedelta(hours=5, minutes=30)
