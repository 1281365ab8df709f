"""Read requirements files the way pip does, enough for the install tests: one requirement per
logical line (backslash continuations joined), comments dropped, `--hash` options collected."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
REQUIREMENTS = ROOT / "requirements"


@dataclass(frozen=True)
class Line:
    requirement: Requirement
    hashes: tuple[str, ...]

    @property
    def name(self) -> str:
        return canonicalize_name(self.requirement.name)

    @property
    def pin(self) -> str | None:
        """The exact version of a `name==version` line, else None."""
        specs = list(self.requirement.specifier)
        if len(specs) == 1 and specs[0].operator == "==" and "*" not in specs[0].version:
            return specs[0].version
        return None


def read(path: Path) -> list[Line]:
    logical = path.read_text(encoding="utf-8").replace("\\\n", " ")
    lines = []
    for raw in logical.splitlines():
        text = raw.split(" #", 1)[0].strip()
        if not text or text.startswith(("#", "-")):
            continue
        words = text.split()
        hashes = tuple(w.removeprefix("--hash=") for w in words if w.startswith("--hash="))
        spec = " ".join(w for w in words if not w.startswith("--hash="))
        lines.append(Line(Requirement(spec), hashes))
    return lines


def pins(path: Path) -> dict[str, str]:
    """name -> exact version; fails on any line that is not an exact pin."""
    found = {}
    for line in read(path):
        assert line.pin is not None, f"{path.name}: {line.requirement} is not an exact pin"
        found[line.name] = line.pin
    return found
