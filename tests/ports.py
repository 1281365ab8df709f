"""Loopback ports for tests that start servers: a free one, and waiting for one to listen."""

from __future__ import annotations

import contextlib
import socket
import time


def free_port() -> int:
    """A port no one listens on now (the kernel's pick; taken again only by chance)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_listening(port: int, timeout_s: float = 10.0) -> None:
    """Until something accepts connections on the port; AssertionError after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise AssertionError(f"nothing listened on {port} within {timeout_s} s")
