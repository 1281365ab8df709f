"""Per-client rate limits on the public edges (web chat, Twilio webhooks), with `limits`.

Why a library: a moving window shared by every API process needs atomic counters in Redis;
`limits` does that (and an in-memory store for the one-process `make run`). One limiter per app
(`app.state.limiter`), so nothing is global and each test app starts with empty counters.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from limits import RateLimitItem, parse, storage, strategies

from api.settings import get_settings

log = logging.getLogger(__name__)
# After a client is over its limit it is told so once per window, then answered in silence.
NOTICE = parse("1/minute")


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after_s: int
    notify: bool  # the first refusal in a window: say so politely (later ones: silence)


class RateLimiter:
    def __init__(self, store: storage.Storage) -> None:
        self.store = store
        self.strategy = strategies.MovingWindowRateLimiter(store)

    @classmethod
    def from_settings(cls) -> RateLimiter:
        """Redis when REDIS_URL is set (several processes share counts), else memory."""
        url = get_settings().redis_url
        if not url:
            return cls(storage.MemoryStorage())
        store = storage.storage_from_string(url)
        if not isinstance(store, storage.Storage):  # an async store: not for these sync calls
            raise ValueError("REDIS_URL must name a synchronous store (redis://...)")
        return cls(store)

    def check(self, limit: str, scope: str, client: str) -> Verdict:
        item: RateLimitItem = parse(limit)
        try:
            if self.strategy.hit(item, scope, client):
                return Verdict(True, 0, False)
            reset = self.strategy.get_window_stats(item, scope, client).reset_time
            notify = self.strategy.hit(NOTICE, f"{scope}-notice", client)
        except Exception:  # the limiter's store down must not take the helpline down
            log.warning("rate limiter unavailable; letting the request through", exc_info=True)
            return Verdict(True, 0, False)
        return Verdict(False, max(1, int(reset - time.time()) + 1), notify)
