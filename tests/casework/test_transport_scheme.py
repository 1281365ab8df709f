"""The West Bengal transport workers' scheme (wbtwsss) through the real app on SQLite and
PostgreSQL: its demo members, renewals (a choice between two), claims under it (a choice
between two), the most an officer may approve (its own published figures, data with their
source) and its pension by the rule."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from api.db.models import Claim, Enrollment, PensionAccount, Worker
from api.db.session import session_scope
from api.domain.scheme_benefits import pension_not_due_until
from api.services.context import local_today
from api.services.scheme_benefits import benefits, claim_limit
from locales import LANGUAGES, translate
from tests.casework.conftest import case_row, decide, verify
from tests.factory import BIKASH, GOPAL, MANOJ, Person

BOTH = ["state_social_security", "wbtwsss"]


def _claim(http: TestClient, who: Person, **extra: str) -> tuple[int, dict]:
    headers = verify(http, who.uan, who.dob, strong=True)
    body = {
        "claim_type": "accident_disability",
        "incident_date": (local_today() - timedelta(days=5)).isoformat(),
        "description": "the truck overturned on the highway",
        "bank_account_last4": who.bank_last4,
        **extra,
    }
    r = http.post("/api/v1/me/claims", json=body, headers=headers)
    return r.status_code, r.json()


def test_the_transport_members_are_seeded_due_for_renewal(client: TestClient) -> None:
    status = client.get("/api/v1/me/status", headers=verify(client, BIKASH.uan, BIKASH.dob))
    assert status.status_code == 200, status.text
    (membership,) = status.json()["enrollments"]
    assert membership["scheme"] == "wbtwsss" and membership["renewable"] is True
    assert date.fromisoformat(membership["valid_until"]) == local_today() + timedelta(days=45)
    mine = client.get("/api/v1/me/status", headers=verify(client, MANOJ.uan, MANOJ.dob)).json()
    assert [(e["scheme"], e["renewable"]) for e in mine["enrollments"]] == [
        ("state_social_security", True),
        ("wbtwsss", True),
    ]


def test_a_member_of_two_chooses_the_transport_scheme_to_renew(client: TestClient) -> None:
    headers = verify(client, MANOJ.uan, MANOJ.dob)
    asked = client.post("/api/v1/me/renewals", json={}, headers=headers)
    assert asked.status_code == 422, asked.text
    assert asked.json()["error"]["field"] == "scheme"
    assert asked.json()["error"]["options"] == BOTH
    r = client.post("/api/v1/me/renewals", json={"scheme": "wbtwsss"}, headers=headers)
    assert r.status_code == 201, r.text
    assert r.json()["scheme"] == "wbtwsss" and r.json()["reference"].startswith("REN-")
    assert case_row(r.json()["reference"])["scheme"] == "wbtwsss"


def test_the_only_transport_membership_is_renewed_without_a_choice(client: TestClient) -> None:
    r = client.post("/api/v1/me/renewals", json={}, headers=verify(client, BIKASH.uan, BIKASH.dob))
    assert r.status_code == 201, r.text
    assert r.json()["scheme"] == "wbtwsss"


def test_claims_are_filed_under_the_transport_scheme(client: TestClient) -> None:
    code, body = _claim(client, MANOJ)
    assert code == 409 and body["error"]["code"] == "scheme_required"
    assert body["error"]["schemes"] == BOTH
    code, body = _claim(client, MANOJ, scheme="wbtwsss")
    assert code == 201, body
    assert body["scheme"] == "wbtwsss" and case_row(body["reference"])["scheme"] == "wbtwsss"
    code, body = _claim(client, BIKASH, claim_type="medical")
    assert code == 201 and body["scheme"] == "wbtwsss"


def test_an_officer_approves_at_most_the_transport_schemes_own_figure(officer: TestClient) -> None:
    code, body = _claim(officer, MANOJ, scheme="wbtwsss")  # accident disability: up to 50,000
    assert code == 201, body
    ref = body["reference"]
    decide(officer, ref, status="under_review")
    too_much = decide(officer, ref, status="approved", amount=50001)
    assert too_much.status_code == 422, too_much.text
    assert too_much.json()["error"]["maximum"] == 50000
    assert decide(officer, ref, status="approved", amount=50000).status_code == 200
    code, body = _claim(officer, MANOJ, scheme="state_social_security", claim_type="medical")
    other = body["reference"]
    decide(officer, other, status="under_review")
    assert decide(officer, other, status="approved", amount=20000).status_code == 200


def _pension_claim(http: TestClient, who: Person) -> str:
    code, body = _claim(http, who, claim_type="pension", description="I am 60, my pension")
    assert code == 201, body
    return str(body["reference"])


def test_the_transport_pension_is_capped_by_the_rule(officer: TestClient) -> None:
    ref = _pension_claim(officer, GOPAL)  # registered 2011-01-10, 60 on 2023-04-02
    today = local_today()
    years = today.year - 2011 - (1 if (today.month, today.day) < (1, 10) else 0)
    decide(officer, ref, status="under_review")
    refused = decide(officer, ref, status="approved", amount=1500 + 10 * years + 1)
    assert refused.status_code == 422 and refused.json()["error"]["maximum"] == 1500 + 10 * years
    assert decide(officer, ref, status="approved", amount=1500 + 10 * years).status_code == 200


def test_no_transport_pension_claim_before_it_is_due(client: TestClient) -> None:
    """Refused when filed, not left to the officer: Bikash (born 1986-05-09, registered
    2015) turns 60 on 2046-05-09, the later of that day and five years registered."""
    code, body = _claim(client, BIKASH, claim_type="pension", description="my pension")
    assert code == 409, body
    assert body["error"]["code"] == "pension_not_due"
    assert body["error"]["due_on"] == "2046-05-09" and body["error"]["scheme"] == "wbtwsss"
    with session_scope() as s:
        worker = s.execute(select(Worker).where(Worker.uan == BIKASH.uan)).scalar_one()
        assert not s.execute(select(Claim).where(Claim.worker_id == worker.id)).first()


def test_the_officer_limit_uses_the_same_rule(db: str) -> None:
    """A pension claim already on file (imported, or filed before the rule) is approved for
    at most 0 while it is not due: the limit asks the same function as the filing."""
    born, registered = date(1986, 5, 9), date(2015, 6, 1)
    rule = benefits("wbtwsss").pension
    assert rule is not None
    assert pension_not_due_until(rule, born, registered, date(2046, 5, 8)) == date(2046, 5, 9)
    assert pension_not_due_until(rule, born, registered, date(2046, 5, 9)) is None
    before = claim_limit(
        "wbtwsss", "pension", born=born, registered_on=registered, today=date(2046, 5, 8)
    )
    on_the_day = claim_limit(
        "wbtwsss", "pension", born=born, registered_on=registered, today=date(2046, 5, 9)
    )
    assert (before, on_the_day) == (0, 1500 + 10 * 30)


def test_the_demo_pensioner_is_paid_by_the_rule(db: str) -> None:
    with session_scope() as s:
        worker = s.execute(select(Worker).where(Worker.uan == GOPAL.uan)).scalar_one()
        account = s.execute(
            select(PensionAccount).where(PensionAccount.worker_id == worker.id)
        ).scalar_one()
        registered = s.execute(
            select(Enrollment.registered_on).where(Enrollment.worker_id == worker.id)
        ).scalar_one()
    assert account.scheme_code == "wbtwsss" and registered == date(2011, 1, 10)
    today = local_today()
    years = today.year - 2011 - (1 if (today.month, today.day) < (1, 10) else 0)
    assert account.monthly_amount == 1500 + 10 * years


def test_the_console_names_the_transport_scheme(officer: TestClient) -> None:
    code, body = _claim(officer, MANOJ, scheme="wbtwsss")
    assert code == 201, body
    detail = officer.get(f"/api/v1/staff/cases/{body['reference']}").json()
    assert detail["request"]["scheme"] == "wbtwsss"
    board = officer.get("/api/v1/staff/dashboard", params={"days": 30}).json()
    assert board["open_cases"]["by"]["scheme"]["wbtwsss"] >= 1
    for lang in LANGUAGES:
        html = officer.get("/console", params={"lang": lang}).text
        found = re.search(r'<script type="application/json" id="words">(.*?)</script>', html)
        assert found is not None
        words = json.loads(found.group(1))
        assert words["scheme.wbtwsss"] == translate("scheme.wbtwsss", lang)
