"""A welfare scheme's published rules, read from data: who may join, when its pension is due and
how much it is, and the most a claim under it can be approved for.

The figures live in api/data/scheme_benefits.yaml with their sources (boards revise them); these
functions only apply them. "Completed years as a beneficiary" are counted from the day of
registration, the only day the record keeps for a membership.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class EnrolmentRule:
    min_age: int
    max_age: int
    work: str


@dataclass(frozen=True)
class PensionRule:
    monthly_base: int
    per_completed_year: int
    min_years_registered: int
    from_age: int


@dataclass(frozen=True)
class SchemeBenefits:
    enrolment: EnrolmentRule | None
    pension: PensionRule | None
    family_pension_percent: int | None
    claim_limits: dict[str, int]


def parse(raw: Mapping[str, Any]) -> SchemeBenefits:
    """One scheme's entry of the data file (sources stay in the file, for people)."""
    enrol, pension = raw.get("enrolment"), raw.get("pension")
    family = raw.get("family_pension")
    return SchemeBenefits(
        enrolment=EnrolmentRule(int(enrol["min_age"]), int(enrol["max_age"]), str(enrol["work"]))
        if enrol
        else None,
        pension=PensionRule(
            int(pension["monthly_base"]),
            int(pension["per_completed_year"]),
            int(pension["min_years_registered"]),
            int(pension["from_age"]),
        )
        if pension
        else None,
        family_pension_percent=int(family["share_percent"]) if family else None,
        claim_limits={str(k): int(v["max"]) for k, v in (raw.get("claim_limits") or {}).items()},
    )


def years_later(day: date, years: int) -> date:
    """The same day `years` on (29 February becomes 28 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def completed_years(since: date, today: date) -> int:
    """Whole years from `since` to `today` (0 before the first anniversary)."""
    years = today.year - since.year
    return years - 1 if years_later(since, years) > today else max(years, 0)


def can_enrol(rule: EnrolmentRule, born: date, on: date, work: str) -> bool:
    """Aged min..max on the day of enrolment and doing the scheme's kind of work."""
    return work == rule.work and rule.min_age <= completed_years(born, on) <= rule.max_age


def pension_due_from(rule: PensionRule, born: date, registered_on: date) -> date:
    """The later of the day the member turns `from_age` and the end of the years required."""
    return max(
        years_later(born, rule.from_age), years_later(registered_on, rule.min_years_registered)
    )


def pension_not_due_until(
    rule: PensionRule, born: date, registered_on: date, today: date
) -> date | None:
    """The day the pension falls due while that is after `today`, else None: the one rule the
    filing (refused before it) and the officer's limit (0 before it) both apply."""
    due = pension_due_from(rule, born, registered_on)
    return due if today < due else None


def monthly_pension(rule: PensionRule, born: date, registered_on: date, today: date) -> int | None:
    """The member's monthly pension on `today`, or None while it is not yet due."""
    if pension_not_due_until(rule, born, registered_on, today) is not None:
        return None
    return rule.monthly_base + rule.per_completed_year * completed_years(registered_on, today)
