"""Business rules in api/domain, without a database."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from api.domain import claims, pension, renewal
from api.domain.eligibility import EligibilityResult, check_pm_sym, pm_sym_table
from api.domain.errors import DomainError
from api.domain.masking import last4, mask_numbers, pii_hash
from api.domain.references import format_reference, parse_reference

TODAY = date(2026, 11, 23)


def _elig(**kw: object) -> EligibilityResult:
    args: dict[str, Any] = dict(
        age=30,
        monthly_income=12000,
        epf_member=False,
        nps_member=False,
        esic_member=False,
        income_tax_payer=False,
    )
    args.update(kw)
    return check_pm_sym(**args)


def test_pm_sym_eligible_with_matching_contribution() -> None:
    r = _elig(age=29)
    assert r.eligible and r.reasons == []
    assert r.monthly_contribution == 100 == r.government_contribution
    assert r.pension_at_60 == 3000
    assert "spouse_half_pension_after_death" in r.spouse_rules


def test_pm_sym_over_forty_is_told_at_once_with_what_else_to_do() -> None:
    """Known answers are given early: nobody over 40 is asked their income first."""
    r = check_pm_sym(age=45)
    assert r.decided and not r.eligible and r.reasons == ["age_above_maximum"]
    assert r.next_question is None
    assert r.alternatives[0] == "eshram_accident_cover" and "ask_officer" in r.alternatives


def test_pm_sym_a_member_of_epf_is_told_as_soon_as_that_is_known() -> None:
    r = check_pm_sym(age=30, monthly_income=9000, epf_member=True)
    assert r.decided and r.reasons == ["epf_member"]
    assert "eshram_accident_cover" not in r.alternatives  # EPFO members cannot join e-Shram


def test_pm_sym_undecided_names_the_next_question() -> None:
    r = check_pm_sym(age=30)
    assert not r.decided and not r.eligible and r.next_question == "monthly_income"
    r = check_pm_sym(age=30, monthly_income=9000, epf_member=False)
    assert r.next_question == "nps_member"


@pytest.mark.parametrize(("age", "amount"), [(18, 55), (25, 80), (32, 120), (40, 200)])
def test_pm_sym_contribution_table(age: int, amount: int) -> None:
    assert _elig(age=age).monthly_contribution == amount


def test_pm_sym_table_complete() -> None:
    assert sorted(pm_sym_table().contributions) == list(range(18, 41))


@pytest.mark.parametrize(
    ("kw", "reason"),
    [
        ({"age": 17}, "age_below_minimum"),
        ({"age": 41}, "age_above_maximum"),
        ({"monthly_income": 15001}, "income_above_limit"),
        ({"epf_member": True}, "epf_member"),
        ({"nps_member": True}, "nps_member"),
        ({"esic_member": True}, "esic_member"),
        ({"income_tax_payer": True}, "income_tax_payer"),
    ],
)
def test_pm_sym_refusals(kw: dict[str, object], reason: str) -> None:
    r = _elig(**kw)
    assert not r.eligible and r.reasons == [reason] and r.monthly_contribution is None


def test_pm_sym_income_limit_inclusive_and_all_reasons_listed() -> None:
    assert _elig(monthly_income=15000).eligible
    assert _elig(age=50, epf_member=True).reasons == ["age_above_maximum", "epf_member"]


def test_claim_documents_and_fields() -> None:
    for t in claims.CLAIM_TYPES:
        assert claims.documents_required(t)
    assert "death_certificate" in claims.documents_required("accident_death")
    assert claims.missing_fields("medical", {"claim_type": "medical", "incident_date": "x"}) == [
        "description",
        "bank_account_last4",
    ]


def test_claim_duplicate_rule() -> None:
    d = date(2026, 11, 1)
    existing = [("medical", d, "paid"), ("medical", d, "under_review")]
    assert claims.is_duplicate("medical", d, existing) == 1
    assert claims.is_duplicate("medical", d, existing[:1]) is None  # closed claims don't block
    assert claims.is_duplicate("maternity", d, existing) is None
    assert claims.is_duplicate("medical", date(2026, 11, 2), existing) is None


def test_incident_date_window() -> None:
    assert claims.incident_date_problem(date(2026, 11, 24), TODAY) == "incident_date_in_future"
    assert claims.incident_date_problem(date(2025, 1, 1), TODAY) is None  # no seed states one
    year = timedelta(days=365)
    assert claims.incident_date_problem(date(2025, 1, 1), TODAY, year) == "incident_date_too_old"
    assert claims.incident_date_problem(TODAY, TODAY) is None


def test_claim_next_step() -> None:
    assert claims.next_step("under_review", ["x"]) == "submit_pending_documents"
    assert claims.next_step("paid", []) == "none"


@pytest.mark.parametrize(
    ("kw", "expected"),
    [
        (
            {
                "scheme": "state_social_security",
                "status": "lapsed",
                "valid_until": date(2026, 10, 31),
                "renewable_flag": True,
            },
            True,
        ),
        (
            {
                "scheme": "state_social_security",
                "status": "lapsed",
                "valid_until": None,
                "renewable_flag": False,
            },
            False,
        ),
        (
            {
                "scheme": "bocw_welfare",
                "status": "active",
                "valid_until": date(2027, 1, 15),
                "renewable_flag": False,
            },
            True,
        ),
        (
            {
                "scheme": "bocw_welfare",
                "status": "active",
                "valid_until": date(2027, 3, 31),
                "renewable_flag": False,
            },
            False,
        ),
        (
            {"scheme": "eshram", "status": "lapsed", "valid_until": None, "renewable_flag": True},
            False,
        ),
        (
            {
                "scheme": "bocw_welfare",
                "status": "closed",
                "valid_until": None,
                "renewable_flag": True,
            },
            False,
        ),
    ],
)
def test_renewable(kw: dict[str, Any], expected: bool) -> None:
    assert renewal.is_renewable(today=TODAY, **kw) is expected


def test_pension_restart_steps() -> None:
    for reason in pension.STOP_REASONS:
        assert pension.restart_steps("stopped", reason)
    assert (
        pension.restart_steps("stopped", "life_certificate_not_submitted")[0]
        == "submit_life_certificate"
    )
    assert pension.restart_steps("active", None) == []
    assert pension.can_request_restart("stopped") and not pension.can_request_restart("active")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("aadhaar 1234 5678 9012", "aadhaar XXXX XXXX 9012"),
        ("acct 123456789012345", "acct XXXXXXXXXXX2345"),
        ("call +919800000001", "call +XXXXXXXX0001"),
        ("আধার ১২৩৪ ৫৬৭৮ ৯০১২", "আধার XXXX XXXX ৯০১২"),
        ("आधार १२३४५६७८९०१२", "आधार XXXXXXXX९०१२"),
        ("claim CLM-2026-000123 on 2026-09-10", "claim CLM-2026-000123 on 2026-09-10"),
        ("age 32, income 15000", "age 32, income 15000"),
    ],
)
def test_mask_numbers(text: str, expected: str) -> None:
    assert mask_numbers(text) == expected


def test_hash_and_last4() -> None:
    assert last4("১২৩৪ ৫৬৭৮ ৯০১২") == "9012"
    assert pii_hash("1234 5678 9012", "s") == pii_hash("123456789012", "s")
    assert pii_hash("123456789012", "s") != pii_hash("123456789012", "t")
    assert "123456789012" not in pii_hash("123456789012", "s")


def test_references() -> None:
    assert format_reference("claim", 2026, 123) == "CLM-2026-000123"
    assert format_reference("handoff", 2026, 1) == "HND-2026-000001"
    assert parse_reference("clm-2026-000123") == ("CLM", 2026, 123)
    assert parse_reference("XYZ-1") is None
    with pytest.raises(ValueError):
        format_reference("claim", 2026, 0)


def test_domain_error_shape() -> None:
    e = DomainError("duplicate_claim", "dup", existing_reference="CLM-2026-000101")
    assert e.status == 409
    assert e.to_dict() == {
        "code": "duplicate_claim",
        "message": "dup",
        "existing_reference": "CLM-2026-000101",
    }
    assert DomainError("locked_out", "x").status == 423
    assert DomainError("missing_field", "x", field="name").to_dict()["field"] == "name"


def test_claim_schemes_are_active_welfare_memberships_in_order() -> None:
    today = date(2026, 12, 6)
    held = [
        ("eshram", "active", None),
        ("state_social_security", "active", date(2027, 1, 31)),
        ("pm_sym", "active", None),
        ("bocw_welfare", "active", date(2026, 12, 6)),
    ]
    assert claims.claim_schemes(held, today) == ["state_social_security", "bocw_welfare"]
    assert claims.claim_schemes([("bocw_welfare", "lapsed", date(2027, 1, 1))], today) == []
    assert claims.claim_schemes([("bocw_welfare", "active", date(2026, 12, 5))], today) == []


def test_choose_scheme_uses_the_one_asks_between_two_refuses_one_not_held() -> None:
    assert claims.choose_scheme(None, []) == (None, None)
    assert claims.choose_scheme(None, ["bocw_welfare"]) == ("bocw_welfare", None)
    two = ["bocw_welfare", "state_social_security"]
    assert claims.choose_scheme(None, two) == (None, "scheme_required")
    assert claims.choose_scheme("state_social_security", two) == ("state_social_security", None)
    assert claims.choose_scheme("state_social_security", ["bocw_welfare"]) == (
        None,
        "scheme_not_held",
    )
