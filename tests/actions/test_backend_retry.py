"""The action server's backend client behind a load balancer that loses a process mid-request.

The balancer is a stand-in transport (HAProxy is not ours) in front of the real API in-process:
it can pass a request to the API and still answer 502 (the process died after its commit, before
its answer), or answer 503 itself (no process up). The API and its data are real.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from actions import backend_client
from actions.backend_client import BackendClient, BackendUnavailable
from api.db.models import HandoffTicket, RenewalRequest
from api.db.session import session_scope
from tests.factory import RAMESH, RINA


class LossyBalancer(httpx.AsyncBaseTransport):
    """The first `fail` requests get `status`; with `forward_first`, after the API saw them."""

    def __init__(self, api: httpx.AsyncBaseTransport, status: int, fail: int, forward_first: bool):
        self.api, self.status, self.fail, self.forward_first = api, status, fail, forward_first
        self.forwarded: list[str] = []
        self.seen = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.seen += 1
        failing = self.seen <= self.fail
        if failing and not self.forward_first:
            return httpx.Response(self.status, text="no server is available")
        self.forwarded.append(f"{request.method} {request.url.path}")
        answer = await self.api.handle_async_request(request)
        if failing:
            await answer.aread()
            return httpx.Response(self.status, text="bad gateway")
        return answer


def _behind(backend: Any, status: int, fail: int, forward_first: bool) -> LossyBalancer:
    balancer = LossyBalancer(backend, status, fail, forward_first)
    backend_client.use_transport(balancer)
    return balancer


def _renewals() -> int:
    with session_scope() as s:
        return int(s.execute(select(func.count()).select_from(RenewalRequest)).scalar_one())


def test_a_keyed_write_whose_answer_was_lost_is_retried_and_written_once(backend: Any) -> None:
    async def scenario() -> Any:
        client = BackendClient("retry-1")
        token = (await client.verify(RAMESH.uan, RAMESH.dob, "web")).token
        before = _renewals()
        balancer = _behind(backend, 502, 1, forward_first=True)
        client = BackendClient("retry-1")  # now behind the balancer
        written = await client.renew(token, None, client.idempotency_key("renewal", 1))
        return before, balancer, written

    before, balancer, written = asyncio.run(scenario())
    assert balancer.forwarded == ["POST /api/v1/me/renewals"] * 2  # the API saw it twice ...
    assert written.replayed  # ... and answered the second time with the first answer
    assert written.reference
    assert _renewals() == before + 1


def test_a_read_is_retried_while_no_process_is_up(backend: Any) -> None:
    async def scenario() -> Any:
        client = BackendClient("retry-2")
        token = (await client.verify(RINA.uan, RINA.dob, "web")).token
        balancer = _behind(backend, 503, 2, forward_first=False)
        return balancer, await BackendClient("retry-2").status(token)

    balancer, status = asyncio.run(scenario())
    assert balancer.seen == 3
    assert status.worker["bank_account_last4"] == RINA.bank_last4


@pytest.mark.parametrize("status", [502, 503, 504])
def test_a_write_without_a_key_is_not_sent_again(backend: Any, status: int) -> None:
    balancer = _behind(backend, status, 1, forward_first=True)
    with pytest.raises(BackendUnavailable):
        asyncio.run(BackendClient("retry-3").verify(RINA.uan, RINA.dob, "web"))
    assert balancer.forwarded == ["POST /api/v1/verify"]  # one attempt counted, not two


def test_a_read_still_failing_after_the_retries_is_unavailable(backend: Any) -> None:
    balancer = _behind(backend, 503, 10, forward_first=False)
    with pytest.raises(BackendUnavailable):
        asyncio.run(BackendClient("retry-4").eligibility(age=30))
    assert balancer.seen == 3


def test_opening_a_hand_over_whose_answer_was_lost_opens_one_ticket(backend: Any) -> None:
    async def scenario() -> Any:
        balancer = _behind(backend, 502, 1, forward_first=True)
        client = BackendClient("web:retry-5")
        opened = await client.open_handoff(
            channel="web", language="en", reason="asked", transcript=[]
        )
        return balancer, opened

    balancer, opened = asyncio.run(scenario())
    assert balancer.forwarded == ["POST /api/v1/handoffs"] * 2
    with session_scope() as s:
        tickets = s.execute(
            select(HandoffTicket).where(HandoffTicket.conversation_id == "rasa:web:retry-5")
        ).all()
    assert [row.id for (row,) in tickets] == [int(opened.ticket_id)]
