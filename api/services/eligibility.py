"""PM-SYM eligibility check: anonymous (no personal data), so no audit row."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from api.domain.eligibility import check_pm_sym


def pm_sym(
    *,
    age: int,
    monthly_income: int,
    epf_member: bool,
    nps_member: bool,
    esic_member: bool,
    income_tax_payer: bool,
) -> dict[str, Any]:
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
