"""Which local services a test may use, and what to do when one is missing.

On a developer's machine a missing PostgreSQL or Redis skips the test with the reason; under
CI=true the same absence fails the test, because CI machines must have them.
"""

from __future__ import annotations

import os
import socket

import pytest

SERVICES = {
    "postgres": ("127.0.0.1", 5432),
    "redis": ("127.0.0.1", 6379),
    "rabbitmq": ("127.0.0.1", 5672),
}

POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def service_up(name: str, timeout: float = 0.5) -> bool:
    host, port = SERVICES[name]
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def require_service(name: str) -> None:
    """Skip (locally) or fail (CI=true) when `name` is not listening."""
    if service_up(name):
        return
    host, port = SERVICES[name]
    reason = f"{name} is not running on {host}:{port}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}; CI machines must provide it")
    pytest.skip(reason)
