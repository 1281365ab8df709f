"""The fault test's own Redis and PostgreSQL servers: stopping or restarting them touches no one
else's (the machine's PostgreSQL on 5432 and Redis on 6379 serve other stacks and people).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import re
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path


class PrivateRedis:
    """A redis-server of the cluster's own (no one else's Redis is stopped), without persistence:
    killed and started again empty, as a Redis without a disk loses its data."""

    def __init__(self, port: int, log: Path) -> None:
        self.port, self.log = port, log
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server") or "redis-server"
        command = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        command += ["--appendonly", "no"]
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        import redis

        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if redis.Redis(port=self.port, socket_timeout=1).ping():
                    return
            except redis.RedisError:
                time.sleep(0.2)
        raise RuntimeError(f"redis-server on {self.port} did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def outage(self, seconds: float) -> threading.Thread:
        """Kill it now and start it again (empty) after `seconds`, in the background (the
        thread returned ends when it answers again)."""
        self.stop()

        def restart() -> None:
            time.sleep(seconds)
            self.start()

        thread = threading.Thread(target=restart, daemon=True)
        thread.start()
        return thread


def postgres_bindir() -> Path | None:
    """Where PostgreSQL's server programs are: `pg_config --bindir` when it names one with
    `postgres` in it, else the newest of Debian's /usr/lib/postgresql/<version>/bin (they are
    not on PATH there). None: the server is not installed (scripts/install_system_deps.sh)."""
    found: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        done = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        if done.returncode == 0 and done.stdout.strip():
            found.append(Path(done.stdout.strip()))

    def version(path: str) -> tuple[int, ...]:
        return tuple(int(n) for n in re.findall(r"\d+", path))

    debian = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=version, reverse=True)
    found += [Path(p) for p in debian]
    for bindir in found:
        if all((bindir / name).is_file() for name in ("postgres", "pg_ctl", "initdb")):
            return bindir
    return None


class PrivatePostgres:
    """A PostgreSQL server initialised into a temporary directory, on loopback with trust auth,
    for the cluster alone: the fault test restarts it under load. As root (PostgreSQL refuses
    to run as root) its programs run as the `postgres` user the Debian package creates."""

    def __init__(self, bindir: Path, port: int, log: Path) -> None:
        self.bindir, self.port, self.log = bindir, port, log
        self.root = Path(tempfile.mkdtemp(prefix="shramik-cluster-pg-"))
        self.data = self.root / "data"
        self.server_log = self.root / "postgres.log"  # copied to `log` at the end
        self.user: str | None = None
        if os.geteuid() == 0:
            self.user = "postgres"
            owner = pwd.getpwnam(self.user)
            os.chown(self.root, owner.pw_uid, owner.pw_gid)

    @property
    def admin_url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str, timeout: float = 60) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, user=self.user
        )
        if done.returncode:
            raise RuntimeError(f"{' '.join(command)}: {done.stdout}{done.stderr}")

    def _options(self) -> str:
        # sockets in our own directory (the Debian one belongs to the machine's server); enough
        # connections for 2 API processes' and 2 Rasa servers' pools
        return (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root}"
            " -c max_connections=200 -c fsync=off -c full_page_writes=off"
        )

    def init(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8")

    def start(self) -> None:
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.server_log),
            "-o",
            self._options(),
            "-w",
            "start",
        )

    def stop(self) -> None:
        """Fast shutdown: open sessions are cut, committed data stays (a clean checkpoint)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def restart(self, down_s: float) -> threading.Thread:
        """Stop now; start again after `down_s`, in the background (the fault; the thread
        returned ends when it takes connections again)."""
        self.stop()

        def again() -> None:
            time.sleep(down_s)
            self.start()

        thread = threading.Thread(target=again, daemon=True)
        thread.start()
        return thread

    def ready(self, timeout: float = 30) -> None:
        """Until a connection succeeds (the background start included)."""
        import psycopg

        deadline = time.monotonic() + timeout
        while True:
            try:
                with psycopg.connect(
                    host="127.0.0.1",
                    port=self.port,
                    user="postgres",
                    dbname="postgres",
                    connect_timeout=2,
                ):
                    return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def destroy(self) -> None:
        """Stop it (immediately) and remove its directory."""
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(RuntimeError):
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        if self.server_log.exists():
            shutil.copyfile(self.server_log, self.log)
        shutil.rmtree(self.root, ignore_errors=True)
