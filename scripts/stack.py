"""Start, watch and stop the three processes of the stack (API, action server, Rasa).

Used by `make run` (scripts/run_stack.py) and by the end-to-end tests, so that tests talk to
exactly the processes a user gets. Each process logs to its own file under var/log/.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
APP_PYTHON = ROOT / ".venv" / "bin" / "python"
BOT_PYTHON = ROOT / ".venv-bot" / "bin" / "python"


@contextlib.contextmanager
def environment(env: dict[str, str]) -> Iterator[None]:
    """Run a block under another process's environment (its settings, not ours)."""
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def answers(url: str) -> bool:
    """Whether a GET of `url` answers 2xx within 2 s."""
    # B310 (bandit): the URL is our own loopback health check, built from settings
    try:
        with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310  # nosec B310
            status: int = answer.status
            return 200 <= status < 300
    except (urllib.error.URLError, OSError, ValueError):
        return False


@dataclass
class Service:
    name: str
    command: list[str]
    health_url: str
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.started_at = time.monotonic()
        self.process = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches the supervisor, which stops us in order
        )
        log.close()

    def healthy(self) -> bool:
        return answers(self.health_url)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = 15) -> None:
        if not self.alive():
            return
        assert self.process is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def kill(self) -> None:
        """SIGKILL, as a crash: no clean-up runs (the fault tests)."""
        if self.alive():
            assert self.process is not None
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


