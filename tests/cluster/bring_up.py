"""Bringing up the fault test's cluster (scripts/cluster.py's layout) on stores of its own:
PostgreSQL (initdb into a temporary directory) and Redis (a private redis-server), both from the
machine's programs, so restarting or stopping them touches no one else's; the stand-in Twilio,
the dead proxy gTTS is sent to and the espeak-ng switch (tests/cluster/outside.py).

Without PostgreSQL's server programs the machine's server on 5432 is used (databases of our own,
never restarted) and that fault is left out; without redis-server, the machine's Redis (a
database of our own, never stopped) and the Redis fault is left out. Either is said in the
output.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text

from scripts.cluster import ROOT, Cluster, cluster_env, prepare
from scripts.train_model import train
from tests.cluster.outside import Blackhole, EspeakSwitch
from tests.cluster.servers import PrivatePostgres, PrivateRedis, postgres_bindir
from tests.cluster.workload import Worker, add_workers
from tests.e2e.conftest import _stack_env
from tests.services import POSTGRES_ADMIN_URL, require_service
from tests.stand_ins import TwilioStandIn

REDIS_DB = 11  # without redis-server: not the database a `make run` on this machine uses
# HAProxy's doors; replica n of a tier listens on its door's port + n. Apart from the e2e
# stack's ports (E2E_PORTS), which may still be up in the same run: CLUSTER_PORTS moves them.
_DOORS = os.environ.get("CLUSTER_PORTS", "19400,16455,16405").split(",")
DOORS = {name: int(port) for name, port in zip(("api", "actions", "rasa"), _DOORS, strict=True)}
# Every process's log and what each client saw, kept after the run (var/ is not committed)
LOGS = ROOT / "var" / "cluster-logs"
KEEP_RUNS = 5
TWILIO_TIMEOUT_S = 2.0  # each Twilio request's timeout in the cluster (production: 10 s)


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
    """PostgreSQL and Redis of the cluster's own (their restart and stop are faults)."""
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
    if shutil.which("redis-server"):
        servers.redis = PrivateRedis(DOORS["rasa"] + 74, log_dir / "redis.log")
        servers.redis.start()
    else:
        require_service("redis")
        servers.skipped.append("redis: no redis-server on this machine (`make system-deps`)")
    return servers


@dataclass
class Running:
    """The cluster under test and what the test plays around it."""

    cluster: Cluster
    twilio: TwilioStandIn
    workers: list[Worker]
    servers: Servers
    espeak: EspeakSwitch
    twilio_token: str  # signs the stand-in Twilio's webhooks (the phone calls)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{DOORS['api']}"


@contextmanager
def running_cluster(var_dir: Path, conversations: int) -> Iterator[Running]:
    log_dir = _log_dir()
    print(f"cluster logs: {log_dir}", flush=True)
    servers = _servers(log_dir)
    admin_url = servers.postgres.admin_url if servers.postgres else POSTGRES_ADMIN_URL
    model = train(quiet=True)
    twilio = TwilioStandIn(hang_s=TWILIO_TIMEOUT_S + 1)
    gtts_proxy = Blackhole()
    espeak = EspeakSwitch(var_dir / "espeak")
    token = secrets.token_hex(16)
    database, trackers = _databases(admin_url)
    env = _stack_env(var_dir, twilio.start())
    api = f"http://127.0.0.1:{DOORS['api']}"
    env.update(
        DATABASE_URL=database,
        TRACKER_DB_URL=trackers,
        REDIS_URL=servers.redis.url if servers.redis else f"redis://127.0.0.1:6379/{REDIS_DB}",
        # every worker writes from the test's one address, a hundred of them at once
        WEBCHAT_ADDRESS_RATE_LIMIT="100000/minute",
        WEBCHAT_RATE_LIMIT="1000/minute",
        LOG_JSON="false",
        # Generous on a shared 2-core machine: a hundred conversations, each sending its next
        # message the moment it is answered, on two cores other test runs share: a turn took
        # 10-35 s there, and a backend call in it over 10 s at the peaks. Production's are
        # 4 s / 5 s / 8 s (api/settings.py, bot/timeouts.py); a slower backend is answered
        # "please try again", which counts as a loss here, as it is one for the worker.
        # HAProxy gives up at 90 s.
        BACKEND_TIMEOUT_S="20",
        DB_CONNECT_WAIT_S="5",
        RASA_ACTION_TIMEOUT_S="40",
        RASA_TIMEOUT_S="80",
        BACKEND_URL=api,
        PUBLIC_BASE_URL=api,
        RASA_URL=f"http://127.0.0.1:{DOORS['rasa']}",
        ACTION_SERVER_URL=f"http://127.0.0.1:{DOORS['actions']}",
        # the phone line: signed webhooks from the test; gTTS never reachable (its HTTPS goes
        # to a proxy that never answers), espeak-ng the switchable stand-in
        TWILIO_AUTH_TOKEN=token,
        TWILIO_TIMEOUT_S=str(TWILIO_TIMEOUT_S),
        HTTPS_PROXY=gtts_proxy.url,
        https_proxy=gtts_proxy.url,
        NO_PROXY="127.0.0.1,localhost",
        no_proxy="127.0.0.1,localhost",
        PATH=f"{espeak.bin}:{os.environ.get('PATH', '/usr/bin:/bin')}",
    )
    env = cluster_env(env)

    def cleanup() -> None:
        twilio.stop()
        gtts_proxy.close()
        espeak.off()
        if servers.postgres is None:
            _drop(admin_url, database, trackers)  # the shared server: only our databases
        servers.stop()

    try:
        prepare(env)
        workers = add_workers(env, conversations)
        built = Cluster(model=model, env=env, log_dir=log_dir)
        built.start(timeout=420, progress=lambda line: print(line, flush=True))
    except Exception:
        cleanup()
        raise
    try:
        yield Running(built, twilio, workers, servers, espeak, token)
    finally:
        built.stop()
        cleanup()
