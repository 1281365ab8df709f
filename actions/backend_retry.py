"""Retrying a backend call that is safe to repeat, when the load balancer lost the process
behind it (502/503/504): several API processes run behind HAProxy, and one may die mid-request.

Safe to repeat: reads, PUTs, writes carrying an Idempotency-Key (the backend answers a repeat
with the first answer, api/services/idempotency.py) and endpoints marked idempotent. Never a
plain write whose repeat would count or send twice (a verification attempt, a texted code).
"""

from __future__ import annotations

import asyncio
import logging

import httpx

from actions.backend_types import BackendUnavailable

logger = logging.getLogger(__name__)

RETRY_STATUSES = (502, 503, 504)
RETRY_DELAYS_S = (0.2, 0.5)


def retries_for(method: str, idempotency_key: str | None, idempotent: bool | None) -> int:
    """How many times a call may be sent again."""
    safe = idempotent
    if safe is None:
        safe = method in ("GET", "PUT", "DELETE") or idempotency_key is not None
    return len(RETRY_DELAYS_S) if safe else 0


async def send(client: httpx.AsyncClient, request: httpx.Request, retries: int) -> httpx.Response:
    """The answer (any status below 500); BackendUnavailable when down, slow or still failing."""
    where = f"{request.method} {request.url.path}"
    async with client:
        for attempt in range(retries + 1):
            try:
                answer = await client.send(request)
            except (httpx.TimeoutException, httpx.TransportError) as error:
                logger.warning("backend %s unreachable: %s", where, type(error).__name__)
                raise BackendUnavailable(str(error) or type(error).__name__) from error
            if answer.status_code in RETRY_STATUSES and attempt < retries:
                logger.warning("backend %s: %s, retrying", where, answer.status_code)
                await asyncio.sleep(RETRY_DELAYS_S[attempt])
                continue
            if answer.status_code >= 500:
                logger.warning("backend %s failed with %s", where, answer.status_code)
                raise BackendUnavailable(f"HTTP {answer.status_code}")
            return answer
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises
