"""District offices (api/data/offices.yaml) as the office passages state them.

Why a data file and not the passages' text: an address or opening hours change without
touching the wording in three languages, and one list serves every district's passage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from api.knowledge.passages import LANGUAGES, PassageError

OFFICES_FILE = Path(__file__).resolve().parent.parent / "data" / "offices.yaml"
_HOURS = re.compile(r"^\d{2}:\d{2}-\d{2}:\d{2}$")
_DAYS = re.compile(r"^[0-6](,[0-6])*$")


@dataclass(frozen=True)
class Office:
    key: str
    state: str
    address: dict[str, str]
    hours: str  # HH:MM-HH:MM, local time
    days: str  # weekdays open, 0 = Monday
    demo: bool


def parse_offices(raw: dict[str, Any]) -> dict[str, Office]:
    """Validate while parsing: a wrong hour or a missing language never reaches a worker."""
    demo = bool(raw.get("demo", False))
    offices: dict[str, Office] = {}
    for key, item in (raw.get("offices") or {}).items():
        address = item.get("address") or {}
        missing = [lang for lang in LANGUAGES if not address.get(lang)]
        if missing:
            raise PassageError(f"office {key}: address lacks {missing}")
        hours, days = str(item.get("hours") or ""), str(item.get("days") or "")
        if not _HOURS.match(hours) or not _DAYS.match(days):
            raise PassageError(f"office {key}: hours HH:MM-HH:MM and days 0-6 are required")
        offices[str(key)] = Office(
            key=str(key),
            state=str(item.get("state") or ""),
            address={lang: " ".join(str(address[lang]).split()) for lang in LANGUAGES},
            hours=hours,
            days=days,
            demo=demo,
        )
    return offices


@lru_cache(maxsize=2)
def load_offices(path: Path = OFFICES_FILE) -> dict[str, Office]:
    import yaml

    return parse_offices(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
