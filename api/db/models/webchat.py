"""Web chat sessions: the cookie's secret (hashed) mapped to a conversation nobody sees.

Why apart: the conversation id is Rasa's sender and the hand-over ticket's key; a cookie equal to
it let anyone who saw it (an officer, a shoulder-surfer, a log) take over a verified
conversation. The cookie is now a random secret stored only as a hash, replaced after a
verification and dead after an idle time.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from api.db.models.base import Base, UTCDateTime, utcnow


class WebchatSession(Base):
    __tablename__ = "webchat_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    conversation_id: Mapped[str] = mapped_column(String(64), unique=True)
    client_key: Mapped[str] = mapped_column(String(64), default="")  # HMAC of the client IP
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rotated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
