"""`make run-cluster`: the stack scaled out on loopback, behind a real load balancer.

Two Rasa servers sharing conversations (PostgreSQL tracker store, Redis lock store), two action
servers, two API processes sharing one PostgreSQL database and Redis, and HAProxy in front of
each tier (deploy/haproxy/haproxy.cfg.template). The front doors are the usual URLs
(BACKEND_URL, RASA_URL, ACTION_SERVER_URL); replica n of a tier listens on its door's port + n.
The processes are scripts/stack.py's; `run` starts them, prints where things are and stops them
all on Ctrl-C (scripts/run_stack.py's loop). tests/cluster/test_faults.py kills them one by one.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from string import Template

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.stack import APP_PYTHON, BOT_PYTHON, Service, Stack, answers  # noqa: E402

TEMPLATE = ROOT / "deploy" / "haproxy" / "haproxy.cfg.template"
ENDPOINTS = ROOT / "bot" / "endpoints.cluster.yml"
PG = "postgresql+psycopg://postgres@127.0.0.1:5432"
DEFAULTS = {
    "DATABASE_URL": f"{PG}/shramik_cluster",
    "TRACKER_DB_URL": f"{PG}/shramik_cluster_rasa",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    # a conversation lock's lease, renewed while the turn runs: a Rasa server killed mid-turn
    # holds its conversations at most this long (bot/locks.py; Rasa's default: 60)
    "TICKET_LOCK_LIFETIME": "4",
    # the API waits for Rasa longer than a dead server's lock lasts (api/services/chat_once.py)
    "RASA_TIMEOUT_S": "20",
}
TIERS = ("api", "actions", "rasa")
DOORS = {"api": "BACKEND_URL", "actions": "ACTION_SERVER_URL", "rasa": "RASA_URL"}
HEALTH = {"api": "/api/v1/health", "actions": "/health", "rasa": "/version"}
DOOR_WAIT_S = 30.0  # HAProxy takes a replica in after two passed checks a second apart


def wait_answering(urls: dict[str, str], timeout: float = DOOR_WAIT_S) -> None:
    """Until every URL answers 2xx; TimeoutError naming those that did not."""
    deadline = time.monotonic() + timeout
    waiting = dict(urls)
    while waiting:
        waiting = {name: url for name, url in waiting.items() if not answers(url)}
        if waiting and time.monotonic() > deadline:
            raise TimeoutError(f"not answering after {timeout:.0f} s: {', '.join(waiting)}")
        if waiting:
            time.sleep(0.2)


def cluster_env(base: dict[str, str]) -> dict[str, str]:
    """The cluster's environment: shared PostgreSQL and Redis, and what Rasa's endpoints need."""
    from sqlalchemy.engine import make_url

    env = dict(base)
    for name, value in DEFAULTS.items():
        if name in ("DATABASE_URL", "TRACKER_DB_URL") and env.get(name, "").startswith("sqlite"):
            env.pop(name)  # the cluster shares one database: never a file of one process
        env.setdefault(name, value)
    tracker = make_url(env["TRACKER_DB_URL"])
    env.update(
        TRACKER_DB_HOST=tracker.host or "127.0.0.1",
        TRACKER_DB_PORT=str(tracker.port or 5432),
        TRACKER_DB_USER=tracker.username or "postgres",
        TRACKER_DB_PASSWORD=tracker.password or "",
        TRACKER_DB_NAME=tracker.database or "rasa",
    )
    redis = make_url(env["REDIS_URL"])
    env.update(
        LOCK_STORE_HOST=redis.host or "127.0.0.1",
        LOCK_STORE_PORT=str(redis.port or 6379),
        LOCK_STORE_DB=(redis.database or "0"),
        LOCK_STORE_PREFIX="shramik" + "".join(c for c in tracker.database or "" if c.isalnum()),
    )
    return env


def create_databases(env: dict[str, str]) -> None:
    """Create the app's and Rasa's PostgreSQL databases when missing (nothing else is touched)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    for name in ("DATABASE_URL", "TRACKER_DB_URL"):
        url = make_url(env[name])
        admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            found = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": url.database}
            ).first()
            if not found:
                conn.execute(text(f'CREATE DATABASE "{url.database}"'))
        admin.dispose()


_EVENTS_TABLE = """
from rasa.core.tracker_store import SQLTrackerStore
import os
SQLTrackerStore(dialect="postgresql", host=os.environ["TRACKER_DB_HOST"],
    port=os.environ["TRACKER_DB_PORT"], username=os.environ["TRACKER_DB_USER"],
    password=os.environ["TRACKER_DB_PASSWORD"], db=os.environ["TRACKER_DB_NAME"])
"""


