"""Read UANs, dates, ages and amounts from what a worker typed or said (bn/hi/en).

Pure functions, no business rule: adapters may call them to understand input, the backend calls
them again on every request because it never trusts an adapter's normalisation. The words they
know live in api/data/lexicons (see api/domain/lexicons.py).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone, tzinfo
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from api.domain import lexicons as lex
from api.domain.digits import (
    MULTIPLIERS,
    ascii_digits,
    compose,
    is_ascii_number,
    normalise_digits,
    word_value,
)
from api.domain.lexicons import nfc
from api.domain.relative_dates import relative_date

__all__ = [
    "INDIA_ZONE",
    "normalise_digits",
    "parse_age",
    "parse_amount",
    "parse_date",
    "parse_uan",
    "parse_year",
    "today_in_india",
]

INDIA_ZONE = "Asia/Kolkata"
_IST = timezone(timedelta(hours=5, minutes=30), "IST")  # if the system has no zone data
_SEP = re.compile(r"[\s,;:!?()\[\]{}\"'/.\\\-–—]+")


@lru_cache(maxsize=1)
def _india() -> tzinfo:
    try:
        return ZoneInfo(INDIA_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return _IST


def today_in_india() -> date:
    """Today's date in India. A worker's "today" and "kal" turn at Indian midnight, while the
    server's clock is often UTC (5.5 hours behind), so the server's date would be yesterday's
    every night from 00:00 to 05:30 IST."""
    return datetime.now(_india()).date()


def parse_uan(text: str | int | None) -> str | None:
    """12-digit Universal Account Number in any digit script or spoken form, else None."""
    if text is None:
        return None
    digits = re.sub(r"[\s\-–.]", "", normalise_digits(str(text)))
    match = re.fullmatch(r"\D*?([0-9]{12})\D*", digits)
    if match and len(re.findall(r"\d", digits)) == 12:
        return match.group(1)
    return None


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except (ValueError, OverflowError):
        return None


def _full_year(year: int, today: date) -> int:
    """Two-digit years: the most recent year not in the future (88 -> 1988, 05 -> 2005)."""
    if year >= 100:
        return year
    candidate = 2000 + year
    return candidate if candidate <= today.year else 1900 + year


def parse_date(text: str | None, today: date | None = None) -> date | None:
    """A calendar date from what a worker typed or said, else None.

    Written: ISO, 14/03/1988 (also - . and spaces), 14031988, 140388, "14 March 1988",
    "March 14, 1988", "1988 March 14", "১৪ই মার্চ ১৯৮৮", "১৯৮৮ সালের ১৪ই মার্চ", "14 मार्च 1988".
    Said: day, month and year in words of any of the three languages, native or romanised
    ("chouddo tarikh march unish sho athashi", "चौदह मार्च उन्नीस सौ अट्ठासी", "fourteen march
    nineteen eighty-eight", "5 march two thousand and five", "14 march 19 sau 88"), or digit by
    digit ("one four zero three one nine eight eight"). Relative: aaj/kal/porshu, "3 din pehle",
    weekday names, always in the past (api/domain/relative_dates.py).

    Day first (Indian usage) for numeric forms; never guesses a day/month swap. `today` defaults
    to today in India (today_in_india), not the server's date.
    """
    if not text or len(text) > 200:
        return None
    today = today or today_in_india()
    raw = nfc(ascii_digits(text.strip())).lower()
    iso = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})", raw)
    if iso:
        return _valid(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    tokens = [t for t in _SEP.split(raw) if t]
    if not tokens:
        return None
    if re.fullmatch(r"[0-9]{6}|[0-9]{8}", raw):
        return _compact(raw, today)
    named = lex.values("weekday").get(lex.fold(tokens[0])) if len(tokens) > 2 else None
    if named is not None:  # "Monday, 14 March 1988": kept only if 14 March 1988 was a Monday
        found = _from_items(_items(tokens[1:]), today)
        return found if found and found.weekday() == named else None
    return relative_date(tokens, today) or _from_items(_items(tokens), today)


def parse_year(text: str | None, today: date | None = None) -> int | None:
    """A year alone: "1988", "88", "unish sho athashi", "उन्नीस सौ अट्ठासी", "nineteen eighty-eight",
    "two thousand and five", "19 sau 88"; None otherwise. Two-digit years as in parse_date."""
    if not text or len(text) > 200:
        return None
    items = _items([t for t in _SEP.split(nfc(ascii_digits(text.strip())).lower()) if t])
    if not items or any(kind != "n" for kind, _ in items):
        return None
    return _join_year([value for _, value in items], today or today_in_india())


def _compact(digits: str, today: date) -> date | None:
    """DDMMYYYY (or YYYYMMDD when that is the only valid reading) and DDMMYY."""
    if len(digits) == 6:
        return _valid(_full_year(int(digits[4:]), today), int(digits[2:4]), int(digits[:2]))
    if 1800 < int(digits[:4]) < 2200 and _valid(int(digits[:4]), int(digits[4:6]), 1):
        found = _valid(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
        if found:
            return found
    return _valid(int(digits[4:]), int(digits[2:4]), int(digits[:2]))


@lru_cache(maxsize=1)
def _day_suffix() -> re.Pattern[str]:
    """A day number with its suffix: "14th", "১৪ই" (digits already ASCII), "14তারিখ"."""
    forms = "|".join(map(re.escape, _day_suffixes()))
    return re.compile(r"([0-9]+)(?:" + forms + r")?")


@lru_cache(maxsize=1)
def _day_suffixes() -> tuple[str, ...]:
    return tuple(sorted(lex.words("day_suffix"), key=len, reverse=True))


def _day_word_value(word: str) -> int | None:
    """A number word, also with the suffix of a date's day ("একুশে" = 21, "doshe" = 10)."""
    value = word_value(word)
    if value is not None:
        return value
    for suffix in _day_suffixes():
        if word.endswith(suffix) and len(word) > len(suffix):
            value = word_value(word[: -len(suffix)])
            if value is not None:
                return value
    return None


_Item = tuple[str, int]  # ("n", number) or ("m", month)


def _unglue(tokens: list[str]) -> list[str]:
    """Split a month name glued to its numbers: "14march1988" -> "14", "march", "1988"."""
    out: list[str] = []
    for token in tokens:
        glued = (
            re.fullmatch(r"([0-9]{1,2})(\D+?)([0-9]{2,4})", token) if token[-1:].isdigit() else None
        )
        if glued and lex.fold(glued.group(2)) in lex.values("month"):
            out.extend(glued.groups())
        else:
            out.append(token)
    return out


def _parts(tokens: list[str]) -> list[tuple[str, int]] | None:
    """Tokens -> ("d", typed number) / ("w", number word) / ("m", month) / ("|", filler)."""
    parts: list[tuple[str, int]] = []
    for token in _unglue(tokens):
        day = _day_suffix().fullmatch(token)
        key = lex.fold(token)
        if day:
            parts.append(("d", int(day.group(1))))
        elif key in lex.words("filler"):
            parts.append(("|", 0))  # "14th of March": a filler ends a number
        elif key in lex.words("joiner"):
            continue  # "two thousand and five"
        elif key in lex.values("month"):
            parts.append(("m", lex.values("month")[key]))
        else:
            value = _day_word_value(token)
            if value is None:
                return None  # an unknown word: do not guess
            parts.append(("w", value))
    return parts


def _items(tokens: list[str]) -> list[_Item] | None:
    """Numbers and months in order: number words are composed ("unish sho athashi" = 1988);
    a typed number joins them only next to a multiplier ("19 sau 88" = 1988)."""
    parts = _parts(tokens)
    if parts is None:
        return None
    items: list[_Item] = []
    run: list[int] = []
    for i, (kind, value) in enumerate(parts):
        before = parts[i - 1] if i else ("|", 0)
        after = parts[i + 1] if i + 1 < len(parts) else ("|", 0)
        next_to_multiplier = any(k == "w" and v in MULTIPLIERS for k, v in (before, after))
        if kind == "w" or (kind == "d" and next_to_multiplier):
            run.append(value)
            continue
        items.extend(("n", number) for number in compose(run))
        run = []
        if kind in "dm":
            items.append(("n" if kind == "d" else "m", value))
    items.extend(("n", number) for number in compose(run))
    return items


def _from_items(items: list[_Item] | None, today: date) -> date | None:
    if not items:
        return None
    kinds = "".join(kind for kind, _ in items)
    vals = [value for _, value in items]
    if kinds.count("m") == 1:
        at = kinds.index("m")
        return _with_month_name(vals[:at], vals[at], vals[at + 1 :], today)
    if "m" in kinds:
        return None
    if len(vals) in (6, 8) and all(value < 10 for value in vals):  # said digit by digit
        return _compact("".join(map(str, vals)), today)
    if len(vals) == 3 and vals[0] > 999:  # 1988/03/14: a year first is never day-first
        return _valid(vals[0], vals[1], vals[2])
    if len(vals) == 3 and not 100 <= vals[2] <= 999:
        return _valid(_full_year(vals[2], today), vals[1], vals[0])
    if len(vals) == 4:  # "fourteen three nineteen eighty-eight"
        year = _join_year(vals[2:], today)
        return _valid(year, vals[1], vals[0]) if year else None
    return None


def _with_month_name(before: list[int], month: int, after: list[int], today: date) -> date | None:
    if len(before) == 1 and before[0] <= 31:  # 14 March 1988
        day, year_parts = before[0], after
    elif not before and after:  # March 14, 1988
        day, year_parts = after[0], after[1:]
    elif len(before) == 1 and len(after) == 1:  # 1988 March 14
        day, year_parts = after[0], before
    elif len(before) == 2 and not after and before[0] > 31:  # ১৯৮৮ সালের ১৪ই মার্চ
        day, year_parts = before[1], before[:1]
    else:
        return None
    year = _join_year(year_parts, today)
    return _valid(year, month, day) if year else None


def _join_year(parts: list[int], today: date) -> int | None:
    """A year from its spoken pieces: [1988], [88], [19, 88] ("nineteen eighty-eight"),
    [20, 10] ("twenty ten"), [19, 0, 5] ("nineteen oh five")."""
    if len(parts) == 1:
        return _full_year(parts[0], today) if parts[0] < 100 or 1800 < parts[0] < 2200 else None
    if len(parts) == 2 and 10 <= parts[0] <= 20 and 0 <= parts[1] < 100:
        return parts[0] * 100 + parts[1]
    if len(parts) == 3 and 10 <= parts[0] <= 20 and parts[1] == 0 and parts[2] < 10:
        return parts[0] * 100 + parts[2]
    return None


def parse_age(text: str | int | None) -> int | None:
    """Age in whole years from "32", "৩২", "बत्तीस साल", "thirty two years"; None if absurd."""
    if text is None:
        return None
    if isinstance(text, int):
        return text if 0 < text < 120 else None
    numbers = re.findall(r"[0-9]+", normalise_digits(text))
    if len(numbers) != 1:
        return None
    age = int(numbers[0])
    return age if 0 < age < 120 else None


def _amount_unit(word: str) -> int | None:
    """ "k", "hazaar", "লাখ", "crore": a multiplier of a thousand or more, from the lexicons."""
    if word == "k":
        return 1000
    value = lex.values("multiplier").get(lex.fold(word))
    return value if value is not None and value >= 1000 else None


def parse_amount(text: str | int | None) -> int | None:
    """Rupees from "15000", "Rs 15,000", "₹১৫,০০০", "1.5 lakh", "pandrah hazaar", "পনেরো হাজার"."""
    if text is None:
        return None
    if isinstance(text, int):
        return text if text >= 0 else None
    raw = nfc(ascii_digits(text)).lower()
    raw = re.sub(r"(?<=\d),(?=\d)", "", raw)  # Indian grouping 1,50,000
    raw = re.sub(r"(rs\.?|inr|₹|rupees?|rupaye|rupaiya|रुपये|रुपए|रुपया|টাকা|taka)", " ", raw)
    decimal = re.fullmatch(
        r"\s*([0-9]+(?:\.[0-9]+)?)\s*([^\d\s]+)?\s*(per month|monthly|महीना)?\s*", raw
    )
    if decimal:
        unit = decimal.group(2)
        scale = _amount_unit(unit) if unit else 1
        if scale is None:
            return None
        try:
            return round(Decimal(decimal.group(1)) * scale)
        except InvalidOperation:
            return None
    numbers = re.findall(r"[0-9]+", normalise_digits(raw))
    if len(numbers) != 1 or not is_ascii_number(numbers[0]):
        return None
    return int(numbers[0])
