"""The project's HAProxy configuration (deploy/haproxy/haproxy.cfg.template), run for a test:
one front door per tier on a free loopback port, each in front of one stand-in replica."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from scripts.cluster import TIERS, render_haproxy
from tests.ports import free_port, wait_listening


@contextmanager
def running_haproxy(workdir: Path, replica: int, check: bool = False) -> Iterator[dict[str, int]]:
    """HAProxy's door port per tier, every tier's one server at `replica` (health-checked as
    the cluster's are when `check`); stopped afterwards."""
    binary = shutil.which("haproxy") or "/usr/sbin/haproxy"
    doors = {tier: free_port() for tier in TIERS}
    config = render_haproxy(
        {tier: f"127.0.0.1:{port}" for tier, port in doors.items()},
        {tier: [f"server {tier}-1 127.0.0.1:{replica}" + " check" * check] for tier in TIERS},
    )
    path = workdir / "haproxy.cfg"
    path.write_text(config, encoding="utf-8")
    process = subprocess.Popen(
        [binary, "-db", "-f", str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        for port in doors.values():
            wait_listening(port)
        yield doors
    finally:
        process.terminate()
        process.wait(timeout=10)
