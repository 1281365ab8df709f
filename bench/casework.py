"""`make bench` casework section: 100 000 requests in a fresh PostgreSQL database, then the
officers' three hot paths through the real app (in-process HTTP, a logged-in supervisor): a page
of the work queue, the dashboard, and a decision with its notification queued.

Targets (p95): queue page < 300 ms, dashboard < 500 ms, decision < 100 ms. Runs without the
stack (like the NLU section), before it starts, so the two do not compete for the cores.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from bench import stats

TARGETS_MS = {"queue": 300.0, "dashboard": 500.0, "decision": 100.0}
SIZE = {False: 100_000, True: 20_000}
RUNS = {"queue": (300, 60), "dashboard": (40, 10), "decision": (300, 60)}
ADMIN_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
SUPERVISOR = ("bench.supervisor", "bench-" + "x" * 12)


@contextmanager
def fresh_database() -> Iterator[str]:
    """A new PostgreSQL database for this run, dropped afterwards."""
    from sqlalchemy import create_engine, text

    name = f"shramik_bench_{secrets.token_hex(4)}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        from api.db.session import dispose_engines

        dispose_engines()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def settings_for(url: str) -> Iterator[None]:
    from api.settings import get_settings

    saved = {k: os.environ.get(k) for k in ("DATABASE_URL", "OUTBOUND_SENDER_ENABLED")}
    os.environ["DATABASE_URL"] = url
    os.environ["OUTBOUND_SENDER_ENABLED"] = "false"  # queue only: nothing leaves the machine
    get_settings.cache_clear()
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        get_settings.cache_clear()


def timed(times: int, call: Callable[[int], Any], groups: int = 1) -> dict[str, Any]:
    """`call(i)` `times` times; each must answer 2xx; p50/p95 of the wall-clock ms (overall,
    and per `i % groups` when there are several kinds of call)."""
    latencies: list[float] = []
    for i in range(times):
        started = time.perf_counter()
        response = call(i)
        latencies.append((time.perf_counter() - started) * 1000)
        if response.status_code >= 300:
            raise RuntimeError(f"{response.status_code}: {response.text[:200]}")
    summary = stats.summarise(latencies)
    if groups > 1:
        summary["by_call"] = [stats.summarise(latencies[g::groups]) for g in range(groups)]
    return summary


def _open_claims(limit: int) -> list[str]:
    from sqlalchemy import select

    from api.db.models import Case
    from api.db.session import session_scope

    with session_scope() as s:
        return list(
            s.execute(
                select(Case.reference)
                .where(Case.kind == "claim", Case.status == "submitted")
                .order_by(Case.id)
                .limit(limit)
            ).scalars()
        )


def measure(quick: bool) -> dict[str, Any]:
    from fastapi.testclient import TestClient

    from api.services.decisions import claim_limits
    from api.web.app import create_app

    claim_limits()  # read once, as a running API would have
    kinds = ("claim", "renewal", "restart", "complaint", "callback")
    pages: list[dict[str, Any]] = [{"kind": k} for k in kinds]
    pages += [{"kind": "claim", "language": "hi"}, {"kind": "claim", "district": "Howrah"}]
    pages += [
        {"kind": "claim", "status": "documents_pending"},
        {},
        {"kind": "claim", "offset": 5000},
    ]
    full, short = RUNS["queue"]
    with TestClient(create_app(configure_logs=False)) as client:
        login = client.post(
            "/api/v1/staff/login", json={"username": SUPERVISOR[0], "password": SUPERVISOR[1]}
        )
        if login.status_code != 200:
            raise RuntimeError(f"bench log-in failed: {login.text[:200]}")
        for params in pages:  # warm-up: one of each
            client.get("/api/v1/staff/cases", params={**params, "limit": 50})
        client.get("/api/v1/staff/dashboard")
        queue = timed(
            short if quick else full,
            lambda i: client.get(
                "/api/v1/staff/cases", params={**pages[i % len(pages)], "limit": 50}
            ),
            groups=len(pages),
        )
        n_board = RUNS["dashboard"][1 if quick else 0]
        board = timed(n_board, lambda _i: client.get("/api/v1/staff/dashboard"))
        n_decide = RUNS["decision"][1 if quick else 0]
        refs = _open_claims(n_decide)
        decision = timed(
            len(refs),
            lambda i: client.post(
                f"/api/v1/staff/cases/{refs[i]}/decisions",
                json={"status": "under_review", "version": 1},
            ),
        )
    return {"queue_page": queue, "dashboard": board, "decision": decision, "pages": pages}


def _segments(body: str) -> int:
    """SMS segments Twilio bills for one body (GSM-7: 160, else UCS-2: 70; split: 153 / 67)."""
    gsm = all(ord(c) < 128 for c in body)
    single, part = (160, 153) if gsm else (70, 67)
    return 1 if len(body) <= single else -(-len(body) // part)


def reminder_pass() -> dict[str, Any]:
    """One reminder pass over the loaded workers at 10:00 local time, then a second pass (which
    must queue nothing): reminders per run, time per reminder, SMS segments (the cost driver;
    a price per segment in BENCH_SMS_PRICE_PER_SEGMENT gives money)."""
    from datetime import datetime
    from datetime import time as clock
    from zoneinfo import ZoneInfo

    from sqlalchemy import select

    from api.db.models import OutboundMessage
    from api.db.session import session_scope
    from api.services import reminders
    from api.settings import get_settings

    tz = ZoneInfo(get_settings().timezone)
    now = datetime.combine(datetime.now(tz).date(), clock(10, 0), tz)
    started = time.perf_counter()
    first = reminders.run_once(now)
    first_s = time.perf_counter() - started
    started = time.perf_counter()
    again = reminders.run_once(now)
    again_s = time.perf_counter() - started
    with session_scope() as s:
        bodies = s.execute(
            select(OutboundMessage.body).where(OutboundMessage.reason == reminders.REASON)
        ).scalars()
        segments = sum(_segments(b) for b in bodies)
    price = os.environ.get("BENCH_SMS_PRICE_PER_SEGMENT")
    return {
        "first": first.as_dict(),
        "again": again.as_dict(),
        "pass_s": round(first_s, 2),
        "again_s": round(again_s, 2),
        "ms_per_reminder": round(1000 * first_s / max(1, first.queued), 2),
        "sms_segments": segments,
        "cost": round(segments * float(price), 2) if price else None,
    }


def run(quick: bool = False, log: Callable[[str], None] = print) -> dict[str, Any]:
    from sqlalchemy import func, select

    from api.db.migrate import upgrade
    from api.db.models import OutboundMessage
    from api.db.session import get_engine, session_scope
    from api.seed import ensure_schemes
    from api.services import officers
    from api.services.context import Ctx
    from bench.casework_data import load

    size = SIZE[quick]
    with fresh_database() as url, settings_for(url):
        log(f"  casework: a fresh PostgreSQL database, {size} requests")
        upgrade(url)
        with session_scope() as s:
            ensure_schemes(s)
            officers.add(
                s,
                Ctx(actor="bench"),
                username=SUPERVISOR[0],
                password=SUPERVISOR[1],
                role="supervisor",
            )
        started = time.monotonic()
        counts = load(get_engine(), size)
        load_s = round(time.monotonic() - started, 1)
        log(f"  casework: loaded in {load_s} s; measuring")
        result = measure(quick)
        with session_scope() as s:
            queued = s.execute(select(func.count()).select_from(OutboundMessage)).scalar_one()
        log("  casework: a reminder pass")
        result["reminders"] = reminder_pass()
    return {"requests": size, "rows": counts, "load_s": load_s, "messages_queued": queued, **result}


def rows(data: dict[str, Any]) -> list[tuple[str, str, str, bool | None]]:
    """(measure, figure, target, met) for the report table."""
    out = []
    size = f"{data.get('requests', 0):,} requests"
    for key, label, target in (
        ("queue_page", "work-queue page (50 cases)", "queue"),
        ("dashboard", "supervisors' dashboard", "dashboard"),
        ("decision", "decision + notification queued", "decision"),
    ):
        s = data.get(key) or {}
        p95 = s.get("p95")
        met = None if p95 is None else p95 < TARGETS_MS[target]
        figure = f"{s.get('p50')} / {p95} ms (n={s.get('n')})"
        out.append(
            (
                f"casework p50 / p95, {label}, {size}",
                figure,
                f"p95 < {TARGETS_MS[target]:.0f} ms",
                met,
            )
        )
    r = data.get("reminders") or {}
    if r:
        first = r.get("first") or {}
        cost = f", cost {r['cost']}" if r.get("cost") is not None else ""
        figure = (
            f"{first.get('queued')} queued in {r.get('pass_s')} s ({r.get('ms_per_reminder')} ms"
            f" each), {r.get('sms_segments')} SMS segments{cost}; again: "
            f"{(r.get('again') or {}).get('queued')} queued in {r.get('again_s')} s"
        )
        met = (r.get("again") or {}).get("queued") == 0
        out.append((f"reminders per pass, {size}", figure, "a second pass queues 0", met))
    return out
