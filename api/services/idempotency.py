"""Safe retries: the same Idempotency-Key with the same body gets the first answer back.

Callers (action server, voice gateway) retry on timeouts; without this a retried claim would be
filed twice. The key row is written in the same transaction as the business data, so either both
exist or neither does; a concurrent duplicate loses on the unique index and is replayed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.db.models import IdempotencyKey
from api.db.session import session_scope
from api.domain.errors import DomainError

MAX_KEY_LENGTH = 200


def _default(value: Any) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _jsonable(value: dict[str, Any]) -> dict[str, Any]:
    plain: dict[str, Any] = json.loads(json.dumps(value, default=_default))
    return plain


def request_hash(payload: dict[str, Any], scope: str) -> str:
    canonical = json.dumps({"scope": scope, "body": payload}, sort_keys=True, default=_default)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _replay(stored: IdempotencyKey, digest: str) -> dict[str, Any]:
    if stored.request_hash != digest:
        raise DomainError(
            "idempotency_conflict",
            "This Idempotency-Key was already used with a different request.",
            field="Idempotency-Key",
        )
    return {**stored.response, "replayed": True}


def run(
    *,
    key: str | None,
    endpoint: str,
    payload: dict[str, Any],
    scope: Callable[[Session], str],
    work: Callable[[Session], dict[str, Any]],
) -> dict[str, Any]:
    """Run `work` once per (key, endpoint); `scope` (e.g. the worker id) is part of the hash."""
    if key is not None and (not key.strip() or len(key) > MAX_KEY_LENGTH):
        raise DomainError(
            "invalid_input", "Idempotency-Key must be 1-200 characters.", field="Idempotency-Key"
        )
    for attempt in range(2):
        try:
            with session_scope() as s:
                owner = scope(s)
                if not key:
                    return {**_jsonable(work(s)), "replayed": False}
                digest = request_hash(payload, owner)
                stored = s.execute(
                    select(IdempotencyKey).where(
                        IdempotencyKey.key == key, IdempotencyKey.endpoint == endpoint
                    )
                ).scalar_one_or_none()
                if stored is not None:
                    return _replay(stored, digest)
                result = _jsonable(work(s))
                s.add(
                    IdempotencyKey(key=key, endpoint=endpoint, request_hash=digest, response=result)
                )
                s.flush()
                return {**result, "replayed": False}
        except IntegrityError:
            if attempt:  # pragma: no cover - would need a third concurrent writer
                raise
    raise RuntimeError("unreachable")
