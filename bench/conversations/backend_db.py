"""The backend's database as the runner sees it: reset the demo workers, read what was filed.

Why a reset before every conversation: the demo workers' state changes as conversations file
things (a renewal sent is no longer renewable, a second restart request returns the first, wrong
dates of birth lock a worker out), so without it a result would depend on the order of the
suite. Rows are attributed to a conversation by id watermarks taken after the reset (the runner
plays one conversation at a time) and, where the backend records it, by the conversation id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from api.db.models import (
    AuditLog,
    Case,
    Claim,
    ClaimDocument,
    CorrectionRequest,
    Enrollment,
    Feedback,
    HandoffTicket,
    MessagingContact,
    Nominee,
    NomineeChange,
    PensionAccount,
    PensionRestartRequest,
    ReminderPreference,
    RenewalRequest,
    VerificationAttempt,
    VerificationCounter,
    VerificationSession,
    WebchatSession,
    Worker,
)
from api.db.session import make_engine
from api.domain.otp import derive_key, otp_code
from api.seed import valid_until
from api.services.context import local_today

DATASET = Path(__file__).resolve().parents[2] / "api" / "data" / "demo_dataset.yaml"
WATERMARKED = {
    "claim": Claim,
    "renewal": RenewalRequest,
    "restart": PensionRestartRequest,
    "nominee": NomineeChange,
    "feedback": Feedback,
    "handoff": HandoffTicket,
    "correction": CorrectionRequest,
    "audit": AuditLog,
}
STATUS_READS = ("status.read", "pension.read")
TRACK_READ = "request.track"  # a request looked up by its reference (found: outcome "ok")
UAN_SENT = "uan.recover"  # a lost UAN queued to the registered phone
SETTINGS_CHANGED = "worker.preference"  # decision calls or reminders chosen by the worker
KIND_FIELD = {
    "claim": "claims",
    "renewal": "renewals",
    "restart": "restarts",
    "nominee": "nominees",
    "feedback": "feedback",
    "handoff": "handoffs",
    "correction": "corrections",
}


@dataclass(frozen=True)
class DemoWorker:
    key: str  # first name, lower case: rina, ramesh, anwar, sunita
    uan: str
    date_of_birth: str
    phone: str
    data: dict[str, Any]


@lru_cache(maxsize=1)
def demo_workers() -> dict[str, DemoWorker]:
    doc = yaml.safe_load(DATASET.read_text(encoding="utf-8"))
    found = {}
    for data in doc["workers"]:
        key = data["name"]["en"].split()[0].lower()
        found[key] = DemoWorker(
            key, str(data["uan"]), str(data["date_of_birth"]), data["phone"], data
        )
    return found


@dataclass
class Filed:
    """What the backend holds that this conversation caused."""

    claims: list[dict[str, Any]] = field(default_factory=list)
    renewals: list[dict[str, Any]] = field(default_factory=list)
    restarts: list[dict[str, Any]] = field(default_factory=list)
    nominees: list[dict[str, Any]] = field(default_factory=list)
    feedback: list[dict[str, Any]] = field(default_factory=list)
    handoffs: list[dict[str, Any]] = field(default_factory=list)
    corrections: list[dict[str, Any]] = field(default_factory=list)
    status_reads: list[dict[str, Any]] = field(default_factory=list)
    tracks: list[dict[str, Any]] = field(default_factory=list)
    uan_sms: list[dict[str, Any]] = field(default_factory=list)
    settings: list[dict[str, Any]] = field(default_factory=list)

    def count(self, kind: str) -> int:
        """Rows of one FILED_KINDS kind (claim, renewal, restart, nominee, feedback, handoff)."""
        return len(getattr(self, KIND_FIELD[kind]))

    def as_dict(self) -> dict[str, list[dict[str, Any]]]:
        return {k: v for k, v in self.__dict__.items() if v}


class BackendDb:
    """One engine on the stack's DATABASE_URL (SQLite in WAL mode tolerates a second writer)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._engine: Engine | None = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = make_engine(self.url)
        return self._engine

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def reset(self) -> None:
        """Put every demo worker back as the demo dataset has them (rows filed are deleted)."""
        with Session(self.engine) as s, s.begin():
            for person in demo_workers().values():
                worker = s.execute(select(Worker).where(Worker.uan == person.uan)).scalar_one()
                _reset_worker(s, worker, person.data)

    def newest_web_conversation(self) -> str | None:
        """The conversation id of the newest web chat session (the visitor being played)."""
        with Session(self.engine) as s:
            return s.execute(
                select(WebchatSession.conversation_id).order_by(WebchatSession.id.desc()).limit(1)
            ).scalar()

    def one_time_code(self, uan: str, session_secret: str) -> str | None:
        """The code the worker's phone has just received by SMS: the runner reads it the way
        the worker would read it off the phone (the stack texts it only to the registered
        number, which the runner does not hold), from the newest unused code of the worker."""
        with Session(self.engine) as s:
            nonce = s.execute(
                select(VerificationSession.otp_nonce)
                .join(Worker, Worker.id == VerificationSession.worker_id)
                .where(Worker.uan == uan, VerificationSession.otp_nonce.is_not(None))
                .order_by(VerificationSession.otp_sent_at.desc())
                .limit(1)
            ).scalar()
        if not nonce or not session_secret:
            return None
        return otp_code(derive_key(session_secret), nonce)

    def marks(self) -> dict[str, int]:
        with Session(self.engine) as s:
            return {
                kind: int(s.execute(select(func.max(model.id))).scalar() or 0)  # type: ignore[attr-defined]  # every watermarked table has an integer id
                for kind, model in WATERMARKED.items()
            }

    def filed(self, marks: dict[str, int], conversation_id: str) -> Filed:
        """Rows created since `marks`; hand-overs and status reads of this conversation only."""
        out = Filed()
        with Session(self.engine) as s:
            uans = dict(s.execute(select(Worker.id, Worker.uan)).all())

            def new(kind: str) -> Any:
                model = WATERMARKED[kind]
                return s.execute(select(model).where(model.id > marks[kind]).order_by(model.id))  # type: ignore[attr-defined]  # as above

            for c in new("claim").scalars():
                out.claims.append(
                    {"reference": c.reference, "type": c.claim_type, "uan": uans.get(c.worker_id)}
                )
            for r in new("renewal").scalars():
                out.renewals.append(
                    {
                        "reference": r.reference,
                        "scheme": r.scheme_code,
                        "uan": uans.get(r.worker_id),
                    }
                )
            for r in new("restart").scalars():
                out.restarts.append({"reference": r.reference, "uan": uans.get(r.worker_id)})
            for n in new("nominee").scalars():
                out.nominees.append(
                    {
                        "reference": n.reference,
                        "name": n.new_name,
                        "relation": n.new_relation,
                        "uan": uans.get(n.worker_id),
                    }
                )
            for f in new("feedback").scalars():
                out.feedback.append(
                    {
                        "reference": f.reference,
                        "category": f.category,
                        "language": f.language,
                        "channel": f.channel,
                    }
                )
            for c in new("correction").scalars():
                out.corrections.append(
                    {"reference": c.reference, "field": c.field, "uan": uans.get(c.worker_id)}
                )
            for t in new("handoff").scalars():
                if t.conversation_id == conversation_id:
                    out.handoffs.append({"reference": t.reference, "reason": t.reason})
            for a in new("audit").scalars():
                if a.actor != conversation_id:
                    continue
                row = {"action": a.action, "uan": uans.get(a.worker_id)}
                if a.action in STATUS_READS:
                    out.status_reads.append(row)
                elif a.action == TRACK_READ and a.outcome == "ok":
                    out.tracks.append(row)
                elif a.action == UAN_SENT:
                    out.uan_sms.append(row)
                elif a.action == SETTINGS_CHANGED:
                    out.settings.append(row)
        return out


