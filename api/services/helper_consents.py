"""The consents under which helpers act for workers: found by session or token, granted when
the worker's code is typed back, described for officers (docs/contracts.md, "A helper acts for a
worker").

Why apart from api/services/helpers.py: the code machinery (api/services/otp.py) needs to know
whether a session awaits a consent, and the request context needs the consent behind a token,
while asking for a consent itself sends a code; one module for both would import in a circle.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.db.models import AuditLog, HelperConsent, VerificationSession, utcnow
from api.db.session import session_scope
from api.domain.masking import token_hash

AUDIT_SHOWN = 50


def of_session(session: Session, vs: VerificationSession) -> HelperConsent | None:
    return session.execute(
        select(HelperConsent).where(HelperConsent.session_id == vs.id)
    ).scalar_one_or_none()


def pending(session: Session, vs: VerificationSession) -> HelperConsent | None:
    """The consent this session asked for and the worker has not given yet (a code is out)."""
    consent = of_session(session, vs)
    return consent if consent is not None and consent.granted_at is None else None


def grant(consent: HelperConsent) -> None:
    consent.granted_at = utcnow()


def acting_for(token: str | None) -> int | None:
    """The consent behind a verification token, when a helper acts with it (else None).

    Its own short transaction: the request's context is built before its work begins.
    """
    if not token or len(token) > 200:
        return None
    with session_scope() as s:
        found = s.execute(
            select(HelperConsent.id)
            .join(VerificationSession, VerificationSession.id == HelperConsent.session_id)
            .where(
                VerificationSession.token_hash == token_hash(token),
                VerificationSession.expires_at > utcnow(),
            )
        ).scalar_one_or_none()
        return int(found) if found is not None else None


def describe(session: Session, consent_id: int | None) -> dict[str, Any] | None:
    """For an officer's case view: who acted for the worker, and what was done meanwhile."""
    consent = session.get(HelperConsent, consent_id) if consent_id is not None else None
    if consent is None:
        return None
    rows = session.execute(
        select(AuditLog.at, AuditLog.action, AuditLog.outcome)
        .where(AuditLog.helper_consent_id == consent.id)
        .order_by(AuditLog.at, AuditLog.id)
        .limit(AUDIT_SHOWN)
    ).all()
    return {
        "name": consent.helper_name,
        "relation": consent.relation,
        "granted_at": consent.granted_at,
        "audit": [{"at": at, "action": action, "outcome": outcome} for at, action, outcome in rows],
    }
