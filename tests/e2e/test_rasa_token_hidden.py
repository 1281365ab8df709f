"""Rasa's API token is in no command line another user of the machine can read with `ps`, and
Rasa's HTTP API still refuses a request without it (bot/launch.py hands it over in-process)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import RunningStack

pytestmark = pytest.mark.e2e


def _command_lines() -> list[str]:
    lines = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                lines.append((proc / "cmdline").read_bytes().replace(b"\0", b" ").decode())
            except OSError:
                continue  # the process ended meanwhile
    return lines


def test_no_process_shows_the_rasa_token_and_the_api_still_needs_it(
    running_stack: RunningStack,
) -> None:
    token = running_stack.stack.child_env["RASA_TOKEN"]
    rasa = running_stack.stack.service("rasa")
    assert rasa.alive()
    launcher = (Path("/proc") / str(rasa.process.pid) / "cmdline").read_bytes()  # type: ignore[union-attr]
    assert b"launch.py" in launcher and b"--enable-api" in launcher
    assert not [line for line in _command_lines() if token in line]

    tracker = f"{running_stack.rasa_url}/conversations/web:token-check/tracker"
    assert httpx.get(tracker, timeout=30).status_code == 401
    assert httpx.get(tracker, params={"token": token}, timeout=30).status_code == 200
