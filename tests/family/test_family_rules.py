"""Pure rules of family claims: the nominee's name compared loosely, the family pension share."""

from __future__ import annotations

from fractions import Fraction

import pytest

from api.domain import family


@pytest.mark.parametrize(
    ("said", "registered"),
    [
        ("রোকেয়া বিবি", "Rokeya Bibi"),  # Bengali script, nukta letter য়
        ("rokiya beebi", "Rokeya Bibi"),  # long/short vowels
        ("सावित्री देवी", "Savitri Devi"),
        ("Sabitri Debi", "Savitri Devi"),  # b for v
        ("ज़ाकिर हुसैन", "Zakir Hussain"),  # nukta, doubled letters
        ("Smt. Sunita  DEVI", "Sunita Devi"),  # title, case, spaces
        ("Das Tapas", "Tapas Das"),  # word order
        ("jose ruiz", "José Ruiz"),  # Latin diacritics
    ],
)
def test_the_same_name_matches(said: str, registered: str) -> None:
    assert family.name_matches(said, registered)


@pytest.mark.parametrize(
    ("said", "registered"),
    [
        ("Sunita Devi", "Savitri Devi"),
        ("Rokeya", "Rokeya Bibi"),  # part of the name is not the name
        ("", "Rokeya Bibi"),
        ("Smt.", "Rokeya Bibi"),
        ("Rokeya Bibi", None),  # no nominee on record: never
    ],
)
def test_another_name_does_not(said: str, registered: str | None) -> None:
    assert not family.name_matches(said, registered)


def test_family_pension_share() -> None:
    shares = {"pm_sym": Fraction(1, 2)}
    assert family.family_pension_amount(3000, "pm_sym", shares) == 1500
    assert family.family_pension_amount(1510, "pm_sym", shares) == 755
    assert family.family_pension_amount(3000, "bocw_welfare", shares) is None


def test_a_death_is_claimed_once() -> None:
    paid = [("CLM-2026-000001", "death_funeral", "paid")]
    assert family.duplicate("death_funeral", paid) == "CLM-2026-000001"
    assert family.duplicate("accident_death", paid) is None
    assert family.duplicate("death_funeral", [("R", "death_funeral", "rejected")]) is None


def test_the_shares_data_names_its_sources() -> None:
    import yaml

    from api.services.family_claims import SHARES_FILE, family_pension_shares

    raw = yaml.safe_load(SHARES_FILE.read_text(encoding="utf-8"))
    assert all(entry["source"] for entry in raw["schemes"].values())
    assert family_pension_shares()["pm_sym"] == Fraction(1, 2)
    # the transport scheme's share is published with its other figures, and read from there only
    assert "wbtwsss" not in raw["schemes"]
    assert family_pension_shares()["wbtwsss"] == Fraction(1, 2)


@pytest.mark.parametrize(
    ("text", "kind", "files"),
    [
        ("my husband died, I want to claim", "death", True),
        ("আমার স্বামী মারা গেছেন, সৎকারের টাকার জন্য দাবি করতে চাই", "death_funeral", True),
        ("pati ki accident me maut ho gayi", "accident_death", False),
        ("मेरे पति की मृत्यु हो गई, पारिवारिक पेंशन के लिए आवेदन करना है", "family_pension", True),
        ("what does the family get if a worker is killed at work", "death", False),
        ("I want to file a medical claim", None, True),
        ("if my husband dies after his pension starts how much will I get", None, False),
    ],
)
def test_what_a_family_asks_for(text: str, kind: str | None, files: bool) -> None:
    assert family.family_claim_in(text) == kind
    assert family.asks_to_file(text) is files


def test_an_expired_membership_is_no_death() -> None:
    assert family.family_claim_in("I need to renew my membership, it expired") is None
