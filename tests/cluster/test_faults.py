"""Faults and scale-out: the cluster of `make run-cluster` keeps every conversation going while
one Rasa server, then one action server is killed with SIGKILL, then PostgreSQL is restarted
(stopped in fast mode, open sessions cut, started again PG_DOWN_S later), then one API process
is killed. The cluster runs on a PostgreSQL server of its own (tests/cluster/servers.py: initdb
into a temporary directory, the machine's server programs); without them that fault is left
out, said in the output, and the machine's server on 5432 is used (never restarted).

FAULT_CONVERSATIONS (100) workers talk to the web chat at the same time, behind HAProxy, as the
page does (same message id on a retry), in Bengali, Hindi and English: a claim's status, a
renewal, a claim filed with a texted code, a hand-over to an officer (tests/cluster/workload.py).
After the faults: every conversation ended with its reference, each claim, renewal and hand-over
is in the database exactly once, no message reached the assistant twice (its conversation store
holds each message id once), and the table of what each fault cost is printed. Bounded:
PYTEST_TIMEOUT below; the model is the e2e one.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import shutil
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from scripts.cluster import ROOT, Cluster, cluster_env, prepare
from scripts.train_model import train
from tests.cluster.harness import FaultRow, Record, measure, table, turn_s, wait_recovered
from tests.cluster.servers import PrivatePostgres, PrivateRedis, postgres_bindir
from tests.cluster.workload import (
    CODE,
    Conversation,
    Worker,
    add_workers,
    filed,
    outcome,
    total_turns,
)
from tests.e2e.conftest import _stack_env
from tests.services import POSTGRES_ADMIN_URL, require_service
from tests.stand_ins import TwilioStandIn

pytestmark = [pytest.mark.e2e, pytest.mark.cluster, pytest.mark.timeout(900)]
# scripted conversations at once (tests/cluster/workload.py): status, renewal, claim, hand-over
# in bn, hi and en, in turn
CONVERSATIONS = int(os.environ.get("FAULT_CONVERSATIONS", "100"))
# tier, share of turns done first. FAULT_REDIS=1 adds the cluster's own Redis stopped for
# REDIS_DOWN_S (needs redis-server): not yet in `make test`, it still loses a conversation now and
# then (README, Reliability).
WITH_REDIS = os.environ.get("FAULT_REDIS", "") == "1"
FAULTS: tuple[tuple[str, float], ...] = (
    ("rasa", 0.12),
    ("actions", 0.32),
    ("postgres", 0.52),
    ("api", 0.72),
)
if WITH_REDIS:
    FAULTS = (("rasa", 0.1), ("actions", 0.26), ("redis", 0.42), ("postgres", 0.58), ("api", 0.74))
REDIS_DB = 11  # not the database a `make run` on this machine uses (no private Redis)
REDIS_DOWN_S = 10
# The cluster's own PostgreSQL (tests/cluster/servers.py) is stopped (fast: sessions cut) and
# started again this much later; the machine's shared server is never touched.
PG_DOWN_S = 3
# HAProxy's doors; replica n of a tier listens on its door's port + n. Apart from the e2e
# stack's ports (E2E_PORTS), which may still be up in the same run: CLUSTER_PORTS moves them.
_DOORS = os.environ.get("CLUSTER_PORTS", "19400,16455,16405").split(",")
DOORS = {name: int(port) for name, port in zip(("api", "actions", "rasa"), _DOORS, strict=True)}
# Every process's log and what each client saw, kept after the run (var/ is not committed)
LOGS = ROOT / "var" / "cluster-logs"
KEEP_RUNS = 5


def _log_dir() -> Path:
    """A new directory under var/cluster-logs/ for this run; only the latest runs are kept."""
    LOGS.mkdir(parents=True, exist_ok=True)
    for old in sorted(p for p in LOGS.iterdir() if p.is_dir())[: -(KEEP_RUNS - 1)]:
        for file in old.iterdir():
            file.unlink()
        old.rmdir()
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    path = LOGS / f"{stamp}-{secrets.token_hex(2)}"
    path.mkdir()
    return path


def _databases(admin_url: str) -> tuple[str, str]:
    base = admin_url.rsplit("/", 1)[0]
    name = f"shramik_faults_{secrets.token_hex(4)}"
    return f"{base}/{name}", f"{base}/{name}_rasa"


def _drop(admin_url: str, *urls: str) -> None:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for url in urls:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))
    admin.dispose()


@dataclass
class Servers:
    """The cluster's own stores, when the machine has their programs (else the shared ones)."""

    postgres: PrivatePostgres | None = None
    redis: PrivateRedis | None = None
    skipped: list[str] = field(default_factory=list)  # faults left out, and why

    def stop(self) -> None:
        if self.redis:
            self.redis.stop()
        if self.postgres:
            self.postgres.destroy()


