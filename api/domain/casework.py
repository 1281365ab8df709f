"""The life of a case, written once as data: which status may follow which, who may make the
move, and what the move needs (an amount, a reason code, documents, a note).

Every request a worker makes (claim, renewal, pension restart, complaint, call-back, correction
of the record) is a case;
api/services/casework.py enforces these rules for the staff API, the worker API and the phone
line alike, so no adapter can decide a case its own way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from api.domain.claims import DOCUMENTS_BY_TYPE
from api.domain.corrections import document_codes
from api.domain.errors import DomainError

DEFAULT_DUE_DAYS = 30  # days to decide a kind of case CASE_DUE_DAYS leaves out


class CaseKind(StrEnum):
    CLAIM = "claim"
    RENEWAL = "renewal"
    RESTART = "restart"
    COMPLAINT = "complaint"
    CALLBACK = "callback"
    CORRECTION = "correction"


class Role(StrEnum):
    """Who moves a case: officers and supervisors (staff API), the worker, the system itself."""

    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    WORKER = "worker"
    SYSTEM = "system"


class Need(StrEnum):
    """What a transition must carry."""

    AMOUNT = "amount"
    PAID_ON = "paid_on"
    REASON = "reason"
    DOCUMENTS = "documents"
    NOTE = "note"


class CallOutcome(StrEnum):
    REACHED = "reached"
    NO_ANSWER = "no_answer"
    WRONG_NUMBER = "wrong_number"


KINDS: tuple[str, ...] = tuple(CaseKind)
STAFF_ROLES: tuple[str, ...] = (Role.OFFICER, Role.SUPERVISOR)
CALL_OUTCOMES: tuple[str, ...] = tuple(CallOutcome)
MAX_CALL_ATTEMPTS = 3

INITIAL_STATUS: dict[str, str] = {
    CaseKind.CLAIM: "submitted",
    CaseKind.RENEWAL: "submitted",
    CaseKind.RESTART: "submitted",
    CaseKind.COMPLAINT: "received",
    CaseKind.CALLBACK: "waiting",
    CaseKind.CORRECTION: "submitted",
}

# Codes an officer gives when refusing; labelled in the catalogs as `reason.<code>`.
REJECTION_REASONS: dict[str, tuple[str, ...]] = {
    CaseKind.CLAIM: (
        "not_a_member",
        "membership_not_active",
        "event_not_covered",
        "documents_not_received",
        "details_do_not_match",
        "duplicate_request",
        "filed_too_late",
    ),
    CaseKind.RENEWAL: (
        "not_a_member",
        "documents_not_received",
        "details_do_not_match",
        "duplicate_request",
        "no_longer_eligible",
    ),
    CaseKind.RESTART: (
        "life_certificate_not_received",
        "bank_details_not_updated",
        "documents_not_received",
        "details_do_not_match",
        "no_longer_eligible",
    ),
    CaseKind.CORRECTION: (
        "documents_not_received",
        "details_do_not_match",
        "duplicate_request",
    ),
}
ALL_REJECTION_REASONS: tuple[str, ...] = tuple(
    dict.fromkeys(code for codes in REJECTION_REASONS.values() for code in codes)
)

_STAFF = frozenset({Role.OFFICER, Role.SUPERVISOR})
_SUPERVISOR = frozenset({Role.SUPERVISOR})
_WORKER = frozenset({Role.WORKER})
_SYSTEM = frozenset({Role.SYSTEM})


@dataclass(frozen=True)
class Rule:
    """One allowed move: from `source` to `target`, by `roles`, carrying `needs`."""

    source: str
    target: str
    roles: frozenset[Role]
    needs: frozenset[Need] = frozenset()


def _rules(*rows: tuple[str, str, frozenset[Role], tuple[Need, ...]]) -> tuple[Rule, ...]:
    return tuple(Rule(s, t, roles, frozenset(needs)) for s, t, roles, needs in rows)


_CLAIM_OPEN = ("submitted", "under_review", "documents_pending")
_CORRECTION_OPEN = _CLAIM_OPEN
RULES: dict[str, tuple[Rule, ...]] = {
    CaseKind.CLAIM: _rules(
        ("submitted", "under_review", _STAFF, ()),
        ("submitted", "documents_pending", _STAFF, (Need.DOCUMENTS,)),
        ("under_review", "documents_pending", _STAFF, (Need.DOCUMENTS,)),
        ("documents_pending", "under_review", _STAFF, ()),  # the documents arrived
        ("under_review", "approved", _STAFF, (Need.AMOUNT,)),
        ("approved", "paid", _STAFF, (Need.AMOUNT, Need.PAID_ON)),
        *((s, "rejected", _STAFF, (Need.REASON,)) for s in _CLAIM_OPEN),
        # an approved claim is refused only by a supervisor (money was promised)
        ("approved", "rejected", _SUPERVISOR, (Need.REASON,)),
        *((s, "withdrawn", _WORKER, ()) for s in _CLAIM_OPEN),
    ),
    CaseKind.RENEWAL: _rules(
        ("submitted", "approved", _STAFF, ()),
        ("submitted", "rejected", _STAFF, (Need.REASON,)),
    ),
    CaseKind.RESTART: _rules(
        ("submitted", "approved", _STAFF, ()),
        ("submitted", "rejected", _STAFF, (Need.REASON,)),
    ),
    CaseKind.COMPLAINT: _rules(
        ("received", "in_progress", _STAFF, ()),
        ("in_progress", "resolved", _STAFF, (Need.NOTE,)),
        # closing without a resolution is a supervisor's call, so no complaint is buried
        ("received", "closed", _SUPERVISOR, (Need.NOTE,)),
        ("in_progress", "closed", _SUPERVISOR, (Need.NOTE,)),
    ),
    CaseKind.CALLBACK: _rules(
        ("waiting", "reached", _STAFF, ()),
        ("waiting", "wrong_number", _STAFF, ()),
        ("waiting", "unreachable", _SYSTEM, ()),  # after MAX_CALL_ATTEMPTS unanswered calls
        ("waiting", "closed", _STAFF, (Need.NOTE,)),
    ),
    # approval changes the worker's record (api/services/corrections.py): only after review
    CaseKind.CORRECTION: _rules(
        ("submitted", "under_review", _STAFF, ()),
        ("submitted", "documents_pending", _STAFF, (Need.DOCUMENTS,)),
        ("under_review", "documents_pending", _STAFF, (Need.DOCUMENTS,)),
        ("documents_pending", "under_review", _STAFF, ()),  # the documents arrived
        ("under_review", "approved", _STAFF, ()),
        *((s, "rejected", _STAFF, (Need.REASON,)) for s in _CORRECTION_OPEN),
        *((s, "withdrawn", _WORKER, ()) for s in _CORRECTION_OPEN),
    ),
}

STATUSES: dict[str, tuple[str, ...]] = {
    kind: tuple(
        dict.fromkeys(
            [INITIAL_STATUS[kind], *(r.target for r in rules), *(r.source for r in rules)]
        )
    )
    for kind, rules in RULES.items()
}
TERMINAL: dict[str, frozenset[str]] = {
    kind: frozenset(s for s in statuses if not any(r.source == s for r in RULES[kind]))
    for kind, statuses in STATUSES.items()
}
ALL_STATUSES: tuple[str, ...] = tuple(dict.fromkeys(s for v in STATUSES.values() for s in v))


@dataclass(frozen=True)
class Decision:
    """What an officer (or the worker) asks for; `version` is the case version they saw."""

    status: str
    version: int
    reason: str | None = None
    amount: int | None = None
    documents: tuple[str, ...] = ()
    note: str = ""
    paid_on: date | None = None


@dataclass(frozen=True)
class CaseFacts:
    """What the rules need to know about the case being decided."""

    kind: str
    status: str
    version: int
    claim_type: str | None = None
    approved_amount: int | None = None
    submitted_on: date | None = None
    correction_field: str | None = None


def is_open(kind: str, status: str) -> bool:
    return status not in TERMINAL[kind]


def rule_for(kind: str, source: str, target: str) -> Rule | None:
    return next((r for r in RULES.get(kind, ()) if r.source == source and r.target == target), None)


def allowed_moves(kind: str, status: str, role: Role) -> list[str]:
    """Statuses this role may move the case to now (the console shows these as buttons)."""
    return [r.target for r in RULES.get(kind, ()) if r.source == status and role in r.roles]


def check_decision(
    case: CaseFacts,
    decision: Decision,
    role: Role,
    *,
    amount_max: int | None,
    today: date,
) -> Rule:
    """The rule that allows `decision`, or the refusal: stale, illegal, forbidden, bad field."""
    if decision.version != case.version:
        raise DomainError(
            "stale",
            "The case changed since you loaded it; reload it.",
            field="version",
            current_version=case.version,
        )
    rule = rule_for(case.kind, case.status, decision.status)
    if rule is None:
        raise DomainError(
            "invalid_transition",
            f"A {case.kind} case cannot go from {case.status} to {decision.status}.",
            field="status",
            allowed=allowed_moves(case.kind, case.status, role),
        )
    if role not in rule.roles:
        raise DomainError("forbidden", f"A {role} may not make this decision.", field="status")
    _check_needs(case, decision, rule, amount_max=amount_max, today=today)
    return rule


def _check_needs(
    case: CaseFacts, decision: Decision, rule: Rule, *, amount_max: int | None, today: date
) -> None:
    needs = rule.needs
    if Need.REASON in needs:
        if not decision.reason:
            raise DomainError("missing_field", "A reason code is required.", field="reason")
        if decision.reason not in REJECTION_REASONS.get(case.kind, ()):
            raise DomainError(
                "invalid_input",
                "Unknown reason code for this kind of case.",
                field="reason",
                allowed=list(REJECTION_REASONS.get(case.kind, ())),
            )
    if Need.DOCUMENTS in needs:
        _check_documents(case, decision.documents)
    if Need.AMOUNT in needs:
        _check_amount(case, decision, amount_max)
    if Need.PAID_ON in needs:
        if decision.paid_on is None:
            raise DomainError("missing_field", "The payment date is required.", field="paid_on")
        if decision.paid_on > today or (
            case.submitted_on is not None and decision.paid_on < case.submitted_on
        ):
            raise DomainError(
                "invalid_date",
                "The payment date must be between filing and today.",
                field="paid_on",
            )
    if Need.NOTE in needs and not decision.note.strip():
        raise DomainError("missing_field", "A note for the worker is required.", field="note")


def _check_documents(case: CaseFacts, documents: tuple[str, ...]) -> None:
    if not documents:
        raise DomainError("missing_field", "Name the documents to bring.", field="documents")
    if case.kind == CaseKind.CORRECTION:
        needed = tuple(document_codes(case.correction_field)) if case.correction_field else ()
    else:
        needed = DOCUMENTS_BY_TYPE.get(case.claim_type or "", ())
    unknown = [code for code in documents if code not in needed]
    if unknown:
        raise DomainError(
            "invalid_input",
            f"This request does not need {unknown[0]}.",
            field="documents",
            allowed=list(needed),
        )


def _check_amount(case: CaseFacts, decision: Decision, amount_max: int | None) -> None:
    amount = decision.amount
    if amount is None:
        raise DomainError("missing_field", "The amount is required.", field="amount")
    if amount <= 0:
        raise DomainError("invalid_input", "The amount must be above zero.", field="amount")
    if amount_max is not None and amount > amount_max:
        raise DomainError(
            "invalid_input",
            f"The scheme pays at most {amount_max} for this claim type.",
            field="amount",
            maximum=amount_max,
        )
    approved = case.approved_amount
    if decision.status == "paid" and approved is not None and amount > approved:
        raise DomainError(
            "invalid_input",
            "The amount paid cannot exceed the amount approved.",
            field="amount",
            maximum=case.approved_amount,
        )


def after_call(attempts: int, outcome: str) -> tuple[str | None, int]:
    """A call-back attempt's outcome -> (the status it moves to, None to keep waiting; attempts).

    Three unanswered calls end the case as unreachable (the worker is then texted).
    """
    if outcome not in CALL_OUTCOMES:
        raise DomainError("invalid_input", "Unknown call outcome.", field="outcome")
    tried = attempts + 1
    if outcome == CallOutcome.REACHED:
        return "reached", tried
    if outcome == CallOutcome.WRONG_NUMBER:
        return "wrong_number", tried
    return ("unreachable" if tried >= MAX_CALL_ATTEMPTS else None), tried


MIN_WAIT_MINUTES = 2  # picking up a call takes an officer a minute or two even with nobody ahead


def expected_wait_minutes(waiting_ahead: int, officers_on_duty: int, minutes_each: int) -> int:
    """A caller's expected wait for an officer: the tickets ahead shared among those on duty."""
    share = -(-max(0, waiting_ahead) * max(1, minutes_each) // max(1, officers_on_duty))
    return max(MIN_WAIT_MINUTES, share)
