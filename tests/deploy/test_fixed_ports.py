"""The fixed ports the test and bench stacks listen on lie below the kernel's ephemeral range.

A port inside it can be the local end of any outgoing connection at that moment, and the stack
then fails to start with "address already in use" (the run-command test did, once, on 38000).
"""

from __future__ import annotations

from pathlib import Path

from bench.stackrun import PORTS as BENCH_PORTS
from tests.cluster.bring_up import DOORS
from tests.e2e.conftest import PORTS as E2E_PORTS
from tests.e2e.conftest import POSTGRES_PORTS
from tests.e2e.test_production_stores import RASA_PORT
from tests.e2e.test_run_command import PORTS as RUN_PORTS

RANGE = Path("/proc/sys/net/ipv4/ip_local_port_range")
REPLICAS = 2  # make run-cluster: replica n of a tier listens on its door's port + n


def _ephemeral_low() -> int:
    """The range's first port here, or Linux's default where /proc does not say."""
    return int(RANGE.read_text().split()[0]) if RANGE.exists() else 32768


def test_every_fixed_port_is_below_the_ephemeral_range() -> None:
    ports = {f"run {n}": p for n, p in RUN_PORTS.items()}
    ports |= {f"e2e {n}": p for n, p in (E2E_PORTS | POSTGRES_PORTS).items()}
    ports |= {f"bench {n}": p for n, p in BENCH_PORTS.items()}
    ports |= {f"cluster {n}+{i}": p + i for n, p in DOORS.items() for i in range(REPLICAS + 1)}
    ports["production-stores rasa"] = RASA_PORT
    low = min(_ephemeral_low(), 32768)
    assert {name: port for name, port in ports.items() if port >= low} == {}
