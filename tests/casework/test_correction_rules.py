"""The pure rules of a correction (api/domain/corrections.py, api/domain/casework.py): which
details need the texted code, the documents per detail, how a new value is read, and the moves
of a correction case."""

from __future__ import annotations

from datetime import date

import pytest

from api.domain import casework
from api.domain.codes import CORRECTION_FIELDS
from api.domain.corrections import (
    DOCUMENTS_BY_FIELD,
    document_codes,
    masked_phone,
    name_script,
    needs_code,
    read_value,
)
from api.domain.errors import DomainError

TODAY = date(2026, 12, 6)


def test_every_field_but_the_phone_needs_the_code() -> None:
    assert [f for f in CORRECTION_FIELDS if not needs_code(f)] == ["phone"]


def test_every_field_names_documents_and_the_phone_needs_two() -> None:
    assert set(DOCUMENTS_BY_FIELD) == set(CORRECTION_FIELDS)
    assert all(groups and all(groups) for groups in DOCUMENTS_BY_FIELD.values())
    assert DOCUMENTS_BY_FIELD["phone"] == (("aadhaar_card",), ("sim_ownership_proof",))
    assert document_codes("date_of_birth") == ["aadhaar_card", "own_birth_certificate"]


@pytest.mark.parametrize(
    ("field", "said", "text", "digits"),
    [
        ("name", "  Rina   Dass ", "Rina Dass", None),
        ("date_of_birth", "১৫ মার্চ ১৯৮৮", "1988-03-15", None),
        ("date_of_birth", "15-03-1988", "1988-03-15", None),
        ("bank_account", "१०२९ ३८४७ ५६०१", None, "102938475601"),
        ("phone", "98300-12345", "+919830012345", None),
        (
            "address",
            "Flat 2, account 102938475601, Howrah",
            "Flat 2, account XXXXXXXX5601, Howrah",
            None,
        ),
    ],
)
def test_new_values_are_read_as_the_record_would_hold_them(
    field: str, said: str, text: str | None, digits: str | None
) -> None:
    value = read_value(field, said, TODAY)
    assert (value.text, value.digits) == (text, digits)


@pytest.mark.parametrize(
    ("field", "said", "code"),
    [
        ("name", "Rina 2", "invalid_input"),
        ("date_of_birth", "yesterday", "invalid_date"),  # not a possible birth date
        ("date_of_birth", "14 March 2020", "invalid_date"),  # six years old
        ("bank_account", "1234", "invalid_input"),
        ("phone", "+44 20 7946 0000", "invalid_input"),  # not an Indian mobile
        ("address", "Howrah", "invalid_input"),
        ("address", "", "missing_field"),
        ("nominee", "Tapas", "invalid_input"),
    ],
)
def test_bad_values_are_refused_with_the_value_named(field: str, said: str, code: str) -> None:
    with pytest.raises(DomainError) as refused:
        read_value(field, said, TODAY)
    assert refused.value.code == code


def test_a_name_belongs_to_the_record_name_of_its_script() -> None:
    assert [name_script(n) for n in ("রিনা", "रीना", "Rina")] == ["bn", "hi", "en"]
    assert masked_phone("+919800000001") == "…0001"


def _facts(status: str, version: int = 1) -> casework.CaseFacts:
    return casework.CaseFacts(
        kind="correction", status=status, version=version, correction_field="bank_account"
    )


def test_a_correction_is_approved_only_after_review() -> None:
    officer = casework.Role.OFFICER
    assert casework.allowed_moves("correction", "submitted", officer) == [
        "under_review",
        "documents_pending",
        "rejected",
    ]
    assert "approved" in casework.allowed_moves("correction", "under_review", officer)
    with pytest.raises(DomainError) as early:
        casework.check_decision(
            _facts("submitted"),
            casework.Decision(status="approved", version=1),
            officer,
            amount_max=None,
            today=TODAY,
        )
    assert early.value.code == "invalid_transition"


def test_documents_asked_for_are_those_of_the_field() -> None:
    def ask(*codes: str) -> None:
        casework.check_decision(
            _facts("under_review"),
            casework.Decision(status="documents_pending", version=1, documents=codes),
            casework.Role.OFFICER,
            amount_max=None,
            today=TODAY,
        )

    ask("cancelled_cheque")
    with pytest.raises(DomainError) as wrong:
        ask("aadhaar_card")
    assert wrong.value.code == "invalid_input" and wrong.value.field == "documents"
