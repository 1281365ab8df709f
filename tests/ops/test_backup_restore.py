"""Backups that restore: taken while a writer commits, restored into a fresh database, on SQLite
and on PostgreSQL, they give back the state at backup time (api/db/backup.py).

"At backup time" with a writer running means: the writer's transactions each insert a queued
message and bump one case's version together, so a consistent backup holds exactly its first k
messages (no gap) and that case at version v0 + k, and k lies between what had committed when
the backup started and when it ended. Everything else (workers' memberships and pensions, open
cases, queued messages) must equal what it was before the backup, not the changes made after.
"""

from __future__ import annotations

import os
import secrets
import stat
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text, update

from api.db import backup as backups
from api.db.migrate import upgrade
from api.db.models import Case, Enrollment, OutboundMessage, PensionAccount, Worker
from api.db.session import dispose_engines, make_engine, session_scope
from api.messaging.outbound import enqueue
from api.seed import seed_demo
from api.services.cases import open_case
from api.services.context import Ctx
from api.settings import get_settings
from tests.factory import RAMESH, RINA
from tests.services import POSTGRES_ADMIN_URL, require_service

WRITER_PREFIX = "backup-test-writer:"
Snapshot = dict[str, dict[Any, dict[str, Any]]]


def _use(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DEMO_MODE"] = "true"
    get_settings.cache_clear()


@pytest.fixture(params=["sqlite", "postgres"])
def new_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], str]]:
    """Makes empty databases of one kind, each uniquely named; drops them all afterwards."""
    old = os.environ.get("DATABASE_URL")
    made: list[str] = []
    admin = None
    if request.param == "postgres":
        require_service("postgres")
        admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")

    def make() -> str:
        name = f"shramik_backup_{secrets.token_hex(4)}"
        if admin is None:
            return f"sqlite:///{tmp_path / (name + '.db')}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        made.append(name)
        return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"

    try:
        yield make
    finally:
        dispose_engines()
        if admin is not None:
            with admin.connect() as conn:
                for name in made:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
        if old is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = old
        get_settings.cache_clear()


def _rows(conn: Any, query: Any, key: str) -> dict[Any, dict[str, Any]]:
    return {row[key]: dict(row) for row in conn.execute(query).mappings()}


