"""The cluster's tracker store carries on across a PostgreSQL restart without failing a turn.

Rasa 3.6's SQL store keeps pooled connections that a restarted server has closed; the first use
of each raised "server closed the connection unexpectedly" (a failed turn per connection).
Runs the project's store (bot/endpoints.cluster.yml's class) in the Rasa environment against a
PostgreSQL server of the test's own (tests/cluster/servers.py), restarted between two reads.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.bot_env import BOT_PYTHON, ROOT, needs_bot_env, rasa_test_env
from tests.cluster.servers import PrivatePostgres, postgres_bindir

pytestmark = needs_bot_env

SCRIPT = r"""
import asyncio, json, sys
sys.path.insert(0, 'bot')
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

domain = Domain.load('bot/domain.yml')
config = EndpointConfig(
    type='local_tracker_store.ScrubbingSQLTrackerStore', dialect='postgresql', url='127.0.0.1',
    port=int(sys.argv[1]), username='postgres', password='', db='reconnect', login_db='postgres',
)
store = TrackerStore.create(config, domain)

async def main():
    tracker = DialogueStateTracker('w1', domain.slots)
    tracker.update(UserUttered('hello', {'name': 'greet', 'confidence': 1.0}))
    await store.save(tracker)
    print('saved', flush=True)
    sys.stdin.readline()  # the server restarts meanwhile
    reads = []
    for _ in range(2):
        try:
            reads.append(len((await store.retrieve('w1')).events))
        except Exception as error:
            reads.append(type(error).__name__)
    print(json.dumps(reads), flush=True)

asyncio.run(main())
"""


@pytest.fixture
def postgres(tmp_path: Path) -> Iterator[PrivatePostgres]:
    bindir = postgres_bindir()
    if bindir is None:
        pytest.skip("no PostgreSQL server programs (initdb, pg_ctl); `make system-deps`")
    import socket

    with socket.socket() as probe:  # a free port, not the machine's 5432
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = PrivatePostgres(bindir, port, tmp_path / "postgres.log")
    server.init()
    server.start()
    yield server
    server.destroy()


def test_a_read_after_a_restart_succeeds(postgres: PrivatePostgres, tmp_path: Path) -> None:
    env = rasa_test_env(tmp_path, PYTHONPATH=str(ROOT), ACTION_SERVER_TOKEN="test-token")
    command = [str(BOT_PYTHON), "-c", SCRIPT, str(postgres.port)]
    child = subprocess.Popen(
        command, cwd=ROOT, env=env, text=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    assert child.stdout is not None and child.stdin is not None
    try:
        assert child.stdout.readline().strip() == "saved"
        postgres.stop()
        postgres.start()
        child.stdin.write("\n")
        child.stdin.flush()
        out, _ = child.communicate(timeout=120)
    finally:
        if child.poll() is None:
            child.kill()
    assert json.loads(out.strip().splitlines()[-1]) == [1, 1]
