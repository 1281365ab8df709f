"""The seams of docs/contracts.md, read from the code's own imports (ast, nothing imported).

- the backend (api/) never imports the phone line (voice/), the assistant (actions/, bot/) or
  the composition root (asgi.py);
- the phone line imports no database session, table or SQLAlchemy: it goes through services;
- the assistant's actions own no tables either (they call the backend);
- only api/integrations/twilio/ imports the twilio library;
- api/domain/ is pure: no database, no web framework, no settings, no services.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def modules(folder: str) -> Iterator[Path]:
    yield from sorted((ROOT / folder).rglob("*.py"))


def imported(path: Path) -> set[str]:
    """Every module `path` imports, at the top or inside functions."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def offenders(folder: str, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for path in modules(folder):
        for name in sorted(imported(path)):
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                found.append(f"{path.relative_to(ROOT)} imports {name}")
    return found


RULES = {
    "api": ("voice", "actions", "bot", "asgi", "rasa_sdk", "rasa"),
    "voice": ("api.db", "sqlalchemy", "twilio"),
    "actions": ("api.db", "sqlalchemy", "twilio", "voice"),
    "api/domain": ("api.db", "api.services", "api.web", "api.settings", "sqlalchemy", "fastapi"),
    "locales": ("api", "voice", "actions"),
}


@pytest.mark.parametrize("folder", sorted(RULES))
def test_import_rules_hold(folder: str) -> None:
    assert offenders(folder, RULES[folder]) == []


def test_only_the_twilio_integration_imports_twilio() -> None:
    outside = []
    for folder in ("api", "voice", "actions", "scripts", "bench", "bot"):
        for path in modules(folder):
            if "integrations/twilio" in path.as_posix():
                continue
            if any(n == "twilio" or n.startswith("twilio.") for n in imported(path)):
                outside.append(str(path.relative_to(ROOT)))
    assert outside == []


def test_the_checker_sees_imports_inside_functions(tmp_path: Path) -> None:
    """The rules would be empty words if a late import slipped past the reader."""
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from api.db.session import session_scope\n")
    assert "api.db.session" in imported(sample)


def test_the_phone_line_reads_no_regular_expression_over_the_assistants_words() -> None:
    """What the assistant asks for comes from its replies' machine-readable part
    (docs/contracts.md "Reply payloads"); the IVR's modules do not pattern-match its words."""
    assert offenders("voice/ivr", ("re", "regex")) == []
