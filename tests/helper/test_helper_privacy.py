"""A helper's name is personal data: the retention pass and the worker's erasure cover it."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from api.db.models import AuditLog, HelperConsent, Worker, utcnow
from api.db.session import session_scope
from api.services import erasure, retention
from api.services.context import Ctx
from tests.api.conftest import verify
from tests.factory import RAMESH, RINA
from tests.helper.conftest import ask_consent, helper_session


def test_the_retention_pass_drops_consents_never_given_and_old_ones(client: TestClient) -> None:
    helper_session(client, RAMESH)  # granted, recent: kept
    token = verify(client, RINA.uan, RINA.dob)["X-Verification-Token"]
    assert ask_consent(client, token).status_code == 200  # never granted
    long_ago = utcnow() - timedelta(days=4000)
    with session_scope() as s:
        given, never_given = s.execute(
            select(HelperConsent.id).order_by(HelperConsent.granted_at.is_(None))
        ).scalars()
        pending = s.get(HelperConsent, never_given)
        assert pending is not None and pending.granted_at is None
    assert retention.purge_database()["helper_consents"] == 0
    with session_scope() as s:
        s.execute(
            update(HelperConsent).where(HelperConsent.id == never_given).values(expires_at=long_ago)
        )
    assert retention.purge_database()["helper_consents"] == 1
    with session_scope() as s:
        s.execute(
            update(HelperConsent).where(HelperConsent.id == given).values(granted_at=long_ago)
        )
    assert retention.purge_database()["helper_consents"] == 1
    with session_scope() as s:
        assert s.execute(select(HelperConsent.id)).first() is None
        # the audit rows stay (their own period); the helper they named is gone
        assert s.execute(select(AuditLog.id).where(AuditLog.action == "helper.consent")).first()


def test_the_workers_erasure_blanks_the_helpers_name_and_keeps_the_relation(
    client: TestClient,
) -> None:
    helper_session(client, RAMESH, name="Meena Kumari", relation="neighbour")
    with session_scope() as s:
        worker = s.execute(select(Worker).where(Worker.uan == RAMESH.uan)).scalar_one()
        erasure.erase_worker(s, Ctx(actor="staff:test"), worker)
    with session_scope() as s:
        consent = s.execute(select(HelperConsent)).scalar_one()
        assert (consent.helper_name, consent.relation) == ("", "neighbour")
        assert consent.granted_at is not None