@dataclass
class Stack:
    """The API, the action server and Rasa, configured from one environment.

    scripts/cluster.py builds on it: the same processes, several of each, behind HAProxy.
    """

    model: Path
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    log_dir: Path = ROOT / "var" / "log"
    services: list[Service] = field(default_factory=list)
    child_env: dict[str, str] = field(default_factory=dict)
    model_signing_key: str = field(default="", repr=False)  # Rasa's only

    def __post_init__(self) -> None:
        self.child_env = self.prepare_env()
        self.services = self.build_services()

    def prepare_env(self) -> dict[str, str]:
        """The children's environment: their settings (not necessarily ours) made explicit."""
        from api.settings import Settings

        with environment(self.env):  # the children's settings, not necessarily ours
            settings = Settings()
        env = dict(self.env)
        env.setdefault("PYTHONPATH", str(ROOT))
        env["PYTHONPATH"] = str(ROOT) + os.pathsep + env["PYTHONPATH"]
        env.setdefault("ACTION_SERVER_TOKEN", settings.action_server_token)
        # Rasa's tracker database lives in this run's var/ (bot/endpoints.yml: ${VAR_DIR})
        env["VAR_DIR"] = str(Path(settings.var_dir).resolve())
        Path(env["VAR_DIR"]).mkdir(parents=True, exist_ok=True)
        env.setdefault("BACKEND_URL", settings.backend_url.rstrip("/"))
        env.setdefault("RASA_URL", settings.rasa_url.rstrip("/"))
        env.setdefault("ACTION_SERVER_URL", settings.action_server_url.rstrip("/"))
        # Rasa (no settings class there) waits for actions as long as the settings checked
        # against BACKEND_TIMEOUT_S say; the action servers and the API get the same pair
        env["RASA_ACTION_TIMEOUT_S"] = f"{settings.rasa_action_timeout_s:g}"
        env["BACKEND_TIMEOUT_S"] = f"{settings.backend_timeout_s:g}"
        env.setdefault("OMP_NUM_THREADS", "1")
        env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        env.setdefault("RASA_TELEMETRY_ENABLED", "false")
        env["RASA_TOKEN"] = env.get("RASA_TOKEN") or settings.rasa_token
        if not env["RASA_TOKEN"]:
            raise RuntimeError("RASA_TOKEN is empty: Rasa's HTTP API would be open")
        # Rasa loads only a model signed with it (bot/model_signing.py; demo mode: generated).
        # Only Rasa gets it: whoever holds it can sign a model Rasa would unpickle.
        try:
            self.model_signing_key = env.pop("MODEL_SIGNING_KEY", "") or settings.signing_key()
        except ValueError as error:
            raise RuntimeError(str(error)) from error
        # rasa-sdk binds 0.0.0.0 unless told: the action server listens where its URL says
        env.setdefault("SANIC_HOST", self.url("ACTION_SERVER_URL", env)[0])
        return env

    @staticmethod
    def url(name: str, env: dict[str, str]) -> tuple[str, int]:
        """(host, port) of BACKEND_URL, RASA_URL or ACTION_SERVER_URL in `env`."""
        parsed = urlparse(env[name])
        default = {"BACKEND_URL": 8000, "RASA_URL": 5005, "ACTION_SERVER_URL": 5055}[name]
        return parsed.hostname or "127.0.0.1", parsed.port or default

    def build_services(self) -> list[Service]:
        env = self.child_env
        return [
            self.api_service("api", *self.url("BACKEND_URL", env)),
            self.actions_service("actions", *self.url("ACTION_SERVER_URL", env)),
            self.rasa_service("rasa", *self.url("RASA_URL", env)),
        ]

    def api_service(self, name: str, host: str, port: int) -> Service:
        command = [str(APP_PYTHON), "-m", "uvicorn", "asgi:create_app", "--factory"]
        command += ["--host", host, "--port", str(port), "--no-access-log"]
        health = f"http://{host}:{port}/api/v1/health"
        return Service(name, command, health, self.child_env, self.log_dir / f"{name}.log")

    def actions_service(self, name: str, host: str, port: int) -> Service:
        command = [str(APP_PYTHON), "-m", "rasa_sdk", "--actions", "actions", "--port", str(port)]
        env = {**self.child_env, "SANIC_HOST": host}
        health = f"http://{host}:{port}/health"
        return Service(name, command, health, env, self.log_dir / f"{name}.log")

    def rasa_service(
        self, name: str, host: str, port: int, endpoints: Path = ROOT / "bot" / "endpoints.yml"
    ) -> Service:
        command = [
            str(BOT_PYTHON),
            str(ROOT / "bot" / "launch.py"),
            "run",
            "--model",
            str(self.model),
            "--enable-api",
            "--interface",
            host,
            "--port",
            str(port),
            "--credentials",
            str(ROOT / "bot" / "credentials.yml"),
            "--endpoints",
            str(endpoints),
            "--logging-config-file",
            str(ROOT / "bot" / "logging.yml"),
        ]  # the token: RASA_TOKEN in its environment (bot/launch.py), never on a command line
        # /version answers once the model is loaded (Rasa loads it before it listens) and needs
        # no token: no secret in any URL. Rasa's HTTP API always requires the token.
        health = f"http://{host}:{port}/version"
        env = {**self.child_env, "MODEL_SIGNING_KEY": self.model_signing_key}
        return Service(name, command, health, env, self.log_dir / f"{name}.log")

    def start(self, timeout: float = 240, progress: Callable[[str], None] | None = None) -> None:
        """Start every service and wait until each answers its health check."""
        for service in self.services:
            service.start()
        deadline = time.monotonic() + timeout
        waiting = {s.name for s in self.services}
        while waiting:
            for service in self.services:
                if service.name not in waiting:
                    continue
                if not service.alive():
                    self.stop()
                    raise RuntimeError(
                        f"{service.name} exited during start-up; last log lines:\n"
                        f"{service.log_tail()}"
                    )
                if service.healthy():
                    waiting.discard(service.name)
                    if progress:
                        took = time.monotonic() - service.started_at
                        progress(f"{service.name} is up ({took:.0f} s)")
            if time.monotonic() > deadline:
                self.stop()
                raise TimeoutError(f"not up after {timeout:.0f} s: {', '.join(sorted(waiting))}")
            time.sleep(0.5)

    def stop(self) -> None:
        for service in reversed(self.services):
            service.stop()

    def service(self, name: str) -> Service:
        return next(s for s in self.services if s.name == name)
