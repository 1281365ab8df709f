"""The load generator against a tiny real HTTP server: bounded, and empty answers are errors."""

import asyncio
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.loadgen import run


class _Rest(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        answer = b"[]" if body["message"] == "silence" else b'[{"text": "ok"}]'
        self.send_response(200)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def server_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Rest)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/webhooks/rest/webhook"
    server.shutdown()


def test_load_is_bounded_in_time_and_counts_empty_replies_as_errors(server_url) -> None:
    spec = {
        "url": server_url,
        "concurrency": 3,
        "duration_s": 1.0,
        "think_time_s": 0.05,
        "request_timeout_s": 2,
        "conversations": [{"name": "c", "turns": [{"text": "hello"}, {"text": "silence"}]}],
    }
    started = time.monotonic()
    result = asyncio.run(run(spec))
    assert time.monotonic() - started < 3
    turns = result["turns"]
    assert len(turns) > 6
    hello = [t for t in turns if t["turn"] == 0]
    silent = [t for t in turns if t["turn"] == 1]
    assert all(t["ok"] for t in hello)
    assert silent and all(t["error"] == "empty_reply" for t in silent)


def test_load_respects_max_turns(server_url) -> None:
    spec = {
        "url": server_url,
        "concurrency": 2,
        "duration_s": 5.0,
        "think_time_s": 0.0,
        "max_turns": 5,
        "conversations": [{"name": "c", "turns": [{"text": "hello"}]}],
    }
    result = asyncio.run(run(spec))
    assert len(result["turns"]) <= 6  # each user checks the cap before sending


def test_refused_connection_is_an_error_not_a_crash() -> None:
    spec = {
        "url": "http://127.0.0.1:9/webhooks/rest/webhook",
        "concurrency": 1,
        "duration_s": 0.3,
        "think_time_s": 0.1,
        "conversations": [{"name": "c", "turns": [{"text": "hello"}]}],
    }
    turns = asyncio.run(run(spec))["turns"]
    assert turns and not any(t["ok"] for t in turns)
