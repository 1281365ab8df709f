"""Generated legacy registers for the importer's bench and tests: one CSV per kind, the same
every run, with bad rows mixed in where asked (each kind of defect in turn).

Why generated: 100 000 real rows would be personal data; these are made up (UANs from
300000000000, numbers that belong to no one) and written as a stream, never held in memory.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from api.importer.claims import COLUMNS as CLAIM_COLUMNS
from api.importer.nominees import COLUMNS as NOMINEE_COLUMNS
from api.importer.pensions import COLUMNS as PENSION_COLUMNS
from api.importer.workers import COLUMNS as WORKER_COLUMNS

UAN_BASE = 300_000_000_000
KINDS = ("workers", "nominees", "claims", "pensions")
RELATIONS = ("wife", "husband", "mother", "father", "son", "daughter")
LETTERS = "abcdefghijklmnopqrstuvwxyz"
# one defect per kind in turn: (column, bad value); each is refused by the importer
DEFECTS = {
    "workers": (("uan", "12345X"), ("date_of_birth", "31/02/1990"), ("scheme", "pension_fund"),
                ("phone", "12345"), ("aadhaar_number", "1234")),
    "nominees": (("relation", "cousin"), ("nominee_name", "R2D2"), ("uan", "999999999999")),
    "claims": (("status", "lost"), ("submitted_on", ""), ("paid_on", "01/01/2099"),
               ("claim_type", "lottery")),
    "pensions": (("status", "paused"), ("scheme", "none"), ("monthly_amount", "zero")),
}  # fmt: skip
CLAIM_STATES = (
    "submitted", "under_review", "documents_pending", "approved", "paid", "rejected", "withdrawn",
)  # fmt: skip


def uan_of(worker: int) -> str:
    return str(UAN_BASE + worker)


def _word(number: int) -> str:
    out = ""
    for _ in range(4):
        number, digit = divmod(number, 26)
        out += LETTERS[digit]
    return out.capitalize()


def worker_rows(n: int, changed: bool = False) -> Iterator[dict[str, str]]:
    """n rows; every 4th carries a second scheme of the worker above (a repeated UAN)."""
    for i in range(n):
        again = i % 4 == 3
        w = i - 1 if again else i
        born = date(1960, 1, 1) + timedelta(days=w % 15000)
        yield {
            "uan": uan_of(w),
            "name_en": f"{_word(w)} {_word(w * 7 + 3)}",
            "name_bn": "",
            "name_hi": "",
            "date_of_birth": born.strftime("%d/%m/%Y"),
            "gender": ("female", "male")[w % 2],
            "phone": f"+919{w:09d}",
            "state": "West Bengal",
            "district": "Changed" if changed and w % 10 == 0 else ("Howrah", "Nadia")[w % 2],
            "occupation": "mason",
            "preferred_language": ("bn", "hi", "en")[w % 3],
            "aadhaar_number": f"5{w:011d}",
            "bank_account_number": f"7{w:010d}",
            "scheme": "eshram" if again else "bocw_welfare",
            "member_id": "" if again else f"WB-BOCW-{w:07d}",
            "enrollment_status": "active" if again else ("active", "lapsed")[w % 5 == 0],
            "valid_until": "31/12/2027",
        }


def workers_in(n: int) -> list[int]:
    """Worker numbers a workers file of n rows holds (the other kinds point at these)."""
    return [i for i in range(n) if i % 4 != 3]


def nominee_rows(n: int, changed: bool = False) -> Iterator[dict[str, str]]:
    for w in workers_in(n):
        relation = RELATIONS[(w + (w % 10 == 0 and changed)) % len(RELATIONS)]
        yield {"uan": uan_of(w), "nominee_name": f"{_word(w + 11)} Devi", "relation": relation}


def claim_rows(n: int, changed: bool = False) -> Iterator[dict[str, str]]:
    for k, w in enumerate(workers_in(n)):
        status = CLAIM_STATES[k % len(CLAIM_STATES)]
        if changed and status == "approved" and k % 2 == 0:
            status = "paid"
        filed = date(2026, 1, 5) + timedelta(days=k % 300)
        yield {
            "reference": f"CLM-2025-{k + 1:06d}",
            "uan": uan_of(w),
            "claim_type": "accident_disability",
            "incident_date": (filed - timedelta(days=10)).isoformat(),
            "submitted_on": filed.isoformat(),
            "status": status,
            "amount_claimed": "100000",
            "amount_approved": "90000" if status in ("approved", "paid") else "",
            "amount_paid": "90000" if status == "paid" else "",
            "paid_on": (filed + timedelta(days=20)).isoformat() if status == "paid" else "",
            "reason": "documents_not_received" if status == "rejected" else "",
            "documents_pending": "fir_copy;bank_passbook" if status == "documents_pending" else "",
            "description": "fell from scaffolding",
        }


def pension_rows(n: int, changed: bool = False) -> Iterator[dict[str, str]]:
    for w in workers_in(n):
        stopped = w % 3 == 0 and not (changed and w % 10 == 0)
        yield {
            "uan": uan_of(w),
            "scheme": "bocw_welfare",
            "monthly_amount": "3000",
            "status": "stopped" if stopped else "active",
            "stop_reason": "life_certificate_not_submitted" if stopped else "",
            "stopped_on": "01/08/2026" if stopped else "",
            "last_paid_on": "01/07/2026",
            "life_certificate_due_on": "30/11/2027",
        }


ROWS = {"workers": worker_rows, "nominees": nominee_rows, "claims": claim_rows,
        "pensions": pension_rows}  # fmt: skip
COLUMNS = {"workers": WORKER_COLUMNS, "nominees": NOMINEE_COLUMNS, "claims": CLAIM_COLUMNS,
           "pensions": PENSION_COLUMNS}  # fmt: skip


def write(path: Path, kind: str, n: int, *, bad_every: int = 0, changed: bool = False) -> list[int]:
    """Write the kind's file for a workers file of n rows; the lines made bad (1 = header)."""
    bad_lines: list[int] = []
    defects = DEFECTS[kind]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS[kind])
        writer.writeheader()
        for index, row in enumerate(ROWS[kind](n, changed)):
            if bad_every and index % bad_every == bad_every - 1:
                column, value = defects[len(bad_lines) % len(defects)]
                row[column] = value
                bad_lines.append(index + 2)
            writer.writerow(row)
    return bad_lines
