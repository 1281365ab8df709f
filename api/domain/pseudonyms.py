"""SMS and WhatsApp conversation ids without the phone number: a keyed hash of it.

Why: Rasa's sender is written into every tracker row, and the backend's conversation id
(`rasa:<sender>`) becomes the actor of audit rows kept for years; a phone number there is
personal data kept far longer than needed. Keyed (HMAC-SHA256 under SENDER_KEY) because India's
mobile numbers are few enough to hash them all: without the key nobody can read a number back.
Deterministic, so the same number keeps its conversation.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

TEXT_CHANNELS = ("sms", "whatsapp")
PSEUDONYM_BYTES = 15  # 120 bits, 24 base32 characters: no clash among billions of numbers


def pseudonym(number: str, key: str) -> str:
    """'+919800000001' -> 24 lowercase base32 characters (a-z, 2-7), the same every time."""
    digest = hmac.new(key.encode(), number.encode(), hashlib.sha256).digest()
    return base64.b32encode(digest[:PSEUDONYM_BYTES]).decode().lower()


def text_sender(channel: str, number: str, key: str) -> str:
    """Rasa's sender for an SMS or WhatsApp conversation: `sms:<pseudonym>`."""
    return f"{channel}:{pseudonym(number, key)}"


def split_conversation(conversation_id: str) -> tuple[str, str]:
    """'rasa:sms:abc' or 'sms:abc' -> ('sms', 'abc'); the channel is '' when there is none."""
    channel, _, rest = conversation_id.removeprefix("rasa:").partition(":")
    return (channel, rest) if rest else ("", "")


def is_legacy_number(rest: str) -> bool:
    """A conversation id from before pseudonyms carried the number itself (`sms:+91...`)."""
    return rest.startswith("+")