def _reset_worker(s: Session, worker: Worker, data: dict[str, Any]) -> None:
    # a language chosen on the line becomes the worker's preference and the number's memory
    worker.preferred_language = data.get("preferred_language", "en")
    worker.notify_by_call = False  # how the worker is told: nothing chosen yet (a phone
    # filing offers decision calls until a choice is audited, api/services/notify_settings.py)
    s.execute(delete(ReminderPreference).where(ReminderPreference.worker_id == worker.id))
    chose = (AuditLog.worker_id == worker.id) & (AuditLog.action == SETTINGS_CHANGED)
    s.execute(delete(AuditLog).where(chose))
    s.execute(delete(MessagingContact).where(MessagingContact.address == data["phone"]))
    seeded = {c["reference"] for c in data.get("claims", [])}
    extra = select(Claim.id).where(Claim.worker_id == worker.id, Claim.reference.not_in(seeded))
    ids = list(s.execute(extra).scalars())
    if ids:
        s.execute(delete(ClaimDocument).where(ClaimDocument.claim_id.in_(ids)))
        s.execute(delete(Claim).where(Claim.id.in_(ids)))
    for model in (
        RenewalRequest,
        PensionRestartRequest,
        NomineeChange,
        CorrectionRequest,
        VerificationAttempt,
    ):
        s.execute(delete(model).where(model.worker_id == worker.id))
    # the cases of what was just removed (a case of a seeded claim is still referenced)
    kept = select(Claim.case_id).where(Claim.worker_id == worker.id)
    s.execute(delete(Case).where(Case.worker_id == worker.id, Case.id.not_in(kept)))
    # every conversation starts with no failed tries counted (per UAN, caller or network)
    s.execute(delete(VerificationCounter))
    for e in data.get("enrollments", []):
        row = s.execute(
            select(Enrollment).where(
                Enrollment.worker_id == worker.id, Enrollment.scheme_code == e["scheme"]
            )
        ).scalar_one_or_none()
        if row is not None:
            row.status = e["status"]
            row.valid_until = valid_until(e, local_today())  # as seeded: relative days too
            row.renewable = bool(e.get("renewable", False))
    pension = data.get("pension")
    account = s.execute(
        select(PensionAccount).where(PensionAccount.worker_id == worker.id)
    ).scalar_one_or_none()
    if pension and account is not None:
        account.status = pension["status"]
        account.stop_reason = pension.get("stop_reason")
        account.stopped_on = pension.get("stopped_on")
        account.last_paid_on = pension.get("last_paid_on")
    nominee = s.execute(select(Nominee).where(Nominee.worker_id == worker.id)).scalar_one_or_none()
    wanted = data.get("nominee")
    if wanted and nominee is not None:
        nominee.name, nominee.relation = wanted["name"], wanted["relation"]
    elif wanted:
        s.add(Nominee(worker_id=worker.id, name=wanted["name"], relation=wanted["relation"]))