def _servers(log_dir: Path) -> Servers:
    """PostgreSQL of the cluster's own (the restart fault), and Redis with FAULT_REDIS=1."""
    servers = Servers()
    bindir = postgres_bindir()
    if bindir is None:
        require_service("postgres")
        servers.skipped.append(
            "postgres: no PostgreSQL server programs (initdb, pg_ctl, postgres) on this machine;"
            " `make system-deps` installs them"
        )
    else:
        servers.postgres = PrivatePostgres(bindir, DOORS["rasa"] + 75, log_dir / "postgres.log")
        servers.postgres.init()
        servers.postgres.start()
    if WITH_REDIS and shutil.which("redis-server"):
        servers.redis = PrivateRedis(DOORS["rasa"] + 74, log_dir / "redis.log")
        servers.redis.start()
    else:
        require_service("redis")
        if WITH_REDIS:
            servers.skipped.append("redis: FAULT_REDIS=1 needs redis-server")
    return servers


@pytest.fixture(scope="module")
def cluster(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Cluster, TwilioStandIn, list[Worker], Servers]]:
    log_dir = _log_dir()
    print(f"cluster logs: {log_dir}", flush=True)
    servers = _servers(log_dir)
    admin_url = servers.postgres.admin_url if servers.postgres else POSTGRES_ADMIN_URL
    model = train(quiet=True)
    var_dir = tmp_path_factory.mktemp("cluster-var")
    twilio = TwilioStandIn()
    database, trackers = _databases(admin_url)
    env = _stack_env(var_dir, twilio.start())
    env.update(
        DATABASE_URL=database,
        TRACKER_DB_URL=trackers,
        REDIS_URL=servers.redis.url if servers.redis else f"redis://127.0.0.1:6379/{REDIS_DB}",
        # every worker writes from the test's one address, and twenty of them at once
        WEBCHAT_ADDRESS_RATE_LIMIT="100000/minute",
        WEBCHAT_RATE_LIMIT="1000/minute",
        LOG_JSON="false",
        # Generous on a shared 2-core machine: after a fault the queued turns arrive at once and
        # a backend call can take seconds. Production's are 4 s / 5 s / 8 s (api/settings.py,
        # bot/timeouts.py); a slower backend is answered "please try again", which counts as a
        # loss here, as it is one for the worker.
        BACKEND_TIMEOUT_S="10",
        RASA_ACTION_TIMEOUT_S="25",
        RASA_TIMEOUT_S="60",
        BACKEND_URL=f"http://127.0.0.1:{DOORS['api']}",
        PUBLIC_BASE_URL=f"http://127.0.0.1:{DOORS['api']}",
        RASA_URL=f"http://127.0.0.1:{DOORS['rasa']}",
        ACTION_SERVER_URL=f"http://127.0.0.1:{DOORS['actions']}",
    )
    env = cluster_env(env)

    def cleanup() -> None:
        twilio.stop()
        if servers.postgres is None:
            _drop(admin_url, database, trackers)  # the shared server: only our databases
        servers.stop()

    try:
        prepare(env)
        workers = add_workers(env, CONVERSATIONS)
        built = Cluster(model=model, env=env, log_dir=log_dir)
        built.start(timeout=420, progress=lambda line: print(line, flush=True))
    except Exception:
        cleanup()
        raise
    try:
        yield built, twilio, workers, servers
    finally:
        built.stop()
        cleanup()


def _messages_taken_twice(env: dict[str, str]) -> int:
    """Message ids the assistant's conversation store holds more than once."""
    engine = create_engine(env["TRACKER_DB_URL"])
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT data FROM events WHERE type_name = 'user'")).all()
    engine.dispose()
    ids = Counter((json.loads(data).get("metadata") or {}).get("message_id") for (data,) in rows)
    return sum(n - 1 for message_id, n in ids.items() if message_id and n > 1)


