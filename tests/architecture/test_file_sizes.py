"""No Python file of the product grows past 450 lines.

Why: a file that long has taken on several jobs; splitting it by what each part does keeps
every module small enough to read at once (see the package layout of actions/).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_LINES = 450
# Not migrations/: a released migration is history that is never edited (0001_initial.py, the
# first schema in one step, is 600 lines); splitting it would change nothing a reader maintains.
CHECKED = ("api", "actions", "voice", "bot", "locales", "scripts", "bench", "rasa_sdk_plugins")
CHECKED_FILES = ("asgi.py",)
# Generated or cached output, not source (both are git-ignored).
SKIPPED = ("bot/models", "bench/out")

# Known exceptions, each with the most lines it may have (its size when listed, so it cannot
# grow) until it is split. Remove an entry once its file has at most MAX_LINES lines.
ALLOWED: dict[str, int] = {}


def python_files() -> Iterator[Path]:
    for folder in CHECKED:
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if not any(relative == s or relative.startswith(s + "/") for s in SKIPPED):
                yield path
    for name in CHECKED_FILES:
        yield ROOT / name


def line_count(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def too_long(paths: Iterator[Path], root: Path = ROOT) -> list[str]:
    found = []
    for path in paths:
        relative = path.relative_to(root).as_posix()
        lines = line_count(path)
        if lines > ALLOWED.get(relative, MAX_LINES):
            found.append(f"{relative}: {lines} lines")
    return found


def test_no_python_file_is_longer_than_the_limit() -> None:
    assert too_long(python_files()) == []


def test_the_files_checked_include_every_folder() -> None:
    """An empty walk (a folder renamed, a wrong root) would pass the test above for nothing."""
    seen = {p.relative_to(ROOT).parts[0] for p in python_files()}
    assert seen == {*CHECKED, *CHECKED_FILES}


def test_a_file_one_line_over_is_reported(tmp_path: Path) -> None:
    over, at_limit = tmp_path / "over.py", tmp_path / "at_limit.py"
    over.write_text("x = 1\n" * (MAX_LINES + 1), encoding="utf-8")
    at_limit.write_text("x = 1\n" * MAX_LINES, encoding="utf-8")
    assert too_long(iter([over, at_limit]), root=tmp_path) == [f"over.py: {MAX_LINES + 1} lines"]
