"""The bench's own stack: the real three processes on ports of their own, fresh seeded SQLite.

Like tests/e2e/conftest.py, so a `make run` on the same machine is left alone, with two more
isolations: Rasa gets an endpoints file pointing at the bench's action server port and its own
tracker database (bot/endpoints.yml names 127.0.0.1:5055 and var/trackers.db).
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PORTS = {"api": 28000, "actions": 25055, "rasa": 25005}


def stack_env(var_dir: Path, ports: dict[str, int] = PORTS) -> dict[str, str]:
    """Environment of every bench process: demo mode, own ports, own database and var dir."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "RASA_"))}
    api = f"http://127.0.0.1:{ports['api']}"
    env.update(
        {
            "DEMO_MODE": "true",
            "VAR_DIR": str(var_dir),
            "DATABASE_URL": f"sqlite:///{var_dir / 'bench.db'}",
            "API_PORT": str(ports["api"]),
            "BACKEND_URL": api,
            "PUBLIC_BASE_URL": api,
            "RASA_URL": f"http://127.0.0.1:{ports['rasa']}",
            "ACTION_SERVER_URL": f"http://127.0.0.1:{ports['actions']}",
            "TTS_ENGINE_ORDER": "gtts,espeak,say",
            "LOG_JSON": "true",
            "LOG_LEVEL": "INFO",
            # the bench is one client calling and writing many times a minute on purpose
            "WEBCHAT_RATE_LIMIT": "100000/minute",
            "WEBHOOK_RATE_LIMIT": "100000/minute",
        }
    )
    # the key the model was signed with (this process's, as scripts/train_model.py read it), not
    # a fresh demo key from the new var dir: Rasa would refuse the model
    from api.settings import get_settings

    env.setdefault("MODEL_SIGNING_KEY", get_settings().signing_key())
    return env


def endpoints_for(text: str, actions_url: str, tracker_db: Path) -> str:
    """bot/endpoints.yml with the action server URL and the tracker database replaced."""
    text = re.sub(r"http://(?:127\.0\.0\.1|localhost):5055", actions_url.rstrip("/"), text)
    return re.sub(r"(?m)^(\s+db:\s*).*$", lambda m: f"{m.group(1)}{tracker_db}", text)


def admin_sql(sql: str) -> None:
    """One statement on 127.0.0.1:5432's `postgres` database (throw-away databases)."""
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute(sql)


@dataclass
class BenchStack:
    """Prepare, start (timing the cold start) and stop the stack; `stop` is safe to repeat."""

    model: Path
    var_dir: Path
    ports: dict[str, int] = field(default_factory=lambda: dict(PORTS))
    env: dict[str, str] = field(default_factory=dict)
    database: str = "sqlite"  # or "postgres": a throw-away database on 127.0.0.1:5432
    stack: Any = None
    timings: dict[str, float] = field(default_factory=dict)
    pg_name: str = ""

    def __post_init__(self) -> None:
        self.env = stack_env(self.var_dir, self.ports)
        if self.database == "postgres":
            self.pg_name = f"shramik_bench_{int(time.time())}"
            self.env["DATABASE_URL"] = (
                f"postgresql+psycopg://postgres@127.0.0.1:5432/{self.pg_name}"
            )

    @property
    def api_url(self) -> str:
        return self.env["BACKEND_URL"]

    @property
    def rasa_url(self) -> str:
        return self.env["RASA_URL"]

    @property
    def actions_url(self) -> str:
        return self.env["ACTION_SERVER_URL"]

    def prepare(self) -> None:
        """Fresh database with the demo dataset (migrate + seed, as `make db` does)."""
        from scripts.stack import APP_PYTHON

        self.var_dir.mkdir(parents=True, exist_ok=True)
        if self.pg_name:
            admin_sql(f'CREATE DATABASE "{self.pg_name}"')
        started = time.monotonic()
        for module in ("api.db.migrate", "api.seed"):
            subprocess.run(
                [str(APP_PYTHON), "-m", module],
                cwd=ROOT,
                env=self.env,
                check=True,
                capture_output=True,
                timeout=180,
            )
        self.timings["db_prepare_s"] = round(time.monotonic() - started, 2)

    def start(self, timeout: float = 300, progress: Callable[[str], None] | None = None) -> None:
        """Start the processes; the time until every health check passes is the cold start."""
        from scripts.stack import Stack

        stack = Stack(model=self.model, env=self.env, log_dir=self.var_dir / "log")
        endpoints = self.var_dir / "endpoints.yml"
        source = (ROOT / "bot" / "endpoints.yml").read_text(encoding="utf-8")
        endpoints.write_text(
            endpoints_for(source, self.actions_url, self.var_dir / "trackers.db"), encoding="utf-8"
        )
        rasa = stack.service("rasa")
        at = rasa.command.index("--endpoints")
        rasa.command[at + 1] = str(endpoints)
        self.stack = stack

        def note(line: str) -> None:
            name = line.split(" ", 1)[0]
            self.timings[f"{name}_up_s"] = round(time.monotonic() - started, 2)
            if progress:
                progress(line)

        started = time.monotonic()
        stack.start(timeout=timeout, progress=note)
        self.timings["cold_start_s"] = round(time.monotonic() - started, 2)

    def pids(self) -> dict[str, int]:
        if self.stack is None:
            return {}
        return {s.name: s.process.pid for s in self.stack.services if s.process is not None}

    def log_path(self, name: str) -> Path:
        return self.var_dir / "log" / f"{name}.log"

    def stop(self) -> None:
        if self.stack is not None:
            self.stack.stop()
        if self.pg_name:
            try:
                admin_sql(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')
            except Exception as exc:  # leave it rather than hide the bench's own result
                print(f"could not drop {self.pg_name}: {exc}")
