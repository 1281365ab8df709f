"""The real action server process: token required everywhere but /health, and /nlg serves texts."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from rasa_sdk_plugins.hooks import token_matches
from tests.actions.conftest import closed_port

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "test-action-token"


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("actions-var")


@pytest.fixture(scope="module")
def server(var_dir: Path) -> Iterator[str]:
    port = closed_port()
    env = {**os.environ, "ACTION_SERVER_TOKEN": TOKEN, "DEMO_MODE": "true", "VAR_DIR": str(var_dir)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120  # a fresh install first trains the language detector
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            pytest.fail(f"action server did not start: {proc.stderr.read().decode()[-2000:]}")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_health_is_open_everything_else_needs_the_token(server) -> None:
    assert httpx.get(f"{server}/health").status_code == 200
    assert httpx.get(f"{server}/actions").status_code == 401
    wrong = {"Authorization": "Bearer nope"}
    assert httpx.post(f"{server}/webhook", json={}, headers=wrong).status_code == 401
    good = {"Authorization": f"Bearer {TOKEN}"}
    names = {a["name"] for a in httpx.get(f"{server}/actions", headers=good).json()}
    assert {"action_route", "validate_claim_form", "action_validate_slot_mappings"} <= names


def test_the_language_detector_is_ready_before_the_first_turn(server, var_dir: Path) -> None:
    """A fresh install's first Latin-script message once waited for the detector's training,
    longer than Rasa waits for an action, and got no answer: it is built before the server
    answers at all."""
    assert list((var_dir / "language_detector").glob("latin-*.pkl"))


def test_the_server_finds_exactly_the_custom_actions_of_the_domain(server, domain) -> None:
    """rasa-sdk registers the Action classes of every module it imports from `actions` and its
    sub-packages: one missed (or one abstract base registered) would only show mid-conversation."""
    custom = {a for a in domain["actions"] if not a.startswith("utter_")}
    good = {"Authorization": f"Bearer {TOKEN}"}
    names = {a["name"] for a in httpx.get(f"{server}/actions", headers=good).json()}
    assert names == custom


def test_nlg_route_renders_from_the_catalogs(server) -> None:
    body = {
        "response": "utter_ask_claim_form_claim_type",
        "arguments": {},
        "tracker": {"slots": {"language": "hi"}},
        "channel": {"name": "rest"},
    }
    headers = {"Authorization": f"Bearer {TOKEN}"}
    answer = httpx.post(f"{server}/nlg", json=body, headers=headers).json()
    assert answer["text"].startswith("दावा किस लिए है?")
    assert httpx.post(f"{server}/nlg", json=body).status_code == 401


def test_token_check() -> None:
    assert token_matches("Bearer abc", "abc")
    assert token_matches("bearer abc", "abc")
    assert not token_matches("Bearer abcd", "abc")
    assert not token_matches("Basic abc", "abc")
    assert not token_matches(None, "abc")
    assert not token_matches("Bearer ", "")
