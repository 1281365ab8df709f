"""Dates said relative to today: "aaj", "kal", "porshu", "3 din pehle", "গত সোমবার", "monday".

The helpline asks only for dates that have happened (a birth, an accident, a last payment),
so every relative date is read as past:
- "kal"/"কাল"/"कल" (yesterday or tomorrow in Hindi and Bengali) is yesterday, and
  "porshu"/"parson"/"পরশু"/"परसों" (the day before yesterday or after tomorrow) is two days back;
- "N din pehle" / "N দিন আগে" / "N days ago" is N days back, weeks likewise (months and years
  are not read: "2 mahine pehle" names no day);
- a weekday name is the most recent such day before today, and never today itself: who means
  today says "today", so "Monday" said on a Monday is a week ago. "last Monday", "গত সোমবার"
  and "pichhle somvar" are the same day as "Monday".
The words come from api/data/lexicons (kinds relative, weekday, unit, article, ago, last).
"""

from __future__ import annotations

from datetime import date, timedelta

from api.domain import lexicons as lex
from api.domain.digits import compose, is_ascii_number, word_value

__all__ = ["relative_date"]


def relative_date(tokens: list[str], today: date) -> date | None:
    """The past date that `tokens` (a whole answer, split into words) name, else None."""
    fillers = lex.words("filler")
    words = [word for word in map(lex.fold, tokens) if word not in fillers]
    if not words:
        return None
    back = lex.values("relative").get(" ".join(words))
    if back is not None:
        return _days_back(today, back)
    if len(words) == 2 and words[0] in lex.words("last"):
        words = words[1:]
    weekday = lex.values("weekday").get(words[0]) if len(words) == 1 else None
    if weekday is not None:
        return _days_back(today, (today.weekday() - weekday) % 7 or 7)
    return _ago(words, today)


def _ago(words: list[str], today: date) -> date | None:
    """N days or weeks back: "3 din pehle", "তিন দিন আগে", "twenty one days ago", "a week ago"."""
    if len(words) < 3 or words[-1] not in lex.words("ago"):
        return None
    unit = lex.values("unit").get(words[-2])
    count = _count(words[:-2])
    if unit is None or count is None:
        return None
    return _days_back(today, count * unit)


def _count(words: list[str]) -> int | None:
    if len(words) == 1 and words[0] in lex.values("article"):
        return lex.values("article")[words[0]]
    values = [int(word) if is_ascii_number(word) else word_value(word) for word in words]
    known = [value for value in values if value is not None]
    if len(known) != len(values):
        return None
    numbers = compose(known)
    return numbers[0] if len(numbers) == 1 else None


def _days_back(today: date, days: int) -> date | None:
    try:
        return today - timedelta(days=days)
    except OverflowError:  # "99999 years" of days: before year 1
        return None
