"""The benefits each welfare scheme publishes (api/data/scheme_benefits.yaml, with sources), and
the most an officer may approve for a claim filed under one."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

from api.domain.scheme_benefits import (
    SchemeBenefits,
    monthly_pension,
    parse,
    pension_not_due_until,
)

BENEFITS_FILE = Path(__file__).resolve().parent.parent / "data" / "scheme_benefits.yaml"


@lru_cache(maxsize=1)
def all_benefits() -> dict[str, SchemeBenefits]:
    data = yaml.safe_load(BENEFITS_FILE.read_text(encoding="utf-8"))
    return {str(code): parse(raw) for code, raw in (data.get("schemes") or {}).items()}


def benefits(scheme: str | None) -> SchemeBenefits | None:
    return all_benefits().get(scheme or "")


def claim_limit(
    scheme: str | None,
    claim_type: str,
    *,
    born: date,
    registered_on: date | None,
    today: date,
) -> int | None:
    """The scheme's own maximum for this claim, or None when it publishes none (then the
    type's maximum applies). A pension is the member's own monthly amount by the scheme's
    rule, 0 before it is due; with no registration day on record the rule cannot be applied."""
    found = benefits(scheme)
    if found is None:
        return None
    if claim_type == "pension" and found.pension is not None:
        if registered_on is None:
            return None
        return monthly_pension(found.pension, born, registered_on, today) or 0
    return found.claim_limits.get(claim_type)


def pension_due_later(
    scheme: str | None, *, born: date, registered_on: date | None, today: date
) -> date | None:
    """The day a pension under `scheme` falls due when that is after `today`; None when it is
    due, or the scheme publishes no pension rule, or the registration day is not on record."""
    found = benefits(scheme)
    if found is None or found.pension is None or registered_on is None:
        return None
    return pension_not_due_until(found.pension, born, registered_on, today)
