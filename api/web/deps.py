"""Request-level dependencies: service-token auth, the acting context, staff sessions."""

from __future__ import annotations

import hmac
from dataclasses import replace

from fastapi import Header, Request

from api.domain.codes import Channel
from api.domain.errors import DomainError
from api.logging_setup import current_request_id
from api.services import helper_consents
from api.services.context import Ctx
from api.settings import get_settings

STAFF_COOKIE = "shramik_staff"


def require_service(authorization: str | None = Header(default=None)) -> None:
    """Bearer SERVICE_TOKEN, compared in constant time."""
    expected = get_settings().service_token
    scheme, _, token = (authorization or "").partition(" ")
    if (
        not expected
        or scheme.lower() != "bearer"
        or not hmac.compare_digest(token.encode(), expected.encode())
    ):
        raise DomainError("unauthorized", "A valid service token is required.")


def _clean(value: str | None, limit: int = 200) -> str:
    if not value:
        return ""
    return "".join(ch for ch in value if ch.isprintable())[:limit]


def service_ctx(
    x_conversation_id: str | None = Header(default=None),
    x_channel: str | None = Header(default=None),
    x_verification_token: str | None = Header(default=None),
) -> Ctx:
    """Who acts: the conversation, its channel and, when the verified session is a helper's
    acting with the worker's consent, that consent (every audit row and case names the helper)."""
    actor = _clean(x_conversation_id) or "service"
    channel = _clean(x_channel, 20) or channel_of_conversation(actor)
    return Ctx(
        actor=actor,
        request_id=current_request_id(),
        channel=channel,
        helper_consent_id=helper_consents.acting_for(x_verification_token),
    )


def with_body_token(ctx: Ctx, token: str | None) -> Ctx:
    """The context of a request whose verification token is in its body (feedback, hand-overs,
    call-backs): a helper acting with it is named there too, as with the header."""
    if ctx.helper_consent_id is not None or not token:
        return ctx
    consent = helper_consents.acting_for(token)
    return ctx if consent is None else replace(ctx, helper_consent_id=consent)


def channel_of_conversation(conversation_id: str) -> str:
    """`rasa:whatsapp:+91...` -> `whatsapp` (the gateway's conversation ids, docs/contracts.md),
    so a request the assistant files without an X-Channel header still records where the
    worker wrote, and the decision goes back the same way; "" when the id says nothing."""
    parts = conversation_id.split(":")
    if len(parts) >= 3 and parts[0] == "rasa" and parts[1] in set(Channel):
        return parts[1]
    return ""


def verification_token(x_verification_token: str | None = Header(default=None)) -> str | None:
    return x_verification_token


def idempotency_key(idempotency_key: str | None = Header(default=None)) -> str | None:
    return idempotency_key


def staff_token(request: Request) -> str | None:
    return request.cookies.get(STAFF_COOKIE)
