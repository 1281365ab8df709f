"""Web chat sessions: a cookie secret (stored hashed) -> a conversation id nobody is shown.

Why: the conversation id is Rasa's sender and the key of hand-over tickets; whoever holds it
holds the conversation. The visitor holds only a random secret, replaced after verification
(`note_verified` marks it; the chat route asks `due_rotation` and sets the new cookie) and
useless after WEBCHAT_IDLE_MINUTES without a message.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.db.models import WebchatSession, utcnow
from api.domain.masking import token_hash
from api.settings import get_settings

SENDER_PREFIX = "web:"
CONVERSATION_PREFIX = "rasa:web:"


@dataclass(frozen=True)
class Opened:
    """The session a request belongs to; `cookie` is set when the visitor needs a new one."""

    conversation_id: str
    cookie: str | None

    @property
    def sender(self) -> str:
        """Rasa's sender id (the backend sees `rasa:<sender>`)."""
        return f"{SENDER_PREFIX}{self.conversation_id}"


def client_key(ip: str | None) -> str:
    """A salted hash of the client's address (the address itself is never stored)."""
    salt = get_settings().pii_salt.encode()
    return hmac.new(salt, f"net:{ip or '-'}".encode(), hashlib.sha256).hexdigest()


def _live(session: Session, secret: str | None) -> WebchatSession | None:
    if not secret or len(secret) > 200:
        return None
    row = session.execute(
        select(WebchatSession).where(WebchatSession.secret_hash == token_hash(secret))
    ).scalar_one_or_none()
    idle = timedelta(minutes=get_settings().webchat_idle_minutes)
    if row is None or row.last_seen_at <= utcnow() - idle:
        return None
    return row


def find(session: Session, secret: str | None) -> Opened | None:
    """The visitor's live session, if the cookie names one (read only: polling keeps nothing)."""
    row = _live(session, secret)
    return Opened(row.conversation_id, None) if row is not None else None


def open_or_create(session: Session, secret: str | None, ip: str | None) -> Opened:
    """The visitor's session, touched; a new one (new conversation, new cookie) otherwise."""
    row = _live(session, secret)
    if row is not None:
        row.last_seen_at = utcnow()
        return Opened(row.conversation_id, None)
    fresh = secrets.token_urlsafe(32)
    row = WebchatSession(
        secret_hash=token_hash(fresh),
        conversation_id=secrets.token_urlsafe(24),
        client_key=client_key(ip),
    )
    session.add(row)
    session.flush()
    return Opened(row.conversation_id, fresh)


def due_rotation(session: Session, conversation_id: str) -> str | None:
    """A new secret when the conversation was verified since the cookie was last issued."""
    row = session.execute(
        select(WebchatSession).where(WebchatSession.conversation_id == conversation_id)
    ).scalar_one_or_none()
    if row is None or row.verified_at is None:
        return None
    if row.rotated_at is not None and row.rotated_at >= row.verified_at:
        return None
    fresh = secrets.token_urlsafe(32)
    row.secret_hash = token_hash(fresh)
    row.rotated_at = utcnow()
    return fresh


def _by_actor(session: Session, actor: str) -> WebchatSession | None:
    if not actor.startswith(CONVERSATION_PREFIX):
        return None
    conversation = actor.removeprefix(CONVERSATION_PREFIX)
    return session.execute(
        select(WebchatSession).where(WebchatSession.conversation_id == conversation)
    ).scalar_one_or_none()


def note_verified(session: Session, actor: str) -> None:
    """The verification service tells a web conversation it was verified (cookie to rotate)."""
    row = _by_actor(session, actor)
    if row is not None:
        row.verified_at = utcnow()


def network_of(session: Session, actor: str) -> str | None:
    """The hashed client network of a web conversation (for per-network lock-outs)."""
    row = _by_actor(session, actor)
    return row.client_key if row is not None else None
