"""The order of a keypad menu's options, learned from what callers choose (pure).

Why: callers should reach the service they most often want with the fewest words heard, but a
menu that reshuffles on every call is one nobody can learn. So the order moves only on enough
choices (`MIN_CHOICES`), a tie keeps the default order, and a key that opens another level keeps
its place (the last key of a full level is always "other services"). A level never grows: the
same options, at most four, only in another order.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

MIN_CHOICES = 30  # choices counted on a level before its order may move from the default


def learned_order(
    default: tuple[str, ...],
    counts: Mapping[str, int],
    fixed: Collection[str] = (),
    min_choices: int = MIN_CHOICES,
) -> tuple[str, ...]:
    """`default` reordered by `counts` (most chosen first); entries in `fixed` keep their keys."""
    movable = [entry for entry in default if entry not in fixed]
    if sum(counts.get(entry, 0) for entry in movable) < min_choices:
        return default
    ranked = iter(sorted(movable, key=lambda e: (-counts.get(e, 0), default.index(e))))
    return tuple(entry if entry in fixed else next(ranked) for entry in default)
