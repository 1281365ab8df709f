"""One-time codes derived, never stored: code = HMAC(server key, nonce) as 6 digits.

Why derived: the session row and the outbox row keep only a random nonce, so a database dump
(or a backup, or a curious DBA) cannot read a usable code; only a process holding the key can
render it, which the outbound sender does at the moment of sending.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

DIGITS = 6


def derive_key(secret: str) -> bytes:
    """The code key, derived from a server secret for this purpose only."""
    return hmac.new(secret.encode(), b"one-time-code key", hashlib.sha256).digest()


def new_nonce() -> str:
    return secrets.token_hex(16)


def otp_code(key: bytes, nonce: str, digits: int = DIGITS) -> str:
    """The code a nonce stands for under `key` (uniform over 10**digits, bias < 2**-200)."""
    mac = hmac.new(key, f"otp:{nonce}".encode(), hashlib.sha256).digest()
    return f"{int.from_bytes(mac, 'big') % 10**digits:0{digits}d}"


def code_matches(key: bytes, nonce: str | None, typed: str) -> bool:
    """Does what the worker typed (any separators) equal the code, compared in constant time?"""
    digits = "".join(ch for ch in typed if ch.isascii() and ch.isdigit())
    if not nonce or len(digits) != DIGITS:
        return False
    return hmac.compare_digest(otp_code(key, nonce), digits)