def prepare(env: dict[str, str], seed: bool = True) -> None:
    """Databases, migrations, the demo data (demo mode), and Rasa's events table created once,
    before the Rasa servers start (two creating it at the same moment can collide)."""
    create_databases(env)
    modules = ["api.db.migrate"] + (["api.seed"] if seed else [])
    for module in modules:
        subprocess.run([str(APP_PYTHON), "-m", module], cwd=ROOT, env=env, check=True)
    rasa_env = {**env, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false"}
    command = [str(BOT_PYTHON), "-c", _EVENTS_TABLE]
    subprocess.run(command, cwd=ROOT, env=rasa_env, check=True, capture_output=True)


def render_haproxy(
    doors: dict[str, str], servers: dict[str, list[str]], resolvers: str = ""
) -> str:
    """deploy/haproxy/haproxy.cfg.template for these front doors and server lines per tier."""
    values = {"resolvers": resolvers}
    for tier in TIERS:
        values[f"{tier}_bind"] = doors[tier]
        values[f"{tier}_servers"] = "\n".join(f"    {line}" for line in servers[tier])
    return Template(TEMPLATE.read_text(encoding="utf-8")).substitute(values)


COMPOSE_PORTS = {"api": 8000, "actions": 5055, "rasa": 5005}
COMPOSE_CONFIG = ROOT / "deploy" / "haproxy" / "haproxy.compose.cfg"
DOCKER_DNS = """
# Docker's DNS: each replica of a service is one address of its name
resolvers docker
    nameserver dns 127.0.0.11:53
    hold valid 5s
"""


def compose_haproxy(replicas: int = 2) -> str:
    """The configuration docker-compose.yml mounts (committed; a test keeps it rendered)."""
    doors = {tier: f"*:{port}" for tier, port in COMPOSE_PORTS.items()}
    servers = {
        tier: [
            f"server-template {tier}- {replicas} {tier}:{port} check resolvers docker"
            " init-addr none"
        ]
        for tier, port in COMPOSE_PORTS.items()
    }
    return render_haproxy(doors, servers, DOCKER_DNS)


@dataclass
class Cluster(Stack):
    """Stack's processes, `replicas` of each, and HAProxy in front of every tier."""

    replicas: int = 2

    def build_services(self) -> list[Service]:
        services: list[Service] = []
        for n in range(1, self.replicas + 1):
            host, port = self.url("BACKEND_URL", self.child_env)
            services.append(self.api_service(f"api-{n}", host, port + n))
            host, port = self.url("ACTION_SERVER_URL", self.child_env)
            services.append(self.actions_service(f"actions-{n}", host, port + n))
            host, port = self.url("RASA_URL", self.child_env)
            services.append(self.rasa_service(f"rasa-{n}", host, port + n, ENDPOINTS))
        services.append(self.haproxy_service())
        return services

    def start(self, timeout: float = 240, progress: Callable[[str], None] | None = None) -> None:
        """Every process up, then every tier's door answering through HAProxy: until it has
        seen a replica pass two checks, it refuses the tier's requests (503, no server)."""
        super().start(timeout, progress)
        doors = {}
        for tier in TIERS:
            host, port = self.url(DOORS[tier], self.child_env)
            doors[f"the {tier} door"] = f"http://{host}:{port}{HEALTH[tier]}"
        try:
            wait_answering(doors)
        except TimeoutError:
            self.stop()
            raise
        if progress:
            progress("every door answers through HAProxy")

    def haproxy_config(self) -> str:
        doors, servers = {}, {}
        for tier in TIERS:
            host, port = self.url(DOORS[tier], self.child_env)
            doors[tier] = f"{host}:{port}"
            servers[tier] = [
                f"server {tier}-{n} {host}:{port + n} check" for n in range(1, self.replicas + 1)
            ]
        return render_haproxy(doors, servers)

    def haproxy_service(self) -> Service:
        binary = shutil.which("haproxy") or "/usr/sbin/haproxy"
        config = Path(self.child_env["VAR_DIR"]) / "haproxy.cfg"
        config.write_text(self.haproxy_config(), encoding="utf-8")
        check = subprocess.run([binary, "-c", "-q", "-f", str(config)], capture_output=True)
        if check.returncode:
            raise RuntimeError(f"haproxy refuses {config}: {check.stderr.decode(errors='replace')}")
        host, port = self.url("BACKEND_URL", self.child_env)
        health = f"http://{host}:{port}/api/v1/health"  # through the load balancer
        command = [binary, "-db", "-f", str(config)]
        return Service("haproxy", command, health, self.child_env, self.log_dir / "haproxy.log")

    def replicas_of(self, tier: str) -> list[Service]:
        return [s for s in self.services if s.name.startswith(f"{tier}-")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/cluster.py", description=__doc__)
    parser.add_argument(
        "command",
        choices=("run", "config", "compose"),
        nargs="?",
        default="run",
        help="run (default); config: print HAProxy's loopback configuration; compose: write "
        + "deploy/haproxy/haproxy.compose.cfg",
    )
    args = parser.parse_args(argv)
    from scripts.run_stack import serve
    from scripts.train_model import model_path

    if args.command == "compose":
        COMPOSE_CONFIG.write_text(compose_haproxy(), encoding="utf-8")
        return 0
    os.environ.setdefault("DEMO_MODE", "true")  # `make run-cluster` is a demo, like `make run`
    env = cluster_env(dict(os.environ))
    os.environ.update(env)  # the banner reads the same settings as the processes
    if shutil.which("haproxy") is None:
        print("haproxy is missing: `make system-deps` installs Debian's.", file=sys.stderr)
        return 1
    model = model_path()
    if args.command == "config":
        print(Cluster(model=model, env=env).haproxy_config())
        return 0
    if not model.exists():
        print(f"No trained model at {model}; `make run-cluster` trains first.", file=sys.stderr)
        return 1
    print("==> Preparing PostgreSQL (databases, migrations, demo data) and Rasa's tracker store")
    prepare(env, seed=env.get("DEMO_MODE", "").lower() == "true")
    cluster = Cluster(model=model, env=env)
    return serve(cluster, "2 API processes, 2 action servers, 2 Rasa servers and HAProxy")


if __name__ == "__main__":
    sys.exit(main())
