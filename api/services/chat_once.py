"""Each web chat message is answered once: a retry of the same client message id gets the stored
reply back instead of reaching the assistant a second time.

Why: the page resends a message whose answer it did not get (a dropped connection, a load
balancer that lost the API process mid-request). Without this the assistant would take the
message twice: a "yes" confirming a claim could answer the next question too.

The first request claims the id for a short lease (Redis `SET NX` with expiry when REDIS_URL is
set, else a row in `idempotency_keys`) and renews it while it asks the assistant, then stores
the reply. A retry meanwhile waits for that reply. A claim no longer renewed (its process died)
is taken over within a lease; the caller then checks the conversation store before asking the
assistant again (api/services/trackers.py), and the assistant itself answers a message it has
already taken with that turn's replies instead of taking it twice (bot/turns.py).
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from api.db.models import IdempotencyKey
from api.db.session import session_scope
from api.services import trackers
from api.settings import get_settings

log = logging.getLogger(__name__)
ENDPOINT = "webchat"
REPLY_TTL_S = 24 * 3600  # Redis; the database's rows go with the retention of idempotency keys
PENDING = "pending"
DONE = "done"
RENEW_NOT = (DONE, f"{PENDING}:0")  # saved, or released for the next try


@dataclass(frozen=True)
class Claim:
    """`mine`: ask the assistant (`taken_over`: a dead process had it); `done`: `reply` is the
    answer already given; `busy`: another request is answering it now."""

    state: Literal["mine", "done", "busy"]
    reply: dict[str, Any] | None = None
    taken_over: bool = False


class StoreDown(RuntimeError):
    """The reply store (Redis) cannot be reached: the message is answered 503, and resent."""


class ReplyStore(Protocol):
    def claim(self, key: str, lease_s: float) -> Claim: ...
    def renew(self, key: str, lease_s: float) -> None: ...
    def save(self, key: str, reply: dict[str, Any]) -> None: ...
    def release(self, key: str) -> None: ...


_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end"
_RENEW = (
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2])"
    " end"
)


class RedisReplies:
    """Several API processes: one Redis key per message, expiring. Redis down or hung: the
    calls give up within seconds (StoreDown) instead of holding the event loop."""

    def __init__(self, url: str) -> None:
        import redis

        self.client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2)
        self._errors = (redis.RedisError, OSError)

    @staticmethod
    def _key(key: str) -> str:
        return f"shramik:chat-once:{key}"

    def claim(self, key: str, lease_s: float) -> Claim:
        try:
            return self._claim(key, lease_s)
        except self._errors as error:
            raise StoreDown(type(error).__name__) from error

    def _claim(self, key: str, lease_s: float) -> Claim:
        name = self._key(key)
        for _ in range(2):  # the key may expire between SET NX and GET
            if self.client.set(name, PENDING, nx=True, px=max(1, math.ceil(lease_s * 1000))):
                first = self.client.set(f"{name}:seen", 1, nx=True, ex=REPLY_TTL_S)
                return Claim("mine", taken_over=not first)
            value = self.client.get(name)
            if value is None:
                continue
            if value == PENDING.encode():
                return Claim("busy")
            return Claim("done", json.loads(value))
        return Claim("busy")

    def renew(self, key: str, lease_s: float) -> None:
        millis = max(1, math.ceil(lease_s * 1000))
        try:
            self.client.eval(_RENEW, 1, self._key(key), PENDING, millis)
        except self._errors as error:
            raise StoreDown(type(error).__name__) from error

    def save(self, key: str, reply: dict[str, Any]) -> None:
        try:
            self.client.set(self._key(key), json.dumps(reply), ex=REPLY_TTL_S)
        except self._errors as error:
            raise StoreDown(type(error).__name__) from error

    def release(self, key: str) -> None:
        try:
            self.client.eval(_RELEASE, 1, self._key(key), PENDING)
        except self._errors as error:
            raise StoreDown(type(error).__name__) from error


class DatabaseReplies:
    """No Redis: a row per message in `idempotency_keys`; `request_hash` says pending (with the
    lease's end) or done, and a takeover is a conditional UPDATE (one retry wins)."""

    def claim(self, key: str, lease_s: float) -> Claim:
        until = f"{PENDING}:{math.ceil(time.time() + lease_s)}"
        try:
            with session_scope() as s:
                s.add(IdempotencyKey(key=key, endpoint=ENDPOINT, request_hash=until, response={}))
            return Claim("mine")
        except IntegrityError:
            pass
        with session_scope() as s:
            row = s.execute(
                select(IdempotencyKey).where(
                    IdempotencyKey.key == key, IdempotencyKey.endpoint == ENDPOINT
                )
            ).scalar_one_or_none()
            if row is None:  # purged meanwhile: a new claim next time
                return Claim("busy")
            if row.request_hash == DONE:
                return Claim("done", dict(row.response))
            if int(row.request_hash.split(":", 1)[1]) > time.time():
                return Claim("busy")
            won = s.execute(
                update(IdempotencyKey)
                .where(IdempotencyKey.id == row.id, IdempotencyKey.request_hash == row.request_hash)
                .values(request_hash=until)
            )
            taken = (won.rowcount or 0) == 1  # type: ignore[attr-defined]  # an UPDATE
            return Claim("mine", taken_over=True) if taken else Claim("busy")

    def _where(self, key: str) -> Any:
        return (IdempotencyKey.key == key) & (IdempotencyKey.endpoint == ENDPOINT)

    def renew(self, key: str, lease_s: float) -> None:
        with session_scope() as s:
            s.execute(
                update(IdempotencyKey)
                # not once saved or released (a renewal may arrive late, from its thread)
                .where(self._where(key), IdempotencyKey.request_hash.not_in(RENEW_NOT))
                .values(request_hash=f"{PENDING}:{math.ceil(time.time() + lease_s)}")
            )

    def save(self, key: str, reply: dict[str, Any]) -> None:
        with session_scope() as s:
            s.execute(
                update(IdempotencyKey)
                .where(self._where(key))
                .values(request_hash=DONE, response=reply)
            )

    def release(self, key: str) -> None:
        """Let the next try take over at once (it checks the conversation store first)."""
        with session_scope() as s:
            s.execute(
                update(IdempotencyKey)
                .where(self._where(key), IdempotencyKey.request_hash != DONE)
                .values(request_hash=RENEW_NOT[1])
            )


def store() -> ReplyStore:
    url = get_settings().redis_url
    return RedisReplies(url) if url else DatabaseReplies()


LEASE_S = 6.0  # a claim not renewed for this long is a dead process's: taken over
RENEW_S = LEASE_S / 3


def lease_s() -> float:
    """How long a claim lasts unless renewed: a retry after its process died waits this long."""
    return LEASE_S


async def _renewing(replies: ReplyStore, key: str, lease: float) -> None:
    """Keep the claim while this process asks the assistant (cancelled when it has answered)."""
    while True:
        await asyncio.sleep(RENEW_S)
        try:
            await asyncio.to_thread(replies.renew, key, lease)
        except StoreDown:
            log.warning("web chat: reply store unreachable; the claim may lapse")


def _quietly(action: Callable[[], None]) -> None:
    """Save or release a claim; with the store down the page still gets its answer (a resend
    then reaches the assistant, which answers a message it already took with its replies)."""
    try:
        action()
    except StoreDown:
        log.warning("web chat: reply store unreachable; the reply is not kept")


# the reply for the page, and whether it is the assistant's (None: it may still be answering)
Answer = tuple[dict[str, Any], bool | None]
POLL_S = 0.3


async def answer_once(
    key: str,
    sender: str,
    message_id: str,
    ask: Callable[[], Awaitable[Answer]],
    shown: Callable[[list[dict[str, Any]]], dict[str, Any]],
) -> dict[str, Any] | None:
    """The reply to message `key`: stored, or asked once (`ask`); None if another request still
    holds it after its lease, or the reply store is down. Only the assistant's own answers are
    stored: after a failure a retry asks again, after a timeout it waits for the lease. `shown`
    renders replies read back from the conversation store."""
    replies, lease = store(), lease_s()
    # the longest a live process holds a claim: its wait for the assistant, then one lease
    deadline = time.monotonic() + get_settings().rasa_timeout_s + lease + 2 * POLL_S
    # the store and the conversation store block: in a thread, never on the event loop
    try:
        claim = await asyncio.to_thread(replies.claim, key, lease)
        while claim.state == "busy":
            if time.monotonic() > deadline:
                return None
            await asyncio.sleep(POLL_S)
            claim = await asyncio.to_thread(replies.claim, key, lease)
    except StoreDown:
        log.warning("web chat: reply store unreachable; the message is not taken now")
        return None
    if claim.state == "done":
        return claim.reply
    if claim.taken_over:  # the process that had it died: did the assistant take it already?
        found = await asyncio.to_thread(trackers.replies_to, sender, message_id)
        if found is not None:
            reply = shown(found)
            await asyncio.to_thread(_quietly, lambda: replies.save(key, reply))
            return reply
    renewing = asyncio.create_task(_renewing(replies, key, lease))
    try:
        reply, answered = await ask()
    except BaseException:
        _quietly(lambda: replies.release(key))
        raise
    finally:
        renewing.cancel()
    if answered:
        await asyncio.to_thread(_quietly, lambda: replies.save(key, reply))
    elif answered is False:
        await asyncio.to_thread(_quietly, lambda: replies.release(key))
    # None (the assistant did not answer in time): the claim lapses within a lease, then a
    # retry checks the conversation store, and the assistant answers a message taken already
    return reply
