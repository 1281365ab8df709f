"""Secrets for `make run` (demo mode): random, made once per checkout, kept in var/ (0600).

Why not constants: a demo secret in the source is a secret everybody knows, and a demo stack is
often reachable by someone. Every process of a demo stack (API, actions, the call simulator)
reads the same file, so they agree without a shared environment.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

FILE_NAME = "demo-secrets.json"
NAMES = (
    "service_token",
    "action_server_token",
    "pii_salt",
    "session_secret",
    "sender_key",
    "staff_demo_password",
    "twilio_auth_token",
    "rasa_token",
    "model_signing_key",
)


def _fresh() -> dict[str, str]:
    return {name: secrets.token_urlsafe(24) for name in NAMES}


def _write_new(path: Path, values: dict[str, str]) -> bool:
    """Create the file readable by its owner only; False if another process made it first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(values, handle)
    return True


def load_or_create(var_dir: Path) -> dict[str, str]:
    """The demo secrets of this checkout, made on first use."""
    path = Path(var_dir) / FILE_NAME
    if not path.exists():
        _write_new(path, _fresh())  # another process may win the race: read what it wrote
    values: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    missing = [n for n in NAMES if not values.get(n)]
    if missing:  # a file from an older version: add the new names, keep the old values
        values.update({n: secrets.token_urlsafe(24) for n in missing})
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(values), encoding="utf-8")
        os.chmod(tmp, 0o600)
        tmp.replace(path)
    return values
