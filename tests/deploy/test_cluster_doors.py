"""The cluster is ready when its doors answer, not when its processes do (scripts/cluster.py,
`Cluster.start` and `wait_answering`).

Why: HAProxy refuses a tier's requests (503, no server) until it has seen a replica pass two
checks a second apart. A Rasa server loads its model for ~20 s, HAProxy marks it down meanwhile,
and a first request sent the moment the server itself answered got a 503 from the door
(`make bench`'s scale section: 4 errors in its first second). Here the real HAProxy, as
configured for the cluster, fronts a replica that starts listening only after HAProxy has marked
it down: the door refuses at first (the control), and `wait_answering` returns once it answers.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from scripts.cluster import HEALTH, TIERS, wait_answering
from tests.haproxy_run import running_haproxy
from tests.ports import free_port


class _Healthy(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def haproxy(tmp_path: Path) -> Iterator[tuple[dict[str, str], int]]:
    """HAProxy with `check` on one replica port per tier, nothing listening there yet."""
    replica = free_port()
    with running_haproxy(tmp_path, replica, check=True) as doors:
        yield (
            {tier: f"http://127.0.0.1:{port}{HEALTH[tier]}" for tier, port in doors.items()},
            replica,
        )


def test_the_doors_refuse_until_haproxy_takes_the_replica_in_and_the_wait_sees_it(
    haproxy: tuple[dict[str, str], int],
) -> None:
    urls, replica = haproxy
    time.sleep(2.5)  # two failed checks a second apart: the replica is down
    server = ThreadingHTTPServer(("127.0.0.1", replica), _Healthy)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        assert httpx.get(f"http://127.0.0.1:{replica}/version").status_code == 200  # it answers
        assert httpx.get(urls["rasa"]).status_code == 503  # the door does not, yet
        began = time.monotonic()
        wait_answering(urls, timeout=15)
        assert time.monotonic() - began < 15
        assert {tier: httpx.get(url).status_code for tier, url in urls.items()} == dict.fromkeys(
            TIERS, 200
        )
    finally:
        server.shutdown()
        server.server_close()


def test_a_door_that_never_answers_is_named_when_the_wait_gives_up(
    haproxy: tuple[dict[str, str], int],
) -> None:
    urls, _ = haproxy
    with pytest.raises(TimeoutError, match="rasa"):
        wait_answering({"rasa": urls["rasa"]}, timeout=0.5)
