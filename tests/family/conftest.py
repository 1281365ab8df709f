"""Family-claim tests: the real app on SQLite and PostgreSQL (tests/api fixtures), with workers
who died made here (never the demo dataset's people)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from api.db.models import Enrollment, Nominee, OutboundMessage, PensionAccount, Worker
from api.db.session import session_scope
from tests.api.conftest import SERVICE_HEADERS, client, database, db, texted_code  # noqa: F401
from tests.casework.conftest import officer  # noqa: F401
from tests.factory import new_uan

CALLER = "+919812300001"  # the family member's phone
WORKER_PHONE = "+919812399999"  # the dead worker's registered phone


@dataclass(frozen=True)
class Deceased:
    uan: str
    dob: str
    nominee: str


def make_deceased(
    *,
    nominee: str | None = "Rokeya Bibi",
    pension: tuple[str, int] | None = None,
    schemes: tuple[str, ...] = ("bocw_welfare",),
) -> Deceased:
    """A worker who died: a membership, a nominee and maybe a pension on record."""
    uan = new_uan()
    with session_scope() as s:
        worker = Worker(
            uan=uan,
            name_en="Abdul Karim",
            date_of_birth=date(1958, 3, 2),
            phone=WORKER_PHONE,
            preferred_language="bn",
            bank_last4="1111",
            district="Howrah",
        )
        s.add(worker)
        s.flush()
        for scheme in schemes:
            s.add(
                Enrollment(
                    worker_id=worker.id,
                    scheme_code=scheme,
                    status="active",
                    valid_until=date(2030, 1, 1),
                )
            )
        if nominee:
            s.add(Nominee(worker_id=worker.id, name=nominee, relation="wife"))
        if pension:
            s.add(
                PensionAccount(
                    worker_id=worker.id,
                    scheme_code=pension[0],
                    monthly_amount=pension[1],
                    status="active",
                )
            )
    return Deceased(uan, "1958-03-02", nominee or "")


def family_verify(
    http: TestClient,
    who: Deceased,
    name: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Any:
    body = {
        "uan": who.uan,
        "date_of_birth": who.dob,
        "nominee_name": who.nominee if name is None else name,
        "phone": CALLER,
        "channel": "web",
        "language": "bn",
        **extra,
    }
    sent = {**SERVICE_HEADERS, **(headers or {})}
    return http.post("/api/v1/family/verify", json=body, headers=sent)


def strong_family(http: TestClient, who: Deceased, **extra: Any) -> dict[str, str]:
    """Headers of a strong family session (the code texted to the caller typed back)."""
    r = family_verify(http, who, **extra)
    assert r.status_code == 200, r.text
    token = r.json()["verification_token"]
    typed = http.post(
        "/api/v1/verify/otp",
        json={"verification_token": token, "code": texted_code()},
        headers=SERVICE_HEADERS,
    )
    assert typed.status_code == 200, typed.text
    return {**SERVICE_HEADERS, "X-Verification-Token": token}


def file_family_claim(http: TestClient, headers: dict[str, str], **overrides: Any) -> Any:
    body = {
        "claim_type": "death_funeral",
        "incident_date": "2026-11-20",
        "description": "he died at home",
        "bank_account_last4": "4321",
        **overrides,
    }
    return http.post("/api/v1/family/claims", json=body, headers=headers)


def sent_to(reason: str) -> list[str]:
    with session_scope() as s:
        return list(
            s.execute(
                select(OutboundMessage.to_address)
                .where(OutboundMessage.reason == reason)
                .order_by(OutboundMessage.id)
            ).scalars()
        )