def _kill_when(
    cluster: Cluster,
    servers: Servers,
    tier: str,
    share: float,
    record: Record,
    running: list[Conversation],
    turns: int,
) -> FaultRow:
    """Kill the tier's first replica (or stop/restart its store) once `share` of all turns are
    answered (or, if the conversations stopped early, at once: the assertions then say why)."""
    while record.done_turns < share * turns:
        if all(c.finished_at is not None for c in running):
            break
        time.sleep(0.2)
    clock = dt.datetime.now(dt.UTC).strftime("%H:%M:%S.%f")[:-3]
    if tier == "redis" and servers.redis is not None:
        row = FaultRow(f"Redis stopped {REDIS_DOWN_S} s", time.monotonic(), clock=clock)
        servers.redis.outage(REDIS_DOWN_S)
    elif tier == "postgres" and servers.postgres is not None:
        row = FaultRow(f"PostgreSQL restarted ({PG_DOWN_S} s down)", time.monotonic(), clock=clock)
        servers.postgres.restart(PG_DOWN_S)
    else:
        victim = cluster.replicas_of(tier)[0]
        row = FaultRow(f"kill -9 {victim.name}", time.monotonic(), clock=clock)
        victim.kill()
    print(f"{row.clock} UTC: {row.fault}", flush=True)
    return row


def test_conversations_survive_one_killed_process_per_tier(
    cluster: tuple[Cluster, TwilioStandIn, list[Worker], Servers],
    capsys: pytest.CaptureFixture[str],
) -> None:
    built, twilio, workers, servers = cluster
    record = Record()
    api = f"http://127.0.0.1:{DOORS['api']}"
    conversations = [Conversation(w.n, w, api, twilio, record) for w in workers]
    threads = [threading.Thread(target=c.run, daemon=True) for c in conversations]
    for thread in threads:
        thread.start()
    rows: list[FaultRow] = []
    stores = {"redis": servers.redis, "postgres": servers.postgres}
    faults = [f for f in FAULTS if f[0] not in stores or stores[f[0]] is not None]
    turns = total_turns(workers)
    for tier, share in faults:
        row = _kill_when(built, servers, tier, share, record, conversations, turns)
        wait_recovered(row, record, conversations)
        rows.append(row)
    for thread in threads:
        thread.join(timeout=300)
    for row in rows:
        measure(row, record, conversations)
    held = filed(built.child_env["DATABASE_URL"], workers)
    twice = _messages_taken_twice(built.child_env)
    results = {c.n: outcome(c, held) for c in conversations}
    for row in rows:  # records filed twice in the conversations this fault touched
        row.duplicates = sum(results[n][0] for n in row.conversations)
        row.losses = sum(1 for n in row.conversations if results[n][1])
    total = FaultRow("all", 0, sum(r.affected for r in rows), sum(r.failed for r in rows))
    total.duplicates = sum(extra for extra, _ in results.values()) + twice
    total.losses = sum(1 for _, lost in results.values() if lost)
    transcript = built.log_dir / "conversations.json"
    kept = {
        "faults": {r.fault: r.clock for r in rows},
        "conversations": [
            {
                "n": c.n,
                "kind": c.worker.kind,
                "lang": c.worker.lang,
                "error": c.error,
                "turns": c.transcript,
            }
            for c in conversations
        ],
    }
    transcript.write_text(json.dumps(kept, indent=1), encoding="utf-8")
    with capsys.disabled():
        print("\n" + table([*rows, total]), flush=True)
        p50, p95 = turn_s(record, rows[0].killed_at)
        print(f"turns before the first fault: median {p50} s, 95th percentile {p95} s")
        phones = {w.phone for w in workers}
        codes = sum(
            1
            for r in list(twilio.requests)
            if r["form"].get("To") in phones and CODE.search(r["form"].get("Body", ""))
        )
        print(f"codes texted: {codes} to {len(workers)} workers (a turn re-run texts another)")
        for reason in servers.skipped:
            print(f"fault left out: {reason}")
        print(f"logs and transcripts: {built.log_dir}", flush=True)
    errors = [f"{c.n}: {c.error}" for c in conversations if c.error]
    assert not errors, "\n".join(errors)
    lost = [f"{n}: {why}" for n, (_, why) in results.items() if why]
    assert not lost, "\n".join(lost)
    assert twice == 0, f"{twice} messages reached the assistant twice"
    assert total.duplicates == 0 and total.losses == 0
    survivors = [s.name for s in built.services if s.alive()]
    killed = sum(1 for tier, _ in faults if tier not in stores)
    assert len(survivors) == len(built.services) - killed, survivors
