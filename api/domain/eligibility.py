"""PM Shram Yogi Maan-dhan eligibility and contribution, from the public scheme rules.

The table lives in api/data/pm_sym_contributions.yaml so a rule change is a data change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "pm_sym_contributions.yaml"

# Rendered by adapters as reason.<code> / rule.<code>.
SPOUSE_RULES = [
    "spouse_continue_or_refund_on_death",
    "spouse_continue_or_refund_on_disability",
    "spouse_half_pension_after_death",
]


@dataclass(frozen=True)
class PmSymTable:
    entry_age_min: int
    entry_age_max: int
    income_limit_monthly: int
    pension_at_60: int
    spouse_pension_after_death: int
    contributions: dict[int, int]


@lru_cache(maxsize=1)
def pm_sym_table() -> PmSymTable:
    """Load the contribution table once, on first use."""
    raw: dict[str, Any] = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    return PmSymTable(
        entry_age_min=int(raw["entry_age_min"]),
        entry_age_max=int(raw["entry_age_max"]),
        income_limit_monthly=int(raw["income_limit_monthly"]),
        pension_at_60=int(raw["pension_at_60"]),
        spouse_pension_after_death=int(raw["spouse_pension_after_death"]),
        contributions={int(k): int(v) for k, v in raw["contributions"].items()},
    )


# Asked in this order; a worker is told as soon as a known answer rules them out.
QUESTIONS = ("age", "monthly_income", "epf_member", "nps_member", "esic_member", "income_tax_payer")
# What else a worker who cannot join PM-SYM can do (rendered as alternative.<code>).
ESHRAM_AGES = range(16, 60)  # e-Shram registration: 16-59 (schemes.md)


@dataclass
class EligibilityResult:
    eligible: bool
    reasons: list[str] = field(default_factory=list)
    monthly_contribution: int | None = None
    government_contribution: int | None = None
    pension_at_60: int = 0
    spouse_rules: list[str] = field(default_factory=list)
    decided: bool = True  # False: more answers needed (`next_question`)
    next_question: str | None = None
    alternatives: list[str] = field(default_factory=list)


def _reasons(
    age: int | None,
    monthly_income: int | None,
    memberships: dict[str, bool | None],
) -> list[str]:
    table = pm_sym_table()
    reasons: list[str] = []
    if age is not None and age < table.entry_age_min:
        reasons.append("age_below_minimum")
    if age is not None and age > table.entry_age_max:
        reasons.append("age_above_maximum")
    if monthly_income is not None and monthly_income > table.income_limit_monthly:
        reasons.append("income_above_limit")
    reasons += [name for name, member in memberships.items() if member]
    return reasons


def alternatives(age: int | None, reasons: list[str]) -> list[str]:
    """What a worker who cannot join PM-SYM can still do, most useful first."""
    found: list[str] = []
    excluded = {"epf_member", "esic_member", "income_tax_payer"} & set(reasons)
    if (age is None or age in ESHRAM_AGES) and not excluded:
        found.append("eshram_accident_cover")
    found += ["state_welfare_schemes", "ask_officer"]
    return found


def check_pm_sym(
    *,
    age: int | None = None,
    monthly_income: int | None = None,
    epf_member: bool | None = None,
    nps_member: bool | None = None,
    esic_member: bool | None = None,
    income_tax_payer: bool | None = None,
) -> EligibilityResult:
    """Decide with what is known: one disqualifying answer decides at once (the worker is not
    asked the rest); all answers known and none disqualifying: eligible. Every failing known
    condition is listed, so the worker hears all of them."""
    table = pm_sym_table()
    memberships = {
        "epf_member": epf_member,
        "nps_member": nps_member,
        "esic_member": esic_member,
        "income_tax_payer": income_tax_payer,
    }
    reasons = _reasons(age, monthly_income, memberships)
    known = {"age": age, "monthly_income": monthly_income, **memberships}
    missing = [q for q in QUESTIONS if known[q] is None]
    eligible = not reasons and not missing
    contribution = table.contributions.get(age) if eligible and age is not None else None
    return EligibilityResult(
        eligible=eligible,
        reasons=reasons,
        monthly_contribution=contribution,
        government_contribution=contribution,
        pension_at_60=table.pension_at_60,
        spouse_rules=list(SPOUSE_RULES),
        decided=bool(reasons) or not missing,
        next_question=None if reasons or not missing else missing[0],
        alternatives=alternatives(age, reasons) if reasons else [],
    )
