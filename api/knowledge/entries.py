"""Knowledge-base entries as read from YAML: one place that knows the file's shape."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

LANGUAGES = ("bn", "hi", "en")
KB_PATH = Path(__file__).resolve().parent.parent / "data" / "knowledge_base.yaml"


@dataclass(frozen=True)
class Entry:
    """One answer, written in every language (no machine translation at run time)."""

    id: str
    scheme: str | None
    title: dict[str, str]
    text: dict[str, str]
    keywords: dict[str, tuple[str, ...]]

    def passage(self, language: str) -> str:
        return f"{self.title[language]}. {self.text[language]}"


def parse_entries(raw: dict[str, Any]) -> tuple[Entry, ...]:
    """Validate while parsing: a missing language is a content bug, caught by the tests."""
    entries = []
    for item in raw.get("entries") or []:
        for field in ("title", "text", "keywords"):
            missing = [lang for lang in LANGUAGES if not (item.get(field) or {}).get(lang)]
            if missing:
                raise ValueError(f"knowledge base entry {item.get('id')}: {field} lacks {missing}")
        entries.append(
            Entry(
                id=str(item["id"]),
                scheme=item.get("scheme"),
                title={lang: " ".join(str(item["title"][lang]).split()) for lang in LANGUAGES},
                text={lang: " ".join(str(item["text"][lang]).split()) for lang in LANGUAGES},
                keywords={
                    lang: tuple(str(k) for k in item["keywords"][lang]) for lang in LANGUAGES
                },
            )
        )
    ids = [e.id for e in entries]
    if len(ids) != len(set(ids)):
        raise ValueError("knowledge base entry ids must be unique")
    return tuple(entries)


@lru_cache(maxsize=4)
def load_entries(path: Path = KB_PATH) -> tuple[Entry, ...]:
    """Read once per process (first search), not at import."""
    return parse_entries(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
