"""A conversation's lock: the next ticket is served once every ticket before it is gone.

Why: Rasa 3.6's `TicketLock.is_locked(ticket)` compares the ticket with `now_serving`, the first
ticket still alive, or 0 when none is. A turn waiting behind a Rasa process that died holds a
ticket issued a moment after the dead one's, with the same lifetime (`TICKET_LOCK_LIFETIME`). The
waiter polls once a second: when it misses the moment between the dead ticket's expiry and its
own, both have expired, `now_serving` is 0, and it waits until someone deletes the lock (80 s
in the fault test, the conversation stuck: README, "Reliability"). Here a ticket is locked only
while a live ticket issued before it exists, which is what the queue means.
"""

from __future__ import annotations

from typing import Any


def is_locked(self: Any, ticket_number: int) -> bool:
    """Replaces `rasa.core.lock.TicketLock.is_locked` (bot/rasa_patches.py)."""
    self.remove_expired_tickets()
    return any(ticket.number < ticket_number for ticket in self.tickets)
