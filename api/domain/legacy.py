"""What a legacy register row must satisfy to become a record here (pure).

A claim arrives with the status the old office gave it; it is accepted only if an officer could
have brought a fresh claim there under `api/domain/casework.py`: the moves from the first status
are walked and each one's needs (amount, payment date, reason code, documents) checked with the
same `check_decision`, so an imported case is one officers can go on deciding like any other.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import date

from api.domain import casework
from api.domain.errors import DomainError
from api.domain.pension import STOP_REASONS

PENSION_STATUSES = ("active", "stopped")


@dataclass(frozen=True)
class LegacyClaim:
    claim_type: str
    status: str
    submitted_on: date
    incident_date: date | None = None
    amount_approved: int | None = None
    amount_paid: int | None = None
    paid_on: date | None = None
    reason: str | None = None
    documents: tuple[str, ...] = ()


def path_to(kind: str, target: str) -> list[casework.Rule]:
    """The shortest chain of allowed moves from the kind's first status to `target`."""
    start = casework.INITIAL_STATUS[kind]
    previous: dict[str, casework.Rule | None] = {start: None}
    todo = deque([start])
    while todo:
        status = todo.popleft()
        for rule in casework.RULES.get(kind, ()):
            if rule.source == status and rule.target not in previous:
                previous[rule.target] = rule
                todo.append(rule.target)
    if target not in previous:
        raise DomainError("invalid_input", f"Unknown {kind} status.", field="status")
    chain: list[casework.Rule] = []
    step = previous[target]
    while step is not None:
        chain.append(step)
        step = previous[step.source]
    return chain[::-1]


def _decision(claim: LegacyClaim, rule: casework.Rule) -> casework.Decision:
    amounts = {"approved": claim.amount_approved, "paid": claim.amount_paid}
    return casework.Decision(
        status=rule.target,
        version=1,
        reason=claim.reason if rule.target == "rejected" else None,
        amount=amounts.get(rule.target),
        documents=claim.documents if rule.target == "documents_pending" else (),
        paid_on=claim.paid_on if rule.target == "paid" else None,
    )


def _role(rule: casework.Rule) -> casework.Role:
    for role in (casework.Role.OFFICER, casework.Role.SUPERVISOR, casework.Role.WORKER):
        if role in rule.roles:
            return role
    return casework.Role.SYSTEM


def claim_problems(claim: LegacyClaim, *, amount_max: int | None, today: date) -> list[DomainError]:
    """Why the register's claim cannot stand here (empty when it can)."""
    problems: list[DomainError] = []
    if claim.submitted_on > today:
        problems.append(DomainError("invalid_date", "Filed after today.", field="submitted_on"))
    if claim.incident_date is not None and claim.incident_date > claim.submitted_on:
        problems.append(
            DomainError("invalid_date", "The incident is after the filing.", field="incident_date")
        )
    try:
        chain = path_to(casework.CaseKind.CLAIM, claim.status)
    except DomainError as exc:
        return [*problems, exc]
    used = {"approved": "amount_approved", "paid": "amount_paid", "rejected": "reason"}
    reached = {rule.target for rule in chain}
    for status, column in used.items():
        if getattr(claim, column) is not None and status not in reached:
            problems.append(
                DomainError("invalid_input", f"Not used for a {claim.status} claim.", field=column)
            )
    if claim.paid_on is not None and "paid" not in reached:
        problems.append(
            DomainError("invalid_input", f"Not used for a {claim.status} claim.", field="paid_on")
        )
    for rule in chain:
        facts = casework.CaseFacts(
            kind=casework.CaseKind.CLAIM,
            status=rule.source,
            version=1,
            claim_type=claim.claim_type,
            approved_amount=claim.amount_approved,
            submitted_on=claim.submitted_on,
        )
        try:
            casework.check_decision(
                facts, _decision(claim, rule), _role(rule), amount_max=amount_max, today=today
            )
        except DomainError as exc:
            if exc.field == "amount" and rule.target in used:
                exc.field = used[rule.target]
            problems.append(exc)
    return problems


def pension_problems(
    status: str,
    stop_reason: str | None,
    dates: dict[str, date | None],
    *,
    today: date,
) -> list[tuple[str, str]]:
    """(column, reason) for a pension account as the register has it."""
    out: list[tuple[str, str]] = []
    if status not in PENSION_STATUSES:
        out.append(("status", f"must be {' or '.join(PENSION_STATUSES)}"))
    elif status == "stopped" and not stop_reason:
        out.append(("stop_reason", "required for a stopped pension"))
    elif status == "active" and stop_reason:
        out.append(("stop_reason", "only for a stopped pension"))
    if stop_reason and stop_reason not in STOP_REASONS:
        out.append(("stop_reason", f"must be one of {', '.join(STOP_REASONS)}"))
    for column in ("stopped_on", "last_paid_on"):
        day = dates.get(column)
        if day is not None and day > today:
            out.append((column, "after today"))
    return out
