"""BackendClient against the real API in-process, and against a closed port."""

from __future__ import annotations

import asyncio

import pytest

from actions.backend_client import BackendClient, BackendError, BackendUnavailable
from tests.factory import RAMESH, RINA


def test_verify_then_status_returns_typed_results(backend) -> None:
    async def scenario():
        client = BackendClient("bc-1")
        verified = await client.verify(RINA.uan, RINA.dob, "web")
        return verified, await client.status(verified.token)

    verified, status = asyncio.run(scenario())
    assert verified.first_name["en"] == "Rina"
    assert status.worker["bank_account_last4"] == "3307"
    assert [c["reference"] for c in status.claims] == ["CLM-2026-000101"]


def test_refusal_carries_the_backend_code(backend) -> None:
    with pytest.raises(BackendError) as caught:
        asyncio.run(BackendClient("bc-2").verify(RINA.uan, "1990-01-01", "web"))
    assert caught.value.code == "not_verified"  # an unknown UAN answers the same
    assert caught.value.status == 401


def test_same_idempotency_key_writes_once(backend) -> None:
    async def scenario():
        client = BackendClient("bc-3")
        token = (await client.verify(RAMESH.uan, RAMESH.dob, "web")).token
        key = client.idempotency_key("renewal", 1)
        first = await client.renew(token, None, key)
        second = await client.renew(token, None, key)
        return key, first, second

    key, first, second = asyncio.run(scenario())
    assert key == "bc-3:renewal:1"
    assert second.replayed and not first.replayed
    assert second.reference == first.reference


def test_closed_port_is_unavailable_not_a_crash(backend_down) -> None:
    with pytest.raises(BackendUnavailable):
        asyncio.run(BackendClient("bc-4").verify(RINA.uan, RINA.dob, "web"))
