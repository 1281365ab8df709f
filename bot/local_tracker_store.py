"""The embedded (SQLite) tracker store of `make run`: Rasa's SQL store, without its per-turn waste.

Why: Rasa 3.6's `SQLTrackerStore` runs on the event loop. On every turn it opens a new SQLite
connection, reads every event of the conversation, decodes the JSON and replays it into a fresh
tracker, then commits with a full fsync; under load that was ~16% of the Rasa server's CPU and
~40% of its event loop's (`make bench` profile), time during which no other conversation moves.

This store keeps what it reads and writes exactly as Rasa's does (same table, same rows: a
conversation started here is read by the stock store and back), and only adds:
- one kept connection, the database in WAL mode with `synchronous=NORMAL` (a commit no longer
  waits for the disk; an application crash loses nothing, a power cut may lose the last turns);
- the trackers of the conversations in progress kept in memory (least recently used first out),
  so a turn does not rebuild its tracker from the database.

A kept tracker is used only while it is what the database holds: not when a turn changed it
without saving (a failed turn), and not when the database's latest session has another number
of events (a new session began, or someone else wrote: one indexed count per turn). Several Rasa
processes (docker-compose) use Rasa's own SQL store on PostgreSQL: bot/endpoints.compose.yml.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker

DEFAULT_CACHE_SIZE = 256  # a 110-event tracker holds ~0.13 MB (tracemalloc): ~35 MB when full

# The events Rasa's SQL store reads for a conversation: those of its latest session (from the
# last `session_started` on), or all of them when no session was ever started.
_COUNT_LATEST_SESSION = sa.text(
    "SELECT count(*) FROM events WHERE sender_id = :sender_id AND ("
    " timestamp >= (SELECT max(timestamp) FROM events"
    "  WHERE sender_id = :sender_id AND type_name = :session_started)"
    " OR (SELECT max(timestamp) FROM events"
    "  WHERE sender_id = :sender_id AND type_name = :session_started) IS NULL)"
)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class LocalSQLiteTrackerStore(SQLTrackerStore):
    """`tracker_store: {type: local_tracker_store.LocalSQLiteTrackerStore, db: ...}`."""

    def __init__(
        self,
        domain: Domain | None = None,
        db: str = "rasa.db",
        event_broker: EventBroker | None = None,
        cache_size: int = DEFAULT_CACHE_SIZE,
        **kwargs: Any,
    ) -> None:
        kwargs.pop("dialect", None)
        kwargs.pop("host", None)  # Rasa passes the endpoint's `url`; a file needs none
        super().__init__(
            domain=domain, dialect="sqlite", db=db, event_broker=event_broker, **kwargs
        )
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(
            url,
            poolclass=sa.pool.QueuePool,
            pool_size=1,
            max_overflow=4,
            connect_args={"check_same_thread": False},
        )
        sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        self.cache_size = max(0, int(cache_size))
        # sender_id -> (tracker, its number of events when it was saved or read)
        self._kept: OrderedDict[str, tuple[DialogueStateTracker, int]] = OrderedDict()

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The latest session's tracker: the kept one while it is still what the database holds."""
        kept = self._kept.pop(sender_id, None)
        if kept is not None:
            tracker, length = kept
            # unchanged since saved (else a turn failed half-way), and the database's latest
            # session has as many events (else another writer, or a new session began)
            if len(tracker.events) == length == self._stored_count(sender_id):
                self._keep(tracker)
                return tracker
        tracker = await super().retrieve(sender_id)
        if tracker is not None:
            self._keep(tracker)
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's save (new events appended, event broker told), then keep the tracker."""
        self._kept.pop(tracker.sender_id, None)
        await super().save(tracker)
        self._keep(tracker)

    def _keep(self, tracker: DialogueStateTracker) -> None:
        if self.cache_size == 0:
            return
        self._kept[tracker.sender_id] = (tracker, len(tracker.events))
        while len(self._kept) > self.cache_size:
            self._kept.popitem(last=False)  # the least recently used

    def _stored_count(self, sender_id: str) -> int:
        """Events of the latest session in the database: one indexed count, nothing decoded."""
        # a plain connection: an ORM session's set-up alone cost ~4% of the server's CPU
        with self.engine.connect() as connection:
            return self._count(connection, sender_id)

    def _count(self, connection: Any, sender_id: str) -> int:
        # Rasa's `_event_query(...).count()` as one prepared statement: building that ORM query
        # cost ~5% of the server's CPU (twice per turn)
        params = {"sender_id": sender_id, "session_started": SessionStarted.type_name}
        return int(connection.execute(_COUNT_LATEST_SESSION, params).scalar_one())

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[Any]:
        """Rasa's rule (the tracker's events past those stored), with the faster count."""
        stored = self._count(session, tracker.sender_id)
        return itertools.islice(tracker.events, stored, len(tracker.events))
