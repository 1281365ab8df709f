"""The transport workers' scheme as rules over data: its published figures are in
api/data/scheme_benefits.yaml with a source each, its pension follows the rule (Rs 1,500 a month
after 5 years of registration from age 60, plus Rs 10 a completed year), it carries claims and
renewals like the other welfare schemes, and every scheme code is a scheme the helpline serves."""

from __future__ import annotations

from datetime import date

import yaml

from api.domain import claims, renewal
from api.domain.codes import SCHEMES
from api.domain.scheme_benefits import (
    EnrolmentRule,
    PensionRule,
    can_enrol,
    completed_years,
    monthly_pension,
    pension_due_from,
    years_later,
)
from api.seed import DATA_DIR
from api.services.scheme_benefits import BENEFITS_FILE, benefits

RULE = PensionRule(monthly_base=1500, per_completed_year=10, min_years_registered=5, from_age=60)


def test_every_scheme_code_is_served_and_wbtwsss_is_a_welfare_scheme() -> None:
    rows = yaml.safe_load((DATA_DIR / "schemes.yaml").read_text(encoding="utf-8"))["schemes"]
    kinds = {r["code"]: r["kind"] for r in rows}
    assert set(kinds) == set(SCHEMES)
    assert kinds["wbtwsss"] == "welfare"


def test_the_published_figures_are_data_with_a_source_each() -> None:
    raw = yaml.safe_load(BENEFITS_FILE.read_text(encoding="utf-8"))["schemes"]["wbtwsss"]
    for part in ("enrolment", "pension", "family_pension"):
        assert raw[part]["source"].startswith("WBTWSSS")
    assert all(v["source"].startswith("WBTWSSS") for v in raw["claim_limits"].values())
    found = benefits("wbtwsss")
    assert found is not None
    assert found.pension == RULE
    assert found.enrolment == EnrolmentRule(18, 60, "commercial_vehicle")
    assert found.family_pension_percent == 50
    assert found.claim_limits == {
        "accident_death": 150000,
        "death_funeral": 50000,
        "accident_disability": 50000,
        "medical": 20000,
        "maternity": 6000,
        "education": 6000,
    }
    assert set(found.claim_limits) <= set(claims.CLAIM_TYPES)
    assert benefits("bocw_welfare") is None and benefits(None) is None


def test_the_pension_is_due_at_sixty_after_five_years_and_grows_ten_a_year() -> None:
    born, registered = date(1963, 4, 2), date(2011, 1, 10)
    assert pension_due_from(RULE, born, registered) == date(2023, 4, 2)
    assert monthly_pension(RULE, born, registered, date(2023, 4, 1)) is None
    assert monthly_pension(RULE, born, registered, date(2023, 4, 2)) == 1500 + 10 * 12
    assert monthly_pension(RULE, born, registered, date(2026, 12, 7)) == 1500 + 10 * 15
    late = date(2020, 6, 1)  # joined at 57: five years of registration come after sixty
    assert pension_due_from(RULE, born, late) == date(2025, 6, 1)
    assert monthly_pension(RULE, born, late, date(2025, 5, 31)) is None
    assert monthly_pension(RULE, born, late, date(2025, 6, 1)) == 1500 + 10 * 5


def test_completed_years_and_leap_days() -> None:
    assert completed_years(date(2011, 1, 10), date(2012, 1, 9)) == 0
    assert completed_years(date(2011, 1, 10), date(2012, 1, 10)) == 1
    assert completed_years(date(2030, 1, 1), date(2026, 1, 1)) == 0
    assert years_later(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert completed_years(date(2024, 2, 29), date(2025, 2, 28)) == 1


def test_enrolment_is_for_commercial_vehicle_workers_aged_18_to_60() -> None:
    rule = EnrolmentRule(18, 60, "commercial_vehicle")
    born = date(1990, 5, 1)
    assert can_enrol(rule, born, date(2008, 5, 1), "commercial_vehicle")
    assert not can_enrol(rule, born, date(2008, 4, 30), "commercial_vehicle")
    assert can_enrol(rule, born, date(2051, 4, 30), "commercial_vehicle")
    assert not can_enrol(rule, born, date(2051, 5, 1), "commercial_vehicle")
    assert not can_enrol(rule, born, date(2026, 1, 1), "family_vehicle")


def test_the_transport_scheme_carries_claims_and_renewals() -> None:
    today = date(2026, 12, 7)
    held = [("state_social_security", "active", None), ("wbtwsss", "active", date(2027, 1, 20))]
    assert claims.claim_schemes(held, today) == ["state_social_security", "wbtwsss"]
    assert claims.choose_scheme("wbtwsss", ["state_social_security", "wbtwsss"]) == (
        "wbtwsss",
        None,
    )
    assert renewal.is_renewable(
        scheme="wbtwsss",
        status="active",
        valid_until=date(2027, 1, 20),
        renewable_flag=False,
        today=today,
    )
    assert renewal.is_renewable(
        scheme="wbtwsss", status="lapsed", valid_until=None, renewable_flag=True, today=today
    )


def test_every_demo_transport_member_could_enrol_when_registered() -> None:
    data = yaml.safe_load((DATA_DIR / "demo_dataset.yaml").read_text(encoding="utf-8"))
    found = benefits("wbtwsss")
    assert found is not None and found.enrolment is not None
    members = [
        (w, e) for w in data["workers"] for e in w["enrollments"] if e["scheme"] == "wbtwsss"
    ]
    assert len(members) == 3
    for worker, e in members:
        assert "driver" in worker["occupation"]  # commercial vehicles: taxi, truck, bus
        assert can_enrol(
            found.enrolment, worker["date_of_birth"], e["registered_on"], "commercial_vehicle"
        )
