"""The case rules (api/domain/casework.py) against the issue's own table, move by move and role
by role: every pair of statuses of every kind is tried by every role."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from api.domain import casework as rules
from api.domain.errors import DomainError

TODAY = date(2026, 12, 5)
OFF, S, W, Y = "officer", "supervisor", "worker", "system"
STAFF = {OFF, S}

# (kind, from, to): who may. Written from the issue, not from the code.
EXPECTED: dict[tuple[str, str, str], set[str]] = {
    ("claim", "submitted", "under_review"): STAFF,
    ("claim", "submitted", "documents_pending"): STAFF,
    ("claim", "under_review", "documents_pending"): STAFF,
    ("claim", "documents_pending", "under_review"): STAFF,
    ("claim", "under_review", "approved"): STAFF,
    ("claim", "approved", "paid"): STAFF,
    ("claim", "submitted", "rejected"): STAFF,
    ("claim", "under_review", "rejected"): STAFF,
    ("claim", "documents_pending", "rejected"): STAFF,
    ("claim", "approved", "rejected"): {S},
    ("claim", "submitted", "withdrawn"): {W},
    ("claim", "under_review", "withdrawn"): {W},
    ("claim", "documents_pending", "withdrawn"): {W},
    ("renewal", "submitted", "approved"): STAFF,
    ("renewal", "submitted", "rejected"): STAFF,
    ("restart", "submitted", "approved"): STAFF,
    ("restart", "submitted", "rejected"): STAFF,
    ("complaint", "received", "in_progress"): STAFF,
    ("complaint", "in_progress", "resolved"): STAFF,
    ("complaint", "received", "closed"): {S},
    ("complaint", "in_progress", "closed"): {S},
    ("callback", "waiting", "reached"): STAFF,
    ("callback", "waiting", "wrong_number"): STAFF,
    ("callback", "waiting", "closed"): STAFF,
    ("callback", "waiting", "unreachable"): {Y},
    # a correction of the record: approved only after review, since approval changes the record
    ("correction", "submitted", "under_review"): STAFF,
    ("correction", "submitted", "documents_pending"): STAFF,
    ("correction", "under_review", "documents_pending"): STAFF,
    ("correction", "documents_pending", "under_review"): STAFF,
    ("correction", "under_review", "approved"): STAFF,
    ("correction", "submitted", "rejected"): STAFF,
    ("correction", "under_review", "rejected"): STAFF,
    ("correction", "documents_pending", "rejected"): STAFF,
    ("correction", "submitted", "withdrawn"): {W},
    ("correction", "under_review", "withdrawn"): {W},
    ("correction", "documents_pending", "withdrawn"): {W},
}


def _complete(kind: str, target: str) -> rules.Decision:
    """A decision carrying whatever any move could need, so only the move itself is judged."""
    reason = rules.REJECTION_REASONS.get(kind, ("x",))[0]
    return rules.Decision(
        status=target,
        version=4,
        reason=reason,
        amount=1000,
        documents=("aadhaar_card",) if kind == "correction" else ("death_certificate",),
        note="done",
        paid_on=TODAY,
    )


def _cases() -> list[tuple[str, str, str, str]]:
    out = []
    for kind, statuses in rules.STATUSES.items():
        for source, target in itertools.product(statuses, statuses):
            for role in (OFF, S, W, Y):
                out.append((kind, source, target, role))
    return out


@pytest.mark.parametrize(("kind", "source", "target", "role"), _cases())
def test_every_move_by_every_role(kind: str, source: str, target: str, role: str) -> None:
    facts = rules.CaseFacts(
        kind=kind,
        status=source,
        version=4,
        claim_type="accident_death",
        approved_amount=5000,
        submitted_on=date(2026, 11, 1),
        correction_field="name",
    )
    allowed = role in EXPECTED.get((kind, source, target), set())
    try:
        rules.check_decision(
            facts, _complete(kind, target), rules.Role(role), amount_max=200000, today=TODAY
        )
        got = None
    except DomainError as error:
        got = error.code
    if allowed:
        assert got is None
    elif (kind, source, target) in EXPECTED:
        assert got == "forbidden"
    else:
        assert got == "invalid_transition"


def test_the_issue_names_every_status() -> None:
    assert set(rules.STATUSES["claim"]) == {
        "submitted",
        "under_review",
        "documents_pending",
        "approved",
        "paid",
        "rejected",
        "withdrawn",
    }
    assert rules.TERMINAL["claim"] == {"paid", "rejected", "withdrawn"}
    assert rules.TERMINAL["complaint"] == {"resolved", "closed"}
    assert rules.TERMINAL["callback"] == {"reached", "wrong_number", "unreachable", "closed"}
    assert not rules.is_open("renewal", "approved") and rules.is_open("claim", "approved")


def test_a_stale_version_is_refused_before_anything_else() -> None:
    facts = rules.CaseFacts(kind="claim", status="paid", version=3)
    with pytest.raises(DomainError) as caught:
        rules.check_decision(
            facts,
            rules.Decision("approved", version=2),
            rules.Role.OFFICER,
            amount_max=1,
            today=TODAY,
        )
    assert caught.value.code == "stale" and caught.value.extra["current_version"] == 3


@pytest.mark.parametrize(
    ("attempts", "outcome", "expected"),
    [
        (0, "no_answer", (None, 1)),
        (1, "no_answer", (None, 2)),
        (2, "no_answer", ("unreachable", 3)),
        (0, "reached", ("reached", 1)),
        (2, "wrong_number", ("wrong_number", 3)),
    ],
)
def test_call_outcomes(attempts: int, outcome: str, expected: tuple[str | None, int]) -> None:
    assert rules.after_call(attempts, outcome) == expected


@pytest.mark.parametrize(
    ("ahead", "on_duty", "each", "minutes"),
    [(0, 0, 6, 2), (1, 1, 6, 6), (3, 1, 6, 18), (3, 2, 6, 9), (5, 0, 6, 30)],
)
def test_expected_wait(ahead: int, on_duty: int, each: int, minutes: int) -> None:
    assert rules.expected_wait_minutes(ahead, on_duty, each) == minutes


def test_every_code_has_a_label_in_every_language() -> None:
    from locales import LANGUAGES, has_message

    ids = [f"reason.{c}" for c in rules.ALL_REJECTION_REASONS]
    ids += [f"status.{s}" for s in rules.ALL_STATUSES]
    ids += [f"casework.kind.{k}" for k in rules.KINDS]
    for lang in LANGUAGES:
        assert [i for i in ids if not has_message(i, lang)] == [], lang
