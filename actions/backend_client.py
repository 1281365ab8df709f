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
from typing import Any
from urllib.parse import quote

import httpx

from actions import backend_retry
from actions.backend_types import (
    BackendError,
    BackendUnavailable,
    Eligibility,
    Handoff,
    HandoffState,
    KbAnswer,
    Status,
    Verification,
    Written,
)
from api.logging_setup import current_request_id
from api.settings import get_settings

logger = logging.getLogger(__name__)
__all__ = [
    "BackendClient",
    "BackendError",
    "BackendUnavailable",
    "Eligibility",
    "Handoff",
    "HandoffState",
    "KbAnswer",
    "Status",
    "Verification",
    "Written",
]

API_PREFIX = "/api/v1"
CHANNELS = ("voice", "whatsapp", "sms", "web")  # the gateway's sender prefixes


def request_id_for_call() -> str:
    """The id of the turn being handled (set by the action server plugin), else a fresh one."""
    current = current_request_id()
    return current if current != "-" else uuid.uuid4().hex


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
        idempotent: bool | None = None,
    ) -> dict[str, Any] | list[Any]:
        """One call; a call safe to repeat (`_retryable`) is retried on 502/503/504."""
        headers = {
            "Authorization": f"Bearer {self._token}",
            "X-Request-ID": request_id_for_call(),
            "X-Conversation-ID": f"rasa:{self.sender_id}",
        }
        channel = self.sender_id.split(":", 1)[0]
        if channel in CHANNELS:  # a decision goes back on the channel the worker used
            headers["X-Channel"] = channel
        if verification_token:
            headers["X-Verification-Token"] = verification_token
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        answer = await backend_retry.send(
            httpx.AsyncClient(
                base_url=self._base_url, transport=self._transport, timeout=self._timeout
            ),
            httpx.Request(method, self._base_url + path, json=json, params=params, headers=headers),
            retries=backend_retry.retries_for(method, idempotency_key, idempotent),
        )
        if answer.status_code == 204:
            return {}
        # one line per call, under the turn's request id: the path only (a query could hold a
        # number), so a message can be followed across processes without logging personal data
        logger.info("backend %s %s -> %s", method, path, answer.status_code)
        try:
            body = answer.json()
        except ValueError as error:
            raise BackendUnavailable(f"HTTP {answer.status_code}: not JSON") from error
        if answer.status_code >= 400:
            problem = body.get("error", {}) if isinstance(body, dict) else {}
            code = problem.get("code") or ("not_found" if answer.status_code == 404 else "error")
            raise BackendError(code, answer.status_code, problem.get("message", ""), problem)
        answered: dict[str, Any] | list[Any] = body
        return answered

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
            level=str(body.get("level") or "basic"),
            phone_last2=body.get("phone_last2"),
        )

    async def send_otp(self, token: str) -> str:
        """Text a code to the worker's registered phone; the last two digits of that phone."""
        body = await self._call("POST", "/verify/otp/send", json={"verification_token": token})
        assert isinstance(body, dict)
        return str(body.get("phone_last2") or "")

    async def erase_conversations(self, token: str) -> str:
        """Erase the verified worker's conversations (claims stay); the erasure's reference."""
        body = await self._call("POST", "/me/erasure", json={}, verification_token=token)
        assert isinstance(body, dict)
        return str(body.get("reference") or "")

    async def check_otp(self, token: str, code: str) -> str:
        """The typed code upgrades the same token; the session's new level ("strong")."""
        body = await self._call(
            "POST", "/verify/otp", json={"verification_token": token, "code": code}
        )
        assert isinstance(body, dict)
        return str(body.get("level") or "strong")

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
            payment=body.get("payment"),
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
        scheme: str | None = None,
    ) -> Written:
        body = await self._call(
            "POST",
            "/me/claims",
            json={
                "claim_type": claim_type,
                "incident_date": incident_date,
                "description": description,
                "bank_account_last4": bank_account_last4,
                **({"scheme": scheme} if scheme else {}),
            },
            verification_token=token,
            idempotency_key=key,
        )
        return _written(body)

    async def write(
        self, method: str, path: str, body: dict[str, Any], token: str, key: str
    ) -> Written:
        """A verified worker's change, sent once (its idempotency key)."""
        sent = await self._call(
            method, path, json=body, verification_token=token, idempotency_key=key
        )
        return _written(sent)

    async def update_nominee(self, token: str, name: str, relation: str, key: str) -> Written:
        return await self.write(
            "PUT", "/me/nominee", {"name": name, "relation": relation}, token, key
        )

    async def pension(self, token: str) -> dict[str, Any]:
        body = await self._call("GET", "/me/pension", verification_token=token)
        assert isinstance(body, dict)
        return body

    async def restart_pension(self, token: str, key: str, note: str | None = None) -> Written:
        body = {"note": note} if note else {}
        return await self.write("POST", "/me/pension/restart-requests", body, token, key)

    async def eligibility(self, **known: int | bool | None) -> Eligibility:
        """The PM-SYM check with the answers known so far (the backend decides when it can)."""
        body = await self._call(
            "POST",
            "/eligibility/pm-sym",
            json={k: v for k, v in known.items() if v is not None},
            idempotent=True,
        )
        assert isinstance(body, dict)
        return Eligibility(
            eligible=bool(body.get("eligible")),
            reasons=list(body.get("reasons") or []),
            monthly_contribution=body.get("monthly_contribution"),
            government_contribution=body.get("government_contribution"),
            pension_at_60=body.get("pension_at_60"),
            spouse_rules=list(body.get("spouse_rules") or []),
            decided=bool(body.get("decided", True)),
            alternatives=list(body.get("alternatives") or []),
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
        payload = self._officer_request(channel, language, reason, transcript, verification_token)
        # the backend keeps one open ticket per conversation: a repeat returns it
        body = await self._call("POST", "/handoffs", json=payload, idempotent=True)
        assert isinstance(body, dict)
        return Handoff(
            ticket_id=str(body.get("ticket_id", "")),
            reference=str(body.get("reference", "")),
            status=str(body.get("status", "open")),
            officer_available=bool(body.get("officer_available")),
            wait_minutes=int(body.get("wait_minutes") or 0),
        )

    async def relay_handoff(self, text: str, *, withdraw: bool = False) -> HandoffState:
        """File the worker's message on the open ticket and fetch its state and the officer's
        replies; `withdraw`: the worker cancels a ticket nobody has taken yet."""
        body = await self._call(
            "POST",
            "/handoffs/withdraw" if withdraw else "/handoffs/relay",
            json={"conversation_id": f"rasa:{self.sender_id}", "text": text[:2000]},
        )
        assert isinstance(body, dict)
        ticket = body.get("ticket_id")
        return HandoffState(
            active=bool(body.get("active")),
            ticket_id=str(ticket) if ticket is not None else None,
            replies=list(body.get("replies") or []),
            reference=str(body.get("reference") or ""),
            taken=body.get("status") == "assigned",
            wait_minutes=int(body.get("wait_minutes") or 0),
            officer_available=bool(body.get("officer_available", True)),
        )

    async def track_request(self, token: str, reference: str) -> dict[str, Any]:
        """One of the worker's own requests by its reference (404 `not_found` otherwise)."""
        path = f"/me/requests/{quote(reference, safe='')}"
        body = await self._call("GET", path, verification_token=token)
        assert isinstance(body, dict)
        return body

    async def complaint_status(self, reference: str) -> dict[str, Any]:
        """A complaint's status before verification (status only)."""
        body = await self._call("GET", f"/complaints/{quote(reference, safe='')}")
        assert isinstance(body, dict)
        return body

    async def recover_uan(self, phone: str, date_of_birth: str, language: str, key: str) -> None:
        """Text the UAN to the registered phone if the details match (the same answer if not)."""
        payload = {"phone": phone, "date_of_birth": date_of_birth, "language": language}
        await self._call("POST", "/uan/recover", json=payload, idempotency_key=key)

    async def notices(self, token: str) -> list[dict[str, Any]]:
        """Decisions on the worker's requests not yet read (newest first)."""
        body = await self._call("GET", "/me/notices", verification_token=token)
        assert isinstance(body, list)
        return [n for n in body if isinstance(n, dict) and not n.get("read")]

    async def mark_notices_read(self, token: str, ids: list[int]) -> None:
        await self._call(
            "POST",
            "/me/notices/read",
            json={"ids": ids},
            verification_token=token,
            idempotent=True,
        )

    async def request_callback(
        self,
        *,
        channel: str,
        language: str,
        reason: str,
        transcript: list[dict[str, str]],
        verification_token: str | None = None,
    ) -> str:
        """A call-back case for this conversation's number (or the verified worker's)."""
        payload = self._officer_request(channel, language, reason, transcript, verification_token)
        # a number already waiting keeps its one open call-back case: a repeat returns it
        body = await self._call("POST", "/callbacks", json=payload, idempotent=True)
        assert isinstance(body, dict)
        return str(body.get("reference", ""))

    def _officer_request(
        self,
        channel: str,
        language: str,
        reason: str,
        transcript: list[dict[str, str]],
        verification_token: str | None,
    ) -> dict[str, Any]:
        """The body of a hand-over or a call-back: this conversation, why, and what was said."""
        payload: dict[str, Any] = {
            "conversation_id": f"rasa:{self.sender_id}",
            "channel": channel,
            "language": language,
            "reason": reason,
            "transcript": transcript,
        }
        if verification_token:
            payload["verification_token"] = verification_token
        return payload

    async def kb_search(self, question: str, language: str) -> list[KbAnswer]:
        body = await self._call(
            "POST",
            "/kb/search",
            json={"question": question, "language": language},
            idempotent=True,
        )
        assert isinstance(body, dict)
        return [
            KbAnswer(
                id=str(a.get("id", "")),
                title=str(a.get("title", "")),
                text=str(a.get("text", "")),
                score=float(a.get("score") or 0.0),
                scheme_name=str(a.get("scheme_name") or ""),
                scheme=str(a.get("scheme") or ""),
                follow_up=_step(a.get("follow_up")),
                follow_values=_values(a.get("follow_up")),
                personal=bool(a.get("personal")),
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


def _step(follow_up: Any) -> str | None:
    """The step a knowledge answer invites, as a name without dots ("eligibility_age")."""
    value = follow_up.get("step") if isinstance(follow_up, dict) else follow_up
    return str(value).replace(".", "_") if value else None


def _values(follow_up: Any) -> dict[str, str]:
    values = follow_up.get("values") if isinstance(follow_up, dict) else None
    return {str(k): str(v) for k, v in (values or {}).items()}
