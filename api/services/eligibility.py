"""PM-SYM eligibility check: anonymous (no personal data), so no audit row."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from api.domain.eligibility import check_pm_sym


def pm_sym(
    *,
    age: int | None = None,
    monthly_income: int | None = None,
    epf_member: bool | None = None,
    nps_member: bool | None = None,
    esic_member: bool | None = None,
    income_tax_payer: bool | None = None,
) -> dict[str, Any]:
    """The check with what is known so far (the assistant asks one question at a time)."""
    return asdict(
        check_pm_sym(
            age=age,
            monthly_income=monthly_income,
            epf_member=epf_member,
            nps_member=nps_member,
            esic_member=esic_member,
            income_tax_payer=income_tax_payer,
        )
    )
