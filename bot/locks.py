"""A conversation's lock: the next ticket is served once every ticket before it is gone, and a
ticket lives only as long as the process holding it (a lease, renewed while the turn runs).

Why: Rasa 3.6's `TicketLock.is_locked(ticket)` compares the ticket with `now_serving`, the first
ticket still alive, or 0 when none is. A turn waiting behind a Rasa process that died holds a
ticket issued a moment after the dead one's, with the same lifetime (`TICKET_LOCK_LIFETIME`). The
waiter polls once a second: when it misses the moment between the dead ticket's expiry and its
own, both have expired, `now_serving` is 0, and it waits until someone deletes the lock (80 s
in the fault test, the conversation stuck: README, "Reliability"). Here a ticket is locked only
while a live ticket issued before it exists, which is what the queue means.

And a ticket's lifetime had to outlast the longest turn, so a killed server's ticket held its
conversation that long (10 s in the cluster, Rasa's default 60 s). Each ticket is now renewed
every quarter of its lifetime while its turn waits or runs (`lock`): a dead process's ticket
lapses within one lifetime (`LEASE_S`, 4 s), a slow turn never loses its lock.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from collections.abc import AsyncIterator
from typing import Any

logger = logging.getLogger(__name__)
LEASE_S = 4.0  # a ticket's lifetime without TICKET_LOCK_LIFETIME; renewed every quarter of it


def is_locked(self: Any, ticket_number: int) -> bool:
    """Replaces `rasa.core.lock.TicketLock.is_locked` (bot/rasa_patches.py)."""
    self.remove_expired_tickets()
    return any(ticket.number < ticket_number for ticket in self.tickets)


def lease_s() -> float:
    """A ticket's lifetime: TICKET_LOCK_LIFETIME when set (seconds), else `LEASE_S`."""
    return float(os.environ.get("TICKET_LOCK_LIFETIME") or LEASE_S)


def renew(store: Any, conversation_id: str, ticket_number: int, lifetime: float) -> None:
    """Push the ticket's expiry `lifetime` ahead. A ticket missing (another process wrote the
    lock from an older copy, or a stalled loop let it lapse) is put back in its place: its
    turn is still waiting or running."""
    from rasa.core.lock import Ticket

    lock = store.get_lock(conversation_id) or store.create_lock(conversation_id)
    mine = next((t for t in lock.tickets if t.number == ticket_number), None)
    if mine is None:
        mine = Ticket(ticket_number, 0.0)
        lock.tickets.append(mine)
        lock.tickets = type(lock.tickets)(sorted(lock.tickets, key=lambda t: t.number))
    mine.expires = time.time() + lifetime
    store.save_lock(lock)


async def _keep(store: Any, conversation_id: str, ticket_number: int, lifetime: float) -> None:
    while True:
        await asyncio.sleep(lifetime / 4)
        try:
            renew(store, conversation_id, ticket_number, lifetime)
        except Exception as error:  # the store is down: the turn itself fails on it, not here
            logger.warning("lock of %s not renewed: %s", conversation_id, type(error).__name__)


@contextlib.asynccontextmanager
async def lock(
    self: Any,
    conversation_id: str,
    lock_lifetime: float | None = None,
    wait_time_in_seconds: float = 1,
) -> AsyncIterator[Any]:
    """Replaces `rasa.core.lock_store.LockStore.lock`: Rasa's, with the ticket renewed from
    its issue until its turn is done (a lease)."""
    lifetime = lock_lifetime or lease_s()
    ticket = self.issue_ticket(conversation_id, lifetime)
    keeper = asyncio.create_task(_keep(self, conversation_id, ticket, lifetime))
    try:
        yield await self._acquire_lock(conversation_id, ticket, wait_time_in_seconds)
    finally:
        keeper.cancel()
        self.cleanup(conversation_id, ticket)
