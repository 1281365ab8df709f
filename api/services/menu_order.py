"""Keypad menu choices: counted from the calls (table `menu_choices`), and the order of a menu
level learned from them (api/domain/menu_order.py).

Only the "more" level is learned (`LEARNED_LEVELS`): the first level stays as callers learnt it
(status, claim, renewal: the most used services by far) and the deeper levels are rarely heard.
Counts are of the last `WINDOW_DAYS` days, so the order follows what callers want now.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.db.models import MenuChoice, utcnow
from api.domain.menu_order import learned_order

LEARNED_LEVELS = frozenset({"more"})
WINDOW_DAYS = 30


def record(session: Session, level: str, option: str, language: str) -> None:
    """One option chosen on a level (no caller, no call: a count, nothing personal)."""
    session.add(MenuChoice(level=level[:20], option=option[:30], language=(language or "")[:2]))


def counts(session: Session, days: int | None = None) -> dict[str, dict[str, int]]:
    """level -> option -> times chosen (all rows, or the last `days` days)."""
    query = select(MenuChoice.level, MenuChoice.option, func.count()).group_by(
        MenuChoice.level, MenuChoice.option
    )
    if days is not None:
        query = query.where(MenuChoice.at >= utcnow() - timedelta(days=days))
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for level, option, n in session.execute(query):
        out[level][option] = int(n)
    return dict(out)


def order(
    session: Session, level: str, default: tuple[str, ...], fixed: frozenset[str]
) -> tuple[str, ...]:
    """The level's options in the order to say them: learned for `LEARNED_LEVELS`, else the
    default; `fixed` entries (keys that open another level) keep their place."""
    if level not in LEARNED_LEVELS:
        return default
    chosen = counts(session, WINDOW_DAYS).get(level, {})
    return learned_order(default, chosen, fixed)
