"""Test data from one place: the demo people by name, read from the demo dataset the product
seeds (api/data/demo_dataset.yaml), and new records made through the real services.

Why: tests that spell out "100000000001" and "1988-03-14" break silently when the dataset
changes and hide which person a test is about; `RINA.uan` says both.
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATASET = Path(__file__).resolve().parents[1] / "api" / "data" / "demo_dataset.yaml"


@dataclass(frozen=True)
class Person:
    """One demo worker as the tests need them."""

    uan: str
    born: date
    phone: str
    language: str
    names: dict[str, str]
    bank_last4: str
    data: dict[str, Any]

    @property
    def dob(self) -> str:
        """ISO date of birth, as the API takes it."""
        return self.born.isoformat()

    @property
    def dob_keys(self) -> str:
        """DDMMYYYY: the date as a keypad caller types it."""
        return self.born.strftime("%d%m%Y")

    @property
    def dob_typed(self) -> str:
        """DD/MM/YYYY: the date as a worker writes it."""
        return self.born.strftime("%d/%m/%Y")

    @property
    def wrong_dob(self) -> str:
        """An ISO date of birth one day off: a wrong answer for this person."""
        return (self.born + timedelta(days=1)).isoformat()

    def verify_body(self, channel: str = "web") -> dict[str, str]:
        """The body of POST /api/v1/verify for this person."""
        return {"uan": self.uan, "date_of_birth": self.dob, "channel": channel}

    def first_name(self, lang: str) -> str:
        return (self.names.get(lang) or self.names["en"]).split()[0]


@lru_cache(maxsize=1)
def _people() -> dict[str, Person]:
    raw = yaml.safe_load(DATASET.read_text(encoding="utf-8"))
    people = {}
    for worker in raw["workers"]:
        key = str(worker["name"]["en"]).split()[0].lower()
        people[key] = Person(
            uan=str(worker["uan"]),
            born=worker["date_of_birth"],
            phone=str(worker["phone"]),
            language=str(worker["preferred_language"]),
            names=dict(worker["name"]),
            bank_last4=str(worker["bank_account_last4"]),
            data=worker,
        )
    return people


def demo(name: str) -> Person:
    """A demo worker by first name: rina, ramesh, anwar, sunita, bikash, manoj, gopal."""
    return _people()[name]


RINA = demo("rina")  # bn, BOCW member, an accident claim under review
RAMESH = demo("ramesh")  # hi, PM-SYM member, a lapsed membership to renew
ANWAR = demo("anwar")  # bn, a stopped pension
SUNITA = demo("sunita")  # hi, a paid maternity claim
BIKASH = demo("bikash")  # bn, Howrah taxi driver: the transport scheme only, due for renewal
MANOJ = demo("manoj")  # hi, truck driver: transport + state social security, both due, a choice
GOPAL = demo("gopal")  # en, retired bus driver: a transport workers' pension by the rule

_serial = itertools.count(1)


def new_uan() -> str:
    """A UAN no demo person has (for workers a test creates)."""
    return f"2{next(_serial):011d}"


def random_uan(first: str) -> str:
    """A UAN starting with `first` for a worker written into a database that may outlive this
    process (the e2e stack's): 11 random digits, where three (1,000 choices) collided once in
    a `make test` run (UNIQUE constraint failed: workers.uan)."""
    return f"{first}{uuid.uuid4().int % 10**11:011d}"
