"""Seal a small secret at rest (an officer's TOTP secret) so a database dump cannot read it.

The app has no general encryption library, so this is encrypt-then-MAC from the standard
library only: HMAC-SHA256 as a keyed stream (counter mode over a random 16-byte nonce) and an
HMAC-SHA256 tag over version, nonce, ciphertext and the row it belongs to (`bound_to`), so a
sealed value copied to another account or changed in place does not open. Keys come from a
deployment secret (see api/services/staff_totp.py), never from the database.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

VERSION = b"s1"
NONCE = 16
TAG = 32


class SealError(ValueError):
    """The sealed value is damaged, was made with another key, or belongs to another row."""


def _subkey(key: bytes, purpose: bytes) -> bytes:
    return hmac.new(key, b"shramik-seal/" + purpose, hashlib.sha256).digest()


def _stream(key: bytes, nonce: bytes, length: int) -> bytes:
    out = bytearray()
    counter = 0
    while len(out) < length:
        out += hmac.new(key, nonce + counter.to_bytes(8, "big"), hashlib.sha256).digest()
        counter += 1
    return bytes(out[:length])


def _tag(key: bytes, nonce: bytes, body: bytes, bound_to: str) -> bytes:
    message = VERSION + nonce + bound_to.encode() + b"\x00" + body
    return hmac.new(key, message, hashlib.sha256).digest()


def seal(key: bytes, plain: str, bound_to: str) -> str:
    nonce = secrets.token_bytes(NONCE)
    data = plain.encode()
    stream = _stream(_subkey(key, b"enc"), nonce, len(data))
    body = bytes(a ^ b for a, b in zip(data, stream, strict=True))
    tag = _tag(_subkey(key, b"mac"), nonce, body, bound_to)
    return VERSION.decode() + "$" + base64.urlsafe_b64encode(nonce + body + tag).decode()


def unseal(key: bytes, sealed: str, bound_to: str) -> str:
    version, _, packed = sealed.partition("$")
    try:
        raw = base64.urlsafe_b64decode(packed.encode())
    except ValueError as error:
        raise SealError("not a sealed value") from error
    if version.encode() != VERSION or len(raw) < NONCE + TAG:
        raise SealError("not a sealed value")
    nonce, body, tag = raw[:NONCE], raw[NONCE:-TAG], raw[-TAG:]
    if not hmac.compare_digest(tag, _tag(_subkey(key, b"mac"), nonce, body, bound_to)):
        raise SealError("sealed with another key or for another row")
    stream = _stream(_subkey(key, b"enc"), nonce, len(body))
    return bytes(a ^ b for a, b in zip(body, stream, strict=True)).decode()
