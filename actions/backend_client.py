"""The one place the action server talks to the backend API (`/api/v1`, see docs/contracts.md).

Why one module: authentication, request ids, conversation ids for the audit log, idempotency keys
and timeouts are set in one place, and every failure becomes one of two exceptions that the
actions turn into a polite message: `BackendUnavailable` (down, slow, 5xx) or `BackendError`
(a 4xx with the backend's machine code).
"""

from __future__ import annotations

import functools
import logging
import ssl
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx

from api.logging_setup import current_request_id
from api.settings import get_settings

logger = logging.getLogger(__name__)

API_PREFIX = "/api/v1"


def request_id_for_call() -> str:
    """The id of the turn being handled (set by the action server plugin), else a fresh one."""
    current = current_request_id()
    return current if current != "-" else uuid.uuid4().hex


class BackendUnavailable(Exception):
    """The backend did not answer in time, could not be reached, or failed (5xx)."""


class BackendError(Exception):
    """The backend refused the request: `code` is the machine code from the contract."""

    def __init__(self, code: str, status: int, message: str = "", detail: dict | None = None):
        super().__init__(f"{status} {code}: {message}")
        self.code = code
        self.status = status
        self.detail = detail or {}


@dataclass(frozen=True)
class Verification:
    token: str
    expires_at: str
    otp_required: bool
    preferred_language: str | None
    first_name: dict[str, str]


@dataclass(frozen=True)
class Status:
    worker: dict[str, Any]
    enrollments: list[dict[str, Any]]
    renewals: list[dict[str, Any]]
    claims: list[dict[str, Any]]
    pension: dict[str, Any] | None
    nominee: dict[str, Any] | None


@dataclass(frozen=True)
class Written:
    """Answer of a write: the reference plus the rest of the body."""

    reference: str
    body: dict[str, Any] = field(default_factory=dict)
    replayed: bool = False


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reasons: list[str]
    monthly_contribution: float | None
    government_contribution: float | None
    pension_at_60: float | None
    spouse_rules: list[str]


@dataclass(frozen=True)
class Handoff:
    ticket_id: str
    reference: str
    status: str
    officer_available: bool


@dataclass(frozen=True)
class HandoffState:
    active: bool
    ticket_id: str | None
    replies: list[dict[str, Any]]


@dataclass(frozen=True)
class KbAnswer:
    id: str
    title: str
    text: str
    score: float