def snapshot(url: str) -> Snapshot:
    """What a restore must give back: workers' standing, open cases, queued messages."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return {
                "workers": _rows(conn, select(Worker.__table__), "uan"),
                "enrollments": _rows(conn, select(Enrollment.__table__), "id"),
                "pensions": _rows(conn, select(PensionAccount.__table__), "id"),
                "open_cases": _rows(
                    conn, select(Case.__table__).where(Case.is_open.is_(True)), "reference"
                ),
                "queued": _rows(
                    conn,
                    select(OutboundMessage.__table__).where(OutboundMessage.status == "queued"),
                    "dedupe_key",
                ),
            }
    finally:
        engine.dispose()


def without_writer(snap: Snapshot, hot_case: str) -> Snapshot:
    """The snapshot less what the writer changes (its messages, the hot case's version)."""
    cases = {ref: dict(row) for ref, row in snap["open_cases"].items()}
    cases[hot_case].pop("version")
    queued = {k: v for k, v in snap["queued"].items() if not str(k).startswith(WRITER_PREFIX)}
    return {**snap, "open_cases": cases, "queued": queued}


class Writer(threading.Thread):
    """Commits, one transaction at a time, a queued message plus a bump of one case's version."""

    def __init__(self, case_reference: str) -> None:
        super().__init__(daemon=True)
        self.case_reference = case_reference
        self.committed = 0
        self.stop = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                with session_scope() as s:
                    # not enqueue(): on pysqlite its SAVEPOINT opens the transaction and its
                    # release commits it, so message and bump would not go together
                    s.add(
                        OutboundMessage(
                            to_address=RINA.phone,
                            channel="sms",
                            body=f"update {self.committed}",
                            reason="backup-test",
                            dedupe_key=f"{WRITER_PREFIX}{self.committed}",
                            status="queued",
                        )
                    )
                    s.flush()
                    s.execute(
                        update(Case)
                        .where(Case.reference == self.case_reference)
                        .values(version=Case.version + 1)
                    )
                self.committed += 1
                time.sleep(0.001)
        except BaseException as exc:  # surfaced by the test, not lost in the thread
            self.error = exc


def seed(url: str) -> str:
    """Migrate and seed `url` as a live helpline; returns the open case the writer will bump."""
    _use(url)
    upgrade(url)
    with session_scope() as s:
        seed_demo(s)
        for n in range(3):
            enqueue(s, RAMESH.phone, f"reminder {n}", reason="renewal", dedupe_key=f"seeded:{n}")
        sent = enqueue(s, RINA.phone, "already sent", reason="notice", dedupe_key="seeded:sent")
        sent.status = "sent"
        worker = s.execute(select(Worker).where(Worker.uan == RAMESH.uan)).scalar_one()
        for n in range(2):
            reference = f"CB-BACKUP-{n}"
            open_case(s, Ctx(), kind="callback", reference=reference, worker=worker)
        cases = s.execute(select(Case).where(Case.is_open.is_(True))).scalars().all()
        assert len(cases) >= 2, "the demo dataset should hold open cases"
        return cases[0].reference


def change_everything_after_backup(hot_case: str) -> None:
    """Changes made after the backup, which the restored database must not show."""
    with session_scope() as s:
        other = s.execute(
            select(Case).where(Case.is_open.is_(True), Case.reference != hot_case)
        ).scalars()
        case = next(iter(other))
        case.status, case.is_open = "closed", False
        message = s.execute(
            select(OutboundMessage).where(OutboundMessage.dedupe_key == "seeded:0")
        ).scalar_one()
        message.status = "sent"
        enrollment = s.execute(select(Enrollment).order_by(Enrollment.id)).scalars().first()
        assert enrollment is not None
        enrollment.status = "closed" if enrollment.status != "closed" else "active"


def test_a_backup_taken_while_writing_restores_the_state_at_backup_time(
    new_database: Callable[[], str], tmp_path: Path
) -> None:
    source = new_database()
    hot_case = seed(source)
    v0 = snapshot(source)["open_cases"][hot_case]["version"]
    writer = Writer(hot_case)
    writer.start()
    while writer.committed < 5 and writer.is_alive():
        time.sleep(0.005)
    before = without_writer(snapshot(source), hot_case)
    committed_at_start = writer.committed
    started = time.perf_counter()
    path = backups.backup(source, tmp_path / "backups" / "taken-live.bak")
    seconds = time.perf_counter() - started
    committed_at_end = writer.committed
    while writer.committed < committed_at_end + 5 and writer.is_alive():
        time.sleep(0.005)  # the writer goes on after the backup too
    writer.stop.set()
    writer.join(10)
    assert writer.error is None, writer.error
    change_everything_after_backup(hot_case)
    assert without_writer(snapshot(source), hot_case) != before, "the changes should show"

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    dispose_engines()
    fresh = new_database()
    backups.restore(fresh, path)
    restored = snapshot(fresh)

    writes = sorted(
        int(str(key).removeprefix(WRITER_PREFIX))
        for key in restored["queued"]
        if str(key).startswith(WRITER_PREFIX)
    )
    k = len(writes)
    assert writes == list(range(k)), "a backup holds whole transactions, in order, no gap"
    print(
        f"backup {seconds:.3f}s; writer commits: {committed_at_start} at start, {k} in the backup"
    )
    print(f"{committed_at_end} at end")  # shown with pytest -s: how concurrent the run really was
    assert committed_at_start <= k <= committed_at_end + 1, (committed_at_start, k, seconds)
    assert restored["open_cases"][hot_case]["version"] == v0 + k, "message and bump go together"
    assert without_writer(restored, hot_case) == before


def test_restore_overwrites_a_database_in_use_and_it_works_after(
    new_database: Callable[[], str], tmp_path: Path
) -> None:
    source = new_database()
    seed(source)
    before = snapshot(source)
    path = backups.backup(source, tmp_path / "one.bak")
    change_everything_after_backup(next(iter(before["open_cases"])))
    backups.restore(source, path)  # over the changed, migrated, open database
    dispose_engines()
    assert snapshot(source) == before
    with session_scope() as s:  # the app's own engine works on the restored database
        enqueue(s, RINA.phone, "after restore", reason="check", dedupe_key="after-restore")
    upgrade(source)  # a restored database takes the migrations as usual


def test_the_command_line_writes_to_var_backups_and_restore_needs_yes(
    new_database: Callable[[], str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = new_database()
    seed(source)
    os.environ["VAR_DIR"] = str(tmp_path / "var")
    get_settings.cache_clear()
    try:
        assert backups.main(["backup"]) == 0
        written = sorted((tmp_path / "var" / "backups").iterdir())
        assert len(written) == 1 and written[0].name.startswith("shramik-")
        assert stat.S_IMODE(written[0].stat().st_mode) == 0o600
        assert backups.main(["backup", "--file", str(written[0])]) == 1, "never overwrites"
        fresh = new_database()
        refused = backups.main(["--database-url", fresh, "restore", "--file", str(written[0])])
        assert refused == 2 and "--yes" in capsys.readouterr().err
        args = ["--database-url", fresh, "restore", "--file", str(written[0]), "--yes"]
        assert backups.main(args) == 0
        assert snapshot(fresh) == snapshot(source)
        missing = ["restore", "--file", str(tmp_path / "nothing.bak"), "--yes"]
        assert backups.main(missing) == 1
    finally:
        os.environ.pop("VAR_DIR", None)
        get_settings.cache_clear()


def test_restore_refuses_a_file_that_is_not_a_backup(
    new_database: Callable[[], str], tmp_path: Path
) -> None:
    source = new_database()
    seed(source)
    before = snapshot(source)
    junk = tmp_path / "junk.bak"
    junk.write_bytes(b"not a backup at all" * 100)
    with pytest.raises(backups.BackupError):
        backups.restore(source, junk)
    dispose_engines()
    assert snapshot(source) == before
