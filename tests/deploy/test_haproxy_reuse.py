"""HAProxy as the project configures it (deploy/haproxy/haproxy.cfg.template) never sends a
request on a connection a replica may just have closed.

Why: uvicorn and Sanic close a keep-alive connection after 5 s idle. HAProxy reused such a
connection for the next request and, when the replica closed it just then, closed the client's
connection without an answer. In the cluster fault test a caller redialling ~5 s after hanging
up heard nothing on the greeting (Twilio gets no TwiML). The stand-in replica here drops every
connection at its second request, so any reuse shows, every time, in every tier.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.haproxy_run import running_haproxy

REQUESTS = 8
ANSWER = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok"


def _serve(conn: socket.socket) -> None:
    """Answer the connection's first request, keep it alive, drop it at the second."""
    buffered, answered = b"", 0
    with conn:
        while True:
            try:
                data = conn.recv(65536)
            except OSError:
                return
            if not data:
                return
            buffered += data
            while b"\r\n\r\n" in buffered:
                _, buffered = buffered.split(b"\r\n\r\n", 1)
                if answered:
                    return
                conn.sendall(ANSWER)
                answered += 1


@contextlib.contextmanager
def _replica() -> Iterator[int]:
    server = socket.create_server(("127.0.0.1", 0))

    def accept() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            threading.Thread(target=_serve, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield server.getsockname()[1]
    finally:
        server.close()


@pytest.fixture
def doors(tmp_path: Path) -> Iterator[dict[str, int]]:
    with _replica() as replica, running_haproxy(tmp_path, replica) as ports:
        yield ports


def test_every_request_gets_an_answer_when_replicas_drop_kept_connections(
    doors: dict[str, int],
) -> None:
    heard: dict[str, list[object]] = {}
    for tier, port in doors.items():
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            outcomes: list[object] = []
            for n in range(REQUESTS):
                try:
                    outcomes.append(client.post("/webhook", json={"n": n}).status_code)
                except httpx.TransportError as error:
                    outcomes.append(type(error).__name__)
            heard[tier] = outcomes
    assert heard == {tier: [200] * REQUESTS for tier in doors}
