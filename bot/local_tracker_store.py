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
processes (docker-compose) use `ScrubbingSQLTrackerStore` (Rasa's SQL store on PostgreSQL with
the scrubbing below): bot/endpoints.compose.yml.

Personal data at rest (DPDP Act 2023): both stores write events scrubbed, so a dump of the
tracker database shows no UAN, date of birth, token, name or account number. Personal slots
(uan, date_of_birth, verification_token, worker_name, ...) are sealed with Fernet under
TRACKER_KEY (else a key derived from ACTION_SERVER_TOKEN), so a conversation read back from the
database (another replica, a restart) still works; without a key they are dropped. Whatever the
worker said or was told during an identity step is replaced by "[identity check]" (the
assistant's words are kept beside it, sealed, for a resent message: bot/turns.py); every other
text has long numbers masked (also said in words) and personal slot values replaced; the
caller's number in a message's metadata (`caller_phone`) is dropped. The
tracker kept in memory for the live conversation is not changed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import logging
import os
import re
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker

try:  # the backend's masking (pure Python, no dependency): numbers in any script or in words
    from api.domain.masking import mask_numbers
except ImportError:  # an image without api/domain: mask plain digit runs at least

    def mask_numbers(text: str) -> str:
        return re.sub(
            r"\d[\d \-.]{7,}\d", lambda m: "X" * (len(m.group()) - 4) + m.group()[-4:], text
        )


logger = logging.getLogger(__name__)

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


# Slots whose values are personal: sealed (or dropped) in the database.
PERSONAL_SLOTS = frozenset(
    {
        "uan",
        "date_of_birth",
        "verification_token",
        "worker_name",
        "nominee_name",
        "incident_description",
        "feedback_text",
        "bank_last4",
        "otp_code",
        "lost_uan_phone",
        "lost_uan_dob",
        "lost_uan_own",
        "correction_value",
        *("family_phone", "family_nominee", "family_token"),
    }
)
# While one of these is asked, what either side says is an identity secret.
IDENTITY_STEPS = frozenset(
    {
        *("uan", "date_of_birth", "otp_code", "bank_last4", "lost_uan_phone", "lost_uan_dob"),
        "correction_value",  # a bank account or phone number, a date of birth
        *("family_phone", "family_nominee"),  # the caller's number, the nominee's name
    }
)
PERSONAL_ENTITIES = frozenset({"uan", "date", "digits", "person_name"})
# Message metadata the gateway adds that is personal: the number a call or text comes from
# (needed by the turn that reads it, never afterwards; the conversation id holds a pseudonym)
PERSONAL_METADATA = frozenset({"caller_phone"})
IDENTITY_TEXT = "[identity check]"
SEALED = "__sealed__"
# An identity step's reply, sealed beside its "[identity check]" text (a resent message needs it)
SEALED_WORDS = "sealed_words"


def tracker_cipher() -> Fernet | None:
    """Fernet under TRACKER_KEY, else a key derived from ACTION_SERVER_TOKEN; None: drop values."""
    secret = os.environ.get("TRACKER_KEY") or os.environ.get("ACTION_SERVER_TOKEN") or ""
    if not secret:
        return None
    key = hmac.new(secret.encode(), b"tracker personal slots", hashlib.sha256).digest()
    return Fernet(base64.urlsafe_b64encode(key))


@dataclass
class _Step:
    """Where the conversation was when an event happened (what was being asked)."""

    requested: str | None = None

    def follow(self, data: dict[str, Any]) -> None:
        kind = data.get("event")
        if kind == "slot" and data.get("name") == "requested_slot":
            self.requested = data.get("value")
        elif kind in ("session_started", "restart") or (
            kind == "active_loop" and not data.get("name")
        ):
            self.requested = None


def _replace_known(text: str, known: list[str]) -> str:
    for value in known:
        text = re.sub(re.escape(value), "[…]", text, flags=re.I)
    return mask_numbers(text)


def _deep(value: Any, known: list[str]) -> Any:
    if isinstance(value, str):
        return _replace_known(value, known)
    if isinstance(value, list):
        return [_deep(v, known) for v in value]
    if isinstance(value, dict):
        return {k: _deep(v, known) for k, v in value.items()}
    return value


def scrub(
    data: dict[str, Any], step: _Step, known: list[str], cipher: Fernet | None
) -> dict[str, Any]:
    """The event as it may be stored: personal slots sealed, identity steps hidden, numbers
    masked, known personal values replaced. `step` is where the conversation was before it."""
    data = json.loads(json.dumps(data))
    kind = data.get("event")
    for holder in (data, data.get("parse_data")):
        if isinstance(holder, dict) and isinstance(holder.get("metadata"), dict):
            meta = holder["metadata"]
            holder["metadata"] = {k: v for k, v in meta.items() if k not in PERSONAL_METADATA}
    secret_step = step.requested in IDENTITY_STEPS
    if kind == "bot" and secret_step and cipher is not None:
        # what the assistant said stays sealed, not lost: a resent message gets it again
        said = {"text": data.get("text"), "data": data.get("data")}
        data[SEALED_WORDS] = cipher.encrypt(json.dumps(said).encode()).decode()
    if kind == "slot":
        if data.get("name") in PERSONAL_SLOTS and data.get("value") is not None:
            sealed = cipher.encrypt(json.dumps(data["value"]).encode()).decode() if cipher else None
            data["value"] = {SEALED: sealed} if sealed else None
        elif data.get("name") != "requested_slot":
            data["value"] = _deep(data.get("value"), known)
    elif kind in ("user", "bot"):
        text = data.get("text")
        if isinstance(text, str):
            data["text"] = IDENTITY_TEXT if secret_step else _replace_known(text, known)
        parse = data.get("parse_data")
        if isinstance(parse, dict):
            if isinstance(parse.get("text"), str):
                parse["text"] = data["text"]
            for entity in parse.get("entities") or []:
                if secret_step or entity.get("entity") in PERSONAL_ENTITIES:
                    entity["value"] = "[…]"
                    entity.pop("text", None)
        if kind == "bot":
            data["data"] = _deep(data.get("data"), known)
    return data


def unseal(data: dict[str, Any], cipher: Fernet | None) -> dict[str, Any]:
    """A stored event as Rasa needs it: sealed values opened (None if they cannot be)."""
    if data.get("event") == "bot" and SEALED_WORDS in data:
        sealed = str(data[SEALED_WORDS])
        data = {k: v for k, v in data.items() if k != SEALED_WORDS}
        try:
            if cipher is not None:
                data.update(json.loads(cipher.decrypt(sealed.encode())))
        except (InvalidToken, ValueError):
            logger.warning("sealed words could not be opened (key changed?)")
    value = data.get("value")
    if data.get("event") == "slot" and isinstance(value, dict) and SEALED in value:
        opened = None
        if cipher is not None and value[SEALED]:
            try:
                opened = json.loads(cipher.decrypt(value[SEALED].encode()))
            except (InvalidToken, ValueError):
                logger.warning("a sealed slot could not be opened (key changed?)")
        data = {**data, "value": opened}
    return data


def _known_values(tracker: DialogueStateTracker) -> list[str]:
    """Plain personal values of the live conversation, longest first (replaced in texts)."""
    found = set()
    for name in PERSONAL_SLOTS:
        value = tracker.slots[name].value if name in tracker.slots else None
        if isinstance(value, str) and len(value.strip()) >= 3:
            found.add(value.strip())
    return sorted(found, key=len, reverse=True)


def _sql_store(mixin: object) -> Any:
    """The SQLTrackerStore a ScrubbingMixin is mixed into, as Any: Rasa 3.6 ships no types, so
    its methods (session_scope, _event_query ...) are unknown to a type checker."""
    return mixin


class ScrubbingMixin:
    """Rasa's SQL store's save and read, with events scrubbed on the way in and opened out."""

    async def save(self, tracker: DialogueStateTracker) -> None:
        store = _sql_store(self)
        await store.stream_events(tracker)
        cipher = tracker_cipher()
        known = _known_values(tracker)
        with store.session_scope() as session:
            new = len(list(store._additional_events(session, tracker)))
            first_new = len(tracker.events) - new
            step = _Step()
            for index, event in enumerate(tracker.events):
                raw = event.as_dict()
                if index >= first_new:
                    data = scrub(raw, step, known, cipher)
                    intent = data.get("parse_data", {}).get("intent", {}).get("name")
                    session.add(
                        store.SQLEvent(
                            sender_id=tracker.sender_id,
                            type_name=event.type_name,
                            timestamp=data.get("timestamp"),
                            intent_name=intent,
                            action_name=data.get("name"),
                            data=json.dumps(data),
                        )
                    )
                step.follow(raw)
            session.commit()

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        cipher = tracker_cipher()
        store = _sql_store(self)
        with store.session_scope() as session:
            rows = store._event_query(
                session, sender_id, fetch_events_from_all_sessions=fetch_events_from_all_sessions
            ).all()
            events = [unseal(json.loads(row.data), cipher) for row in rows]
        domain = store.domain
        if domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, domain.slots)
        return None


class ScrubbingSQLTrackerStore(ScrubbingMixin, SQLTrackerStore):
    """Rasa's SQL store (PostgreSQL, several replicas) writing scrubbed events:
    `tracker_store: {type: local_tracker_store.ScrubbingSQLTrackerStore, dialect: postgresql, ...}`.

    Its engine tests a pooled connection before using it (`pool_pre_ping`): Rasa 3.6 builds a
    plain engine (with `login_db`, even without its pool settings), so after a database restart
    each pooled connection failed one turn with "server closed the connection unexpectedly"
    before the pool noticed (tests/bot/test_tracker_reconnect.py).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from rasa.core.tracker_store import create_engine_kwargs

        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class LocalSQLiteTrackerStore(ScrubbingMixin, SQLTrackerStore):
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
        """Rasa's save, scrubbed (new events appended, event broker told), then keep the
        tracker as it is: the live conversation keeps its values."""
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
