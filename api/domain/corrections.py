"""Corrections of a worker's record ("my record is wrong"): which details may be corrected, the
documents an officer needs to see for each, and how a new value is read and checked.

Why rules here: the worker API, the assistant's read-back and the officers' console must agree
on what a correction needs; a correction is decided by an officer (api/domain/casework.py), and
only then does the record change (api/services/corrections.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from api.domain.codes import CORRECTION_FIELDS, CorrectionField
from api.domain.digits import ascii_digits
from api.domain.errors import DomainError
from api.domain.masking import mask_numbers
from api.domain.parsing import parse_date
from api.domain.phones import is_mobile_in, normalise_phone

__all__ = ["CORRECTION_FIELDS", "CorrectionField"]

# What the officer must see before approving, per field: groups of which any one document will
# do (labels `doc.<code>`). A phone number is the way the line proves identity, so changing it
# needs proof of who the worker is and that the new SIM is theirs.
DOCUMENTS_BY_FIELD: dict[str, tuple[tuple[str, ...], ...]] = {
    CorrectionField.NAME: (("aadhaar_card",),),
    CorrectionField.DATE_OF_BIRTH: (("aadhaar_card", "own_birth_certificate"),),
    CorrectionField.BANK_ACCOUNT: (("new_bank_passbook", "cancelled_cheque"),),
    CorrectionField.PHONE: (("aadhaar_card",), ("sim_ownership_proof",)),
    CorrectionField.ADDRESS: (("address_proof",),),
}
CORRECTION_DOCUMENTS: tuple[str, ...] = tuple(
    dict.fromkeys(code for groups in DOCUMENTS_BY_FIELD.values() for g in groups for code in g)
)

# The phone number is corrected through an officer only: a code texted to the number being
# replaced proves nothing when that number is lost. Every other field needs the texted code.
WITHOUT_CODE = frozenset({CorrectionField.PHONE})

NAME_MAX = 120
ADDRESS_MIN, ADDRESS_MAX = 10, 300
BANK_MIN_DIGITS, BANK_MAX_DIGITS = 9, 18
OLDEST_BIRTH_YEAR = 1900
YOUNGEST_AGE = 14  # the schemes register workers from 14 (BoCW) and up

_BENGALI = re.compile("[\u0980-\u09ff]")
_DEVANAGARI = re.compile("[\u0900-\u097f]")


def needs_code(field: str) -> bool:
    """Must the session be `strong` (the texted code typed) to ask for this correction?"""
    return field not in WITHOUT_CODE


def document_groups(field: str) -> list[list[str]]:
    """The documents an officer needs for `field`: any one document of each group."""
    return [list(group) for group in DOCUMENTS_BY_FIELD[field]]


def document_codes(field: str) -> list[str]:
    """Every document that may be asked for `field` (the console's document picker)."""
    return list(dict.fromkeys(code for group in DOCUMENTS_BY_FIELD[field] for code in group))


def check_field(field: str | None) -> str:
    if field not in CORRECTION_FIELDS:
        raise DomainError(
            "invalid_input",
            "Unknown field to correct.",
            field="field",
            allowed=list(CORRECTION_FIELDS),
        )
    return str(field)


def name_script(name: str) -> str:
    """Which of the record's names ("bn", "hi", "en") a spelling is written for, by its letters."""
    if _BENGALI.search(name):
        return "bn"
    if _DEVANAGARI.search(name):
        return "hi"
    return "en"


@dataclass(frozen=True)
class NewValue:
    """A new value as read: `text` to store and show (None for a bank account, whose digits
    are never stored), `digits` only for a bank account (hashed by the service, then dropped)."""

    field: str
    text: str | None
    digits: str | None = None

    @property
    def last4(self) -> str | None:
        return self.digits[-4:] if self.digits else None


def _invalid(message: str, code: str = "invalid_input") -> DomainError:
    return DomainError(code, message, field="value")


def _name(raw: str) -> NewValue:
    cleaned = re.sub(r"\s+", " ", raw).strip()
    if len(cleaned) < 2 or len(cleaned) > NAME_MAX or any(ch.isdigit() for ch in cleaned):
        raise _invalid("A name has letters only (2-120).")
    if not any(ch.isalpha() for ch in cleaned):
        raise _invalid("A name has letters only (2-120).")
    return NewValue(CorrectionField.NAME, cleaned)


def _birth(raw: str, today: date) -> NewValue:
    born = parse_date(raw, today=today)
    if born is None:
        raise _invalid("Not a date.", "invalid_date")
    youngest = _years_before(today, YOUNGEST_AGE)
    if born.year < OLDEST_BIRTH_YEAR or born > youngest:
        raise _invalid("Not a possible date of birth.", "invalid_date")
    return NewValue(CorrectionField.DATE_OF_BIRTH, born.isoformat())


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _bank(raw: str) -> NewValue:
    digits = re.sub(r"[\s\-]", "", ascii_digits(raw))
    if not digits.isdigit() or not BANK_MIN_DIGITS <= len(digits) <= BANK_MAX_DIGITS:
        raise _invalid("A bank account number has 9 to 18 digits.")
    return NewValue(CorrectionField.BANK_ACCOUNT, None, digits)


def _phone(raw: str) -> NewValue:
    number = normalise_phone(raw)
    if number is None or not is_mobile_in(number):
        raise _invalid("Not an Indian mobile number.")
    return NewValue(CorrectionField.PHONE, number)


def _address(raw: str) -> NewValue:
    cleaned = mask_numbers(re.sub(r"\s+", " ", raw).strip())
    if not ADDRESS_MIN <= len(cleaned) <= ADDRESS_MAX or not any(c.isalpha() for c in cleaned):
        raise _invalid("An address has 10 to 300 characters.")
    return NewValue(CorrectionField.ADDRESS, cleaned)


def read_value(field: str, raw: str | None, today: date) -> NewValue:
    """The new value of `field` as the record would hold it, or 422 (`field: value`)."""
    field = check_field(field)
    text = (raw or "").strip()
    if not text:
        raise DomainError("missing_field", "The new value is required.", field="value")
    if len(text) > ADDRESS_MAX * 2:
        raise _invalid("Too long.")
    if field == CorrectionField.NAME:
        return _name(text)
    if field == CorrectionField.DATE_OF_BIRTH:
        return _birth(text, today)
    if field == CorrectionField.BANK_ACCOUNT:
        return _bank(text)
    if field == CorrectionField.PHONE:
        return _phone(text)
    return _address(text)


def masked_phone(number: str | None) -> str | None:
    """ "…4321": enough for an officer to tell numbers apart, not to dial one from a screenshot."""
    digits = re.sub(r"\D", "", number or "")
    return f"…{digits[-4:]}" if digits else None
