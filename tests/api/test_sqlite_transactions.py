"""SQLite keeps a savepoint inside the outer transaction (pysqlite alone did not: releasing the
first SAVEPOINT committed it, so an outer rollback kept half of a unit of work)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from api.db.session import make_engine


@pytest.mark.parametrize(("commit", "rows"), [(False, 0), (True, 1)])
def test_a_released_savepoint_follows_its_transaction(
    tmp_path: Path, commit: bool, rows: int
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 't.db'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (n INTEGER)"))
    with Session(engine) as s:
        with s.begin_nested():
            s.execute(text("INSERT INTO t VALUES (1)"))
        s.commit() if commit else s.rollback()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM t")).scalar_one() == rows
    engine.dispose()
