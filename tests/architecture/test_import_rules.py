"""The seams of docs/contracts.md, read from the code's own imports (ast, nothing imported).

- the backend (api/) never imports the phone line (voice/), the assistant (actions/, bot/) or
  the composition root (asgi.py);
- the phone line imports no database session, table or SQLAlchemy: it goes through services;
- the assistant's actions own no tables either (they call the backend);
- no adapter owns tables: every table is declared in api/db/models/, and the web routes
  (api/web/) write no SQL (no SQLAlchemy import);
- the Rasa project (bot/) takes from the backend only pure helpers, each copied into its image;
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
    # routes parse, call a service and render: no SQL of their own
    "api/web": ("sqlalchemy",),
    "rasa_sdk_plugins": ("api.db", "sqlalchemy", "twilio", "voice"),
    # the Rasa environment has none of the backend's dependencies (and its image none of it)
    "bot": (
        "api.db",
        "api.services",
        "api.web",
        "api.settings",
        "api.integrations",
        "api.messaging",
        "voice",
        "actions",
    ),
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


def declares_a_table(path: Path) -> bool:
    """A class with `__tablename__`, or a `Table(...)` call: a table of this module's own."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                targets = item.targets if isinstance(item, ast.Assign) else []
                if isinstance(item, ast.AnnAssign):
                    targets = [item.target]
                if any(isinstance(t, ast.Name) and t.id == "__tablename__" for t in targets):
                    return True
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name == "Table":
                return True
    return False


def test_every_table_is_declared_in_the_models_package() -> None:
    """Adapters (voice/, actions/, api/web/) and services own no table of their own."""
    elsewhere = []
    for folder in ("api", "voice", "actions", "rasa_sdk_plugins", "scripts", "bench"):
        for path in modules(folder):
            inside = path.relative_to(ROOT).as_posix().startswith("api/db/models/")
            if not inside and declares_a_table(path):
                elsewhere.append(str(path.relative_to(ROOT)))
    assert elsewhere == []
    assert declares_a_table(ROOT / "api" / "db" / "models" / "workers.py")  # the reader works


def copied_paths(dockerfile: Path) -> list[str]:
    """The repository paths an image's COPY lines take from the build context."""
    found = []
    for line in dockerfile.read_text(encoding="utf-8").splitlines():
        words = line.split()
        if words[:1] == ["COPY"] and not any(w.startswith("--from") for w in words):
            found += [w.rstrip("/") for w in words[1:-1] if not w.startswith("--")]
    return found


def module_file(name: str) -> Path | None:
    """The file of module `name` in this repository (None: a name inside a module)."""
    base = ROOT.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def test_the_rasa_image_carries_every_backend_module_the_bot_imports() -> None:
    """bot/ runs from bot/Dockerfile's image: a backend module it imports must be copied in,
    with the packages around it, or the image fails where `make run` works."""
    copied = copied_paths(ROOT / "bot" / "Dockerfile")
    missing = set()
    for path in modules("bot"):
        for name in imported(path):
            parts = name.split(".")
            if parts[0] != "api":
                continue
            for depth in range(1, len(parts) + 1):
                found = module_file(".".join(parts[:depth]))
                if found is None:
                    continue
                relative = found.relative_to(ROOT).as_posix()
                if not any(relative == c or relative.startswith(c + "/") for c in copied):
                    missing.add(f"{path.relative_to(ROOT)} needs {relative}")
    assert sorted(missing) == []
    assert "api/language/phonetic.py" in copied  # the intent classifier's key


def test_the_checker_sees_imports_inside_functions(tmp_path: Path) -> None:
    """The rules would be empty words if a late import slipped past the reader."""
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from api.db.session import session_scope\n")
    assert "api.db.session" in imported(sample)


def test_the_phone_line_reads_no_regular_expression_over_the_assistants_words() -> None:
    """What the assistant asks for comes from its replies' machine-readable part
    (docs/contracts.md "Reply payloads"); the IVR's modules do not pattern-match its words."""
    assert offenders("voice/ivr", ("re", "regex")) == []