class BackendClient:
    """Async client for one conversation; `transport` lets tests run the real app in-process."""

    def __init__(
        self,
        sender_id: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        base_url: str | None = None,
        timeout_s: float | None = None,
    ) -> None:
        settings = get_settings()
        self.sender_id = sender_id
        self._base_url = (base_url or settings.backend_url).rstrip("/") + API_PREFIX
        self._timeout = timeout_s if timeout_s is not None else settings.backend_timeout_s
        self._token = settings.service_token
        self._transport = transport or default_transport()

    # -- plumbing -------------------------------------------------------------------------------
    async def _call(
        self,
        method: str,
        path: str,
        *,
        json: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
        verification_token: str | None = None,
        idempotency_key: str | None = None,
    ) -> dict[str, Any] | list[Any]:
        headers = {
            "Authorization": f"Bearer {self._token}",
            "X-Request-ID": request_id_for_call(),
            "X-Conversation-ID": f"rasa:{self.sender_id}",
        }
        if verification_token:
            headers["X-Verification-Token"] = verification_token
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        try:
            async with httpx.AsyncClient(
                base_url=self._base_url, transport=self._transport, timeout=self._timeout
            ) as client:
                answer = await client.request(
                    method, path, json=json, params=params, headers=headers
                )
        except (httpx.TimeoutException, httpx.TransportError) as error:
            logger.warning("backend %s %s unreachable: %s", method, path, type(error).__name__)
            raise BackendUnavailable(str(error) or type(error).__name__) from error
        if answer.status_code >= 500:
            logger.warning("backend %s %s failed with %s", method, path, answer.status_code)
            raise BackendUnavailable(f"HTTP {answer.status_code}")
        try:
            body = answer.json()
        except ValueError as error:
            raise BackendUnavailable(f"HTTP {answer.status_code}: not JSON") from error
        if answer.status_code >= 400:
            problem = body.get("error", {}) if isinstance(body, dict) else {}
            code = problem.get("code") or ("not_found" if answer.status_code == 404 else "error")
            raise BackendError(code, answer.status_code, problem.get("message", ""), problem)
        return body

    def idempotency_key(self, flow: str, turn: int | float | str) -> str:
        """`<sender_id>:<flow>:<n>`: the same submission retried never writes twice."""
        return f"{self.sender_id}:{flow}:{int(float(turn))}"

    # -- endpoints ------------------------------------------------------------------------------
    async def verify(self, uan: str, date_of_birth: str, channel: str) -> Verification:
        body = await self._call(
            "POST", "/verify", json={"uan": uan, "date_of_birth": date_of_birth, "channel": channel}
        )
        assert isinstance(body, dict)
        return Verification(
            token=body["verification_token"],
            expires_at=body.get("expires_at", ""),
            otp_required=bool(body.get("otp_required")),
            preferred_language=body.get("preferred_language"),
            first_name=body.get("first_name") or {},
        )

    async def status(self, token: str) -> Status:
        body = await self._call("GET", "/me/status", verification_token=token)
        assert isinstance(body, dict)
        return Status(
            worker=body.get("worker") or {},
            enrollments=body.get("enrollments") or [],
            renewals=body.get("renewals") or [],
            claims=body.get("claims") or [],
            pension=body.get("pension"),
            nominee=body.get("nominee"),
        )

    async def renew(self, token: str, scheme: str | None, key: str) -> Written:
        payload = {"scheme": scheme} if scheme else {}
        body = await self._call(
            "POST", "/me/renewals", json=payload, verification_token=token, idempotency_key=key
        )
        return _written(body)

    async def file_claim(
        self,
        token: str,
        *,
        claim_type: str,
        incident_date: str,
        description: str,
        bank_account_last4: str,
        key: str,
    ) -> Written:
        body = await self._call(
            "POST",
            "/me/claims",
            json={
                "claim_type": claim_type,
                "incident_date": incident_date,
                "description": description,
                "bank_account_last4": bank_account_last4,
            },
            verification_token=token,
            idempotency_key=key,
        )
        return _written(body)

    async def update_nominee(self, token: str, name: str, relation: str, key: str) -> Written:
        body = await self._call(
            "PUT",
            "/me/nominee",
            json={"name": name, "relation": relation},
            verification_token=token,
            idempotency_key=key,
        )
        return _written(body)

    async def pension(self, token: str) -> dict[str, Any]:
        body = await self._call("GET", "/me/pension", verification_token=token)
        assert isinstance(body, dict)
        return body

    async def restart_pension(self, token: str, key: str, note: str | None = None) -> Written:
        body = await self._call(
            "POST",
            "/me/pension/restart-requests",
            json={"note": note} if note else {},
            verification_token=token,
            idempotency_key=key,
        )
        return _written(body)

    async def eligibility(
        self,
        *,
        age: int,
        monthly_income: int,
        epf_member: bool,
        nps_member: bool,
        esic_member: bool,
        income_tax_payer: bool,
    ) -> Eligibility:
        body = await self._call(
            "POST",
            "/eligibility/pm-sym",
            json={
                "age": age,
                "monthly_income": monthly_income,
                "epf_member": epf_member,
                "nps_member": nps_member,
                "esic_member": esic_member,
                "income_tax_payer": income_tax_payer,
            },
        )
        assert isinstance(body, dict)
        return Eligibility(
            eligible=bool(body.get("eligible")),
            reasons=list(body.get("reasons") or []),
            monthly_contribution=body.get("monthly_contribution"),
            government_contribution=body.get("government_contribution"),
            pension_at_60=body.get("pension_at_60"),
            spouse_rules=list(body.get("spouse_rules") or []),
        )

    async def feedback(
        self,
        *,
        category: str,
        text: str,
        channel: str,
        language: str,
        key: str,
        verification_token: str | None = None,
    ) -> Written:
        payload: dict[str, Any] = {
            "category": category,
            "text": text,
            "channel": channel,
            "language": language,
        }
        if verification_token:
            payload["verification_token"] = verification_token
        body = await self._call("POST", "/feedback", json=payload, idempotency_key=key)
        return _written(body)

    async def open_handoff(
        self,
        *,
        channel: str,
        language: str,
        reason: str,
        transcript: list[dict[str, str]],
        verification_token: str | None = None,
    ) -> Handoff:
        payload: dict[str, Any] = {
            "conversation_id": f"rasa:{self.sender_id}",
            "channel": channel,
            "language": language,
            "reason": reason,
            "transcript": transcript,
        }
        if verification_token:
            payload["verification_token"] = verification_token
        body = await self._call("POST", "/handoffs", json=payload)
        assert isinstance(body, dict)
        return Handoff(
            ticket_id=str(body.get("ticket_id", "")),
            reference=str(body.get("reference", "")),
            status=str(body.get("status", "open")),
            officer_available=bool(body.get("officer_available")),
        )

    async def relay_handoff(self, text: str) -> HandoffState:
        """File the worker's message on the open ticket and fetch the officer's replies."""
        body = await self._call(
            "POST",
            "/handoffs/relay",
            json={"conversation_id": f"rasa:{self.sender_id}", "text": text[:2000]},
        )
        assert isinstance(body, dict)
        ticket = body.get("ticket_id")
        return HandoffState(
            active=bool(body.get("active")),
            ticket_id=str(ticket) if ticket is not None else None,
            replies=list(body.get("replies") or []),
        )

    async def kb_search(self, question: str, language: str) -> list[KbAnswer]:
        body = await self._call(
            "POST", "/kb/search", json={"question": question, "language": language}
        )
        assert isinstance(body, dict)
        return [
            KbAnswer(
                id=str(a.get("id", "")),
                title=str(a.get("title", "")),
                text=str(a.get("text", "")),
                score=float(a.get("score") or 0.0),
            )
            for a in body.get("answers") or []
        ]


def _written(body: dict[str, Any] | list[Any]) -> Written:
    assert isinstance(body, dict)
    return Written(
        reference=str(body.get("reference", "")), body=body, replayed=bool(body.get("replayed"))
    )


_TRANSPORT_OVERRIDE: list[httpx.AsyncBaseTransport] = []


def default_transport() -> httpx.AsyncBaseTransport:
    """The transport new clients use: real HTTP, unless a test installed its in-process app."""
    if _TRANSPORT_OVERRIDE:
        return _TRANSPORT_OVERRIDE[-1]
    return httpx.AsyncHTTPTransport(retries=0, verify=_tls_context())


@functools.lru_cache(maxsize=1)
def _tls_context() -> ssl.SSLContext:
    """Built once: making one per call was 60% of the action server's CPU (make bench)."""
    return ssl.create_default_context()


def use_transport(transport: httpx.AsyncBaseTransport | None) -> None:
    """Send every new client through `transport` (tests: an ASGITransport); None resets."""
    _TRANSPORT_OVERRIDE.clear()
    if transport is not None:
        _TRANSPORT_OVERRIDE.append(transport)
