"""Seal a small secret at rest (an officer's TOTP secret) so a database dump cannot read it.

AES-256-GCM from `cryptography` (the maintained library the bot's tracker store already uses
for Fernet), with the row the value belongs to (`bound_to`) as associated data: a sealed value
copied to another account, changed in place or opened with another key does not open. Keys come
from a deployment secret (api/services/staff_totp.py), never from the database.
"""

from __future__ import annotations

import base64
import hashlib
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

VERSION = "g1"
NONCE = 12


class SealError(ValueError):
    """The sealed value is damaged, was made with another key, or belongs to another row."""


def _cipher(key: bytes) -> AESGCM:
    return AESGCM(hashlib.sha256(b"shramik-seal/" + key).digest())


def seal(key: bytes, plain: str, bound_to: str) -> str:
    nonce = secrets.token_bytes(NONCE)
    body = _cipher(key).encrypt(nonce, plain.encode(), bound_to.encode())
    return VERSION + "$" + base64.urlsafe_b64encode(nonce + body).decode()


def unseal(key: bytes, sealed: str, bound_to: str) -> str:
    version, _, packed = sealed.partition("$")
    try:
        raw = base64.urlsafe_b64decode(packed.encode())
    except ValueError as error:
        raise SealError("not a sealed value") from error
    if version != VERSION or len(raw) <= NONCE:
        raise SealError("not a sealed value")
    try:
        plain = _cipher(key).decrypt(raw[:NONCE], raw[NONCE:], bound_to.encode())
    except InvalidTag as error:
        raise SealError("sealed with another key or for another row") from error
    return plain.decode()
