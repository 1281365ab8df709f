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


@dataclass
class EligibilityResult:
    eligible: bool
    reasons: list[str] = field(default_factory=list)
    monthly_contribution: int | None = None
    government_contribution: int | None = None
    pension_at_60: int = 0
    spouse_rules: list[str] = field(default_factory=list)


def check_pm_sym(
    *,
    age: int,
    monthly_income: int,
    epf_member: bool,
    nps_member: bool,
    esic_member: bool,
    income_tax_payer: bool,
) -> EligibilityResult:
    """Every failing condition is listed (not just the first) so the worker hears all of them."""
    table = pm_sym_table()
    reasons: list[str] = []
    if age < table.entry_age_min:
        reasons.append("age_below_minimum")
    if age > table.entry_age_max:
        reasons.append("age_above_maximum")
    if monthly_income > table.income_limit_monthly:
        reasons.append("income_above_limit")
    if epf_member:
        reasons.append("epf_member")
    if nps_member:
        reasons.append("nps_member")
    if esic_member:
        reasons.append("esic_member")
    if income_tax_payer:
        reasons.append("income_tax_payer")
    contribution = table.contributions.get(age)
    eligible = not reasons
    return EligibilityResult(
        eligible=eligible,
        reasons=reasons,
        monthly_contribution=contribution if eligible else None,
        government_contribution=contribution if eligible else None,
        pension_at_60=table.pension_at_60,
        spouse_rules=list(SPOUSE_RULES),
    )
