"""One request id follows a message across the processes, and no log holds a personal number."""

from __future__ import annotations

import json
import re

import httpx
import pytest

from tests.e2e.conftest import RunningStack
from tests.factory import RINA

pytestmark = pytest.mark.e2e


def _json_lines(path) -> list[dict]:
    lines = []
    for line in path.read_text(errors="replace").splitlines():
        if line.startswith("{"):
            try:
                lines.append(json.loads(line))
            except ValueError:
                continue
    return lines


def test_request_id_follows_a_web_chat_turn(running_stack: RunningStack) -> None:
    web = httpx.Client(base_url=running_stack.api_url, timeout=30)
    web.get("/chat?lang=en")
    for text in ("hello", "1", RINA.uan):
        web.post("/chat/message", json={"text": text})
    trace = "trace-e2e-0001"
    answer = web.post(
        "/chat/message", json={"text": RINA.dob_typed}, headers={"X-Request-ID": trace}
    )
    assert answer.status_code == 200 and answer.headers["x-request-id"] == trace
    assert "CLM-2026-000101" in json.dumps(answer.json())
    logs = running_stack.stack.log_dir
    api_ids = {r.get("request_id") for r in _json_lines(logs / "api.log")}
    action_ids = {r.get("request_id") for r in _json_lines(logs / "actions.log")}
    assert trace in api_ids, "the API logs the turn and the backend call made for it"
    assert trace in action_ids, "the action server logs under the gateway's id"
    assert _json_lines(logs / "rasa.log"), "Rasa logs JSON lines too"


def test_no_log_holds_a_whole_personal_number(running_stack: RunningStack) -> None:
    running_stack.chat("log-check", "my aadhaar is 2345 6789 0123 and phone 9876543210")
    for name in ("api.log", "actions.log", "rasa.log"):
        text = (running_stack.stack.log_dir / name).read_text(errors="replace")
        assert not re.search(r"2345\s?6789\s?0123", text), f"{name} leaks an Aadhaar number"
        assert "9876543210" not in text, f"{name} leaks a phone number"
