"""A year of helpline work for the casework bench: workers, 100 000 requests of every kind at
every status (with their cases and first timeline lines), calls, hand-overs and contacts,
loaded into a fresh database in batches through SQLAlchemy Core (no ORM objects: seconds, not
minutes)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, Table, text

from api.db.models import Base

BATCH = 5000
KIND_SHARE = {"claim": 0.5, "renewal": 0.15, "restart": 0.05, "complaint": 0.2, "callback": 0.1}
STATUS_MIX = {  # roughly what a year leaves behind: most of it decided
    "claim": {
        "submitted": 8,
        "under_review": 10,
        "documents_pending": 8,
        "approved": 6,
        "paid": 45,
        "rejected": 18,
        "withdrawn": 5,
    },
    "renewal": {"submitted": 20, "approved": 70, "rejected": 10},
    "restart": {"submitted": 25, "approved": 60, "rejected": 15},
    "complaint": {"received": 15, "in_progress": 15, "resolved": 60, "closed": 10},
    "callback": {"waiting": 20, "reached": 60, "wrong_number": 5, "unreachable": 10, "closed": 5},
}
OPEN = {"submitted", "under_review", "documents_pending", "approved", "received", "in_progress"}
OPEN_BY_KIND = {"renewal": {"submitted"}, "restart": {"submitted"}, "callback": {"waiting"}}
PREFIX = {"claim": "CLM", "renewal": "REN", "restart": "PRR", "complaint": "FDB", "callback": "CBK"}
DISTRICTS = (
    "Kolkata",
    "Howrah",
    "Hooghly",
    "North 24 Parganas",
    "South 24 Parganas",
    "Murshidabad",
    "Nadia",
    "Bardhaman",
    "Malda",
    "Darjeeling",
    "Patna",
    "Gaya",
    "Muzaffarpur",
    "Bhagalpur",
    "Darbhanga",
    "Purnia",
)
CLAIM_TYPES = ("accident_death", "accident_disability", "medical", "maternity", "education")
CATEGORIES = ("complaint", "bribery", "no_response", "suggestion", "other")
LANGS = ("bn", "bn", "hi", "en")


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def _batches(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _insert(engine: Engine, name: str, rows: Iterator[dict[str, Any]]) -> int:
    count = 0
    with engine.begin() as conn:
        for batch in _batches(rows):
            conn.execute(_table(name).insert(), batch)
            count += len(batch)
    return count


def _workers(n: int, now: datetime) -> Iterator[dict[str, Any]]:
    for i in range(1, n + 1):
        yield {
            "id": i,
            "uan": f"3{i:011d}",
            "name_en": f"Worker {i}",
            "name_bn": "",
            "name_hi": "",
            "date_of_birth": date(1960 + i % 40, 1 + i % 12, 1 + i % 28),
            "gender": "",
            "phone": f"+9198{i:08d}",
            "state": "West Bengal" if i % 16 < 10 else "Bihar",
            "district": DISTRICTS[i % len(DISTRICTS)],
            "occupation": "construction worker",
            "preferred_language": LANGS[i % len(LANGS)],
            "notify_by_call": i % 10 == 0,
            "created_at": now,
            "updated_at": now,
        }


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _is_open(kind: str, status: str) -> bool:
    return status in OPEN_BY_KIND.get(kind, OPEN)


def plan(n: int, workers: int, now: datetime, seed: int = 7) -> list[dict[str, Any]]:
    """Every case to load: kind, status, worker, dates (the same for the same `now`)."""
    rng = random.Random(seed)
    counters = dict.fromkeys(PREFIX, 0)
    cases = []
    for i in range(1, n + 1):
        kind = rng.choices(list(KIND_SHARE), weights=list(KIND_SHARE.values()))[0]
        status = _weighted(rng, STATUS_MIX[kind])
        counters[kind] += 1
        created = now - timedelta(minutes=rng.randint(10, 365 * 24 * 60))
        worker = rng.randint(1, workers)
        cases.append(
            {
                "id": i,
                "kind": kind,
                "reference": f"{PREFIX[kind]}-2026-{counters[kind]:06d}",
                "status": status,
                "is_open": _is_open(kind, status),
                "version": 1,
                "worker_id": worker if kind != "complaint" or i % 3 else None,
                "language": LANGS[worker % len(LANGS)],
                "channel": rng.choice(("voice", "sms", "whatsapp", "web")),
                "conversation_id": None,
                "district": DISTRICTS[worker % len(DISTRICTS)],
                "scheme": "bocw_welfare" if kind in ("renewal", "restart") else None,
                "due_at": created + timedelta(days=30 if kind == "claim" else 7),
                "assigned_to": None,
                "created_at": created,
                "updated_at": created,
                "closed_at": None if _is_open(kind, status) else created + timedelta(days=5),
            }
        )
    return cases


def _requests(cases: list[dict[str, Any]], kind: str) -> Iterator[dict[str, Any]]:
    for c in cases:
        if c["kind"] != kind:
            continue
        base = {"reference": c["reference"], "case_id": c["id"], "created_at": c["created_at"]}
        worker = c["worker_id"]
        if kind == "claim":
            yield {
                **base,
                "worker_id": worker,
                "claim_type": CLAIM_TYPES[c["id"] % len(CLAIM_TYPES)],
                "incident_date": c["created_at"].date() - timedelta(days=3),
                "description": "",
                "bank_last4": "1234",
                "submitted_on": c["created_at"].date(),
                "channel": c["channel"],
                "updated_at": c["created_at"],
            }
        elif kind == "renewal":
            yield {
                **base,
                "worker_id": worker,
                "enrollment_id": worker,
                "scheme_code": "bocw_welfare",
                "channel": c["channel"],
            }
        elif kind == "restart":
            yield {**base, "worker_id": worker, "pension_account_id": worker, "note": ""}
        elif kind == "complaint":
            yield {
                **base,
                "category": CATEGORIES[c["id"] % len(CATEGORIES)],
                "text": "the office does not answer",
                "channel": c["channel"],
                "language": c["language"],
                "worker_id": worker,
            }


def _callbacks(cases: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for c in cases:
        if c["kind"] == "callback":
            yield {
                "case_id": c["id"],
                "phone": f"+9197{c['id']:08d}",
                "source": "missed_call",
                "reason": "",
                "transcript": [],
                "attempts": 0,
            }


def _events(cases: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for c in cases:
        yield {
            "case_id": c["id"],
            "at": c["created_at"],
            "actor": "bench",
            "role": "worker",
            "from_status": None,
            "to_status": c["status"],
            "version": 1,
            "documents": [],
            "note": "",
        }


def _conversations(engine: Engine, calls: int, now: datetime) -> dict[str, int]:
    rng = random.Random(11)

    def voice() -> Iterator[dict[str, Any]]:
        for i in range(calls):
            at = now - timedelta(minutes=rng.randint(1, 90 * 24 * 60))
            yield {
                "call_sid": f"CA{i:032d}",
                "caller": f"+9196{i:08d}",
                "direction": "inbound",
                "language": LANGS[i % len(LANGS)],
                "slow": False,
                "turn": 5,
                "mode": "menu",
                "mode_data": {},
                "last_prompt": [],
                "misses": 0,
                "failures": 0,
                "transcript": [],
                "references": [],
                "status": "ended",
                "created_at": at,
                "updated_at": at,
            }

    def tickets() -> Iterator[dict[str, Any]]:
        for i in range(calls // 5):
            at = now - timedelta(minutes=rng.randint(1, 90 * 24 * 60))
            yield {
                "reference": f"HND-2026-{i + 1:06d}",
                "conversation_id": f"rasa:voice:CA{i:032d}",
                "channel": "voice",
                "language": LANGS[i % len(LANGS)],
                "reason": "pressed_zero",
                "status": "closed",
                "created_at": at,
                "updated_at": at,
                "closed_at": at,
            }

    def contacts() -> Iterator[dict[str, Any]]:
        for i in range(calls // 2):
            at = now - timedelta(minutes=rng.randint(1, 90 * 24 * 60))
            yield {
                "address": f"+9195{i:08d}",
                "language": LANGS[i % len(LANGS)],
                "last_sms_in_at": at if i % 2 else None,
                "last_whatsapp_in_at": None if i % 2 else at,
                "choices": [],
                "updated_at": at,
            }

    return {
        "voice_calls": _insert(engine, "voice_calls", voice()),
        "handoff_tickets": _insert(engine, "handoff_tickets", tickets()),
        "messaging_contacts": _insert(engine, "messaging_contacts", contacts()),
    }


def load(engine: Engine, n: int) -> dict[str, int]:
    """Everything the bench reads, then VACUUM ANALYZE (planner statistics, visibility map)."""
    now = datetime.now(UTC)
    workers = max(100, n // 5)
    counts = {"workers": _insert(engine, "workers", _workers(workers, now))}

    def enrollments() -> Iterator[dict[str, Any]]:
        for i in range(1, workers + 1):
            yield {
                "id": i,
                "worker_id": i,
                "scheme_code": "bocw_welfare",
                "status": "active",
                "valid_until": now.date() + timedelta(days=30),
                "renewable": True,
                "created_at": now,
            }

    def pensions() -> Iterator[dict[str, Any]]:
        for i in range(1, workers + 1):
            yield {
                "id": i,
                "worker_id": i,
                "scheme_code": "bocw_welfare",
                "monthly_amount": 3000,
                "status": "stopped",
                "stop_reason": "life_certificate_not_submitted",
            }

    counts["enrollments"] = _insert(engine, "enrollments", enrollments())
    counts["pension_accounts"] = _insert(engine, "pension_accounts", pensions())
    cases = plan(n, workers, now)
    counts["cases"] = _insert(engine, "cases", iter(cases))
    for kind, table in (
        ("claim", "claims"),
        ("renewal", "renewal_requests"),
        ("restart", "pension_restart_requests"),
        ("complaint", "feedback"),
    ):
        counts[table] = _insert(engine, table, _requests(cases, kind))
    counts["callback_requests"] = _insert(engine, "callback_requests", _callbacks(cases))
    counts["case_events"] = _insert(engine, "case_events", _events(cases))
    counts.update(_conversations(engine, n // 2, now))
    with engine.begin() as conn:
        conn.execute(text("SELECT setval('cases_id_seq', (SELECT max(id) FROM cases))"))
        for name in ("workers", "enrollments", "pension_accounts"):
            sql = f"SELECT setval('{name}_id_seq', (SELECT max(id) FROM {name}))"  # noqa: S608
            conn.execute(text(sql))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))  # a year-old table: autovacuum has run
    return counts
