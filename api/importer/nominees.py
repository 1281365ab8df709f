"""Nominees file: one row per worker (upsert by UAN; the worker must already be imported).

A new nominee is stored as the register has it; a changed one goes through the nominee service,
so the change keeps its history row, reference and audit entry like one made on the helpline.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.db.models import Nominee, Worker
from api.domain.codes import RELATIONS
from api.domain.errors import DomainError
from api.importer.fields import Cells, Planned, worker_row
from api.services import nominee as nominee_service
from api.services.context import Ctx

COLUMNS = ("uan", "nominee_name", "relation")


class NomineesKind:
    name = "nominees"
    columns: tuple[str, ...] = COLUMNS
    required: tuple[str, ...] = COLUMNS

    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        self.first: dict[str, int] = {}  # uan -> line

    def read(self, row: dict[str, str], planned: Planned) -> dict[str, Any]:
        cells = Cells(row, planned, COLUMNS)
        name = cells.text("nominee_name", required=True)
        if name:
            try:
                name = nominee_service.clean_name(name)
            except DomainError as exc:
                planned.fail("nominee_name", exc.message)
        relation = cells.choice("relation", RELATIONS, required=True)
        return {"uan": cells.uan(), "name": name, "relation": relation}

    def plan(self, session: Session, batch: list[Planned]) -> None:
        good = [p for p in batch if not p.errors and p.record]
        uans = sorted({p.record["uan"] for p in good if p.record})
        rows = session.execute(
            select(Worker, Nominee)
            .outerjoin(Nominee, Nominee.worker_id == Worker.id)
            .where(Worker.uan.in_(uans))
        ).tuples()
        stored = {w.uan: (w, n) for w, n in rows}
        for p in good:
            found = worker_row(p, stored, self.first)
            if found is None:
                continue
            assert p.record is not None
            worker, current = found
            if current is None:
                p.action = "insert"
            else:
                p.changed = [
                    c
                    for c, f in (("nominee_name", "name"), ("relation", "relation"))
                    if getattr(current, f) != p.record[f]
                ]
                p.action = "update" if p.changed else "unchanged"
            p.op = (worker, current)

    def apply(self, session: Session, batch: list[Planned]) -> None:
        for p in batch:
            assert p.record is not None
            worker, _ = p.op
            if p.action == "insert":
                session.add(
                    Nominee(
                        worker_id=worker.id, name=p.record["name"], relation=p.record["relation"]
                    )
                )
            elif p.action == "update":
                nominee_service.update_nominee(
                    session, self.ctx, worker, name=p.record["name"], relation=p.record["relation"]
                )
        session.flush()
