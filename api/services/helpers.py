"""A helper asks to act for a worker: the consent is recorded and a code is texted to the
WORKER's registered phone, naming the helper (docs/contracts.md, "A helper acts for a worker").

Why the worker's phone: the helper already knows the UAN and date of birth (printed on the
card); only the worker, who holds the registered phone, can agree. The code is the ordinary
one-time code (api/services/otp.py: nonce, HMAC, resend limits, lock-outs), texted in the worker's
language with the helper's name and relation; typed back it grants the consent.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy.orm import Session

from api.db.models import HelperConsent, utcnow
from api.domain.errors import DomainError
from api.domain.helpers import HELPER_RELATIONS, NOT_GIVEN, clean_name
from api.services import helper_consents, otp
from api.services.context import Ctx
from api.services.verification import STRONG, session_for


def _valid_name(helper_name: str, channel: str) -> str:
    """The helper's name; on the phone keypad it may be left out (keys cannot spell it)."""
    if not helper_name.strip() and channel == "voice":
        return NOT_GIVEN
    name = clean_name(helper_name)
    if name is None:
        raise DomainError("invalid_input", "Give the helper's name, in words.", field="helper_name")
    return name


def ask(
    session: Session,
    ctx: Ctx,
    *,
    verification_token: str,
    helper_name: str,
    relation: str,
) -> dict[str, Any]:
    """Record who asks to act for the verified worker, then text the worker the consent code."""
    vs = session_for(session, verification_token)
    if vs is None:
        raise DomainError(
            "verification_required", "Verify identity first.", field="verification_token"
        )
    if vs.scope != "worker":
        raise DomainError("forbidden", "Not available to a family member's session.")
    if vs.level == STRONG:
        raise DomainError(
            "invalid_transition",
            "The session is already confirmed; a helper's consent must come before the code.",
            allowed=[],
        )
    if relation not in HELPER_RELATIONS:
        raise DomainError(
            "invalid_input", "Unknown relation.", field="relation", options=list(HELPER_RELATIONS)
        )
    name = _valid_name(helper_name, vs.channel or ctx.channel)
    consent = helper_consents.of_session(session, vs)
    # the first consent on a session whose one code is /verify's own (OTP_REQUIRED) replaces it
    supersede = consent is None and otp.only_verify_sent(vs)
    if consent is None:
        consent = HelperConsent(worker_id=vs.worker_id, session_id=vs.id)
        session.add(consent)
    consent.helper_name = name
    consent.relation = relation
    consent.channel = vs.channel
    consent.actor = ctx.actor[:200]
    consent.requested_at = utcnow()
    consent.granted_at = None
    consent.expires_at = vs.expires_at
    session.flush()
    acting = dataclasses.replace(ctx, helper_consent_id=consent.id)
    worker = otp.worker_of(session, vs)
    sent = otp.send_code(session, acting, vs, worker, supersede=supersede)
    return {**sent, "consent_id": consent.id}
