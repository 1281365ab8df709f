"""Loopback HTTP servers standing in for what we do not run in tests: Rasa (scripted replies,
optionally slow; only in the gateway's unit tests) and Twilio's REST API (records exactly what
twilio's client sends, so outbound messages are checked at the HTTP boundary)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import pytest


class _Server(ThreadingHTTPServer):
    daemon_threads = True


@dataclass
class RasaStandIn:
    """Answers /webhooks/rest/webhook from `reply(payload)`; `delay_s` makes it slow."""

    reply: Callable[[dict[str, Any]], list[dict[str, Any]]] = lambda p: [{"text": "ok"}]
    delay_s: float = 0.0
    status: int = 200
    received: list[dict[str, Any]] = field(default_factory=list)

    def start(self) -> str:
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                payload = json.loads(self.rfile.read(length) or b"{}")
                stand_in.received.append(payload)
                if stand_in.delay_s:
                    time.sleep(stand_in.delay_s)
                body = json.dumps(stand_in.reply(payload)).encode()
                try:
                    self.send_response(stand_in.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass

        self.server = _Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@dataclass
class TwilioStandIn:
    """Twilio's REST API on loopback: records requests; the first `fail_first` answer 500.

    What it accepted (201) it keeps, and lists back as Twilio does (GET Messages.json or
    Calls.json, filtered by To and From, newest first); `lists` records those reads and
    `list_fails` makes the first ones answer 503 (Twilio unreachable for recovery).

    `outage` plays a Twilio in trouble, for every request (sends and lists) while it is set:
    "error" answers `fail_status`; "hang" holds the request `hang_s` unanswered (past the
    client's timeout) without taking it; "take-then-hang" takes a message (it is sent, and
    listed) and then holds the answer as long: the client times out not knowing."""

    fail_first: int = 0
    fail_status: int = 500
    requests: list[dict[str, Any]] = field(default_factory=list)
    times: list[float] = field(default_factory=list)
    accepted: list[dict[str, Any]] = field(default_factory=list)
    lists: list[dict[str, str]] = field(default_factory=list)
    list_fails: int = 0
    outage: str = ""  # "", "error", "hang", "take-then-hang"
    hang_s: float = 1.0
    unanswered: int = 0  # requests that got a fault (error or hang) instead of an answer

    def start(self) -> str:
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                stand_in.requests.append({"path": self.path, "form": form})
                n = len(stand_in.requests)
                outage = stand_in.outage
                if outage == "take-then-hang":
                    prefix = "CA" if self.path.endswith("/Calls.json") else "SM"
                    stand_in.accept(self.path, form, f"{prefix}{n:032d}")
                if self._outage(outage):
                    return
                if n <= stand_in.fail_first:
                    status, body = stand_in.fail_status, {"code": 20500, "message": "try later"}
                else:
                    prefix = "CA" if self.path.endswith("/Calls.json") else "SM"
                    status, body = 201, {"sid": f"{prefix}{n:032d}", "status": "queued"}
                    stand_in.accept(self.path, form, str(body["sid"]))
                self._answer(status, body)

            def do_GET(self) -> None:
                path, _, query = self.path.partition("?")
                asked = {k: v[0] for k, v in parse_qs(query).items()}
                stand_in.lists.append({"path": path, **asked})
                if self._outage(stand_in.outage):
                    return
                if len(stand_in.lists) <= stand_in.list_fails:
                    self._answer(503, {"code": 20503, "message": "unavailable"})
                    return
                key = "calls" if path.endswith("/Calls.json") else "messages"
                found = [
                    record
                    for record in reversed(stand_in.accepted)
                    if record["kind"] == key
                    and record["to"] == asked.get("To", record["to"])
                    and record["from"] == asked.get("From", record["from"])
                ]
                self._answer(200, {key: found, "next_page_uri": None, "page": 0, "page_size": 50})

            def _outage(self, outage: str) -> bool:
                """Answer as a Twilio in trouble (True), or not at all in trouble (False)."""
                if not outage:
                    return False
                stand_in.unanswered += 1
                if outage == "error":
                    self._answer(stand_in.fail_status, {"code": 20500, "message": "try later"})
                    return True
                time.sleep(stand_in.hang_s)  # the client has given up by now
                self.close_connection = True
                return True

            def _answer(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # the client gave up waiting
                    pass

        self.server = _Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def accept(self, path: str, form: dict[str, str], sid: str) -> None:
        """Keep a message or call as Twilio would list it (also: one sent before a crash)."""
        self.accepted.append(
            {
                "kind": "calls" if path.endswith("/Calls.json") else "messages",
                "sid": sid,
                "to": form.get("To", ""),
                "from": form.get("From", ""),
                "body": form.get("Body", ""),
                "status": "queued",
                "date_created": format_datetime(datetime.now(UTC)),
            }
        )


@contextmanager
def twilio_on_loopback(monkeypatch: pytest.MonkeyPatch) -> Iterator[TwilioStandIn]:
    """The app's Twilio pointed at a stand-in; the app's own outbox loop off, so a test runs
    the sender step by step without racing it."""
    from api.settings import get_settings

    stand_in = TwilioStandIn()
    monkeypatch.setenv("TWILIO_API_BASE", stand_in.start())
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", "AC" + "1" * 32)
    monkeypatch.setenv("OUTBOUND_SENDER_ENABLED", "false")
    get_settings.cache_clear()
    try:
        yield stand_in
    finally:
        stand_in.stop()
        get_settings.cache_clear()
