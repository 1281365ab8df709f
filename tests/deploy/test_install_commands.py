"""Both images and the Makefile install only from the locks, torch from its CPU build.

No Docker engine here, so each Dockerfile's RUN instructions (and the Makefile's recipes) are read
as shell words: every `pip install` must read pinned files (-r), name no package of its own, and
reach PyTorch's CPU index (or the Makefile's TORCH_SOURCE) whenever a file it reads pins torch.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from tests.deploy.pins import REQUIREMENTS, ROOT, pins

CPU_INDEX = "https://download.pytorch.org/whl/cpu"
VALUE_OPTIONS = {"-r", "--requirement", "-c", "--constraint", "-i", "--index-url"}
VALUE_OPTIONS |= {"--extra-index-url", "-f", "--find-links", "--progress-bar"}
IMAGES = {
    ROOT / "Dockerfile": {"bootstrap.lock", "app.lock"},
    ROOT / "bot" / "Dockerfile": {"rasa-py311.lock", "rasa-extra.txt"},
}


def shell_commands(script: str) -> list[list[str]]:
    """`script`'s simple commands as words, split at &&, ||, ; and |."""
    lexer = shlex.shlex(script, posix=True, punctuation_chars="&|;")
    lexer.whitespace_split = True
    commands: list[list[str]] = [[]]
    for word in lexer:
        if word in {"&&", "||", ";", "|"}:
            commands.append([])
        else:
            commands[-1].append(word)
    return [c for c in commands if c]


def pip_installs(commands: list[list[str]]) -> list[dict[str, list[str]]]:
    """Each `pip install`'s option values by option, and its other words under 'args'."""
    installs = []
    for words in commands:
        starts = [i for i in range(len(words) - 1) if words[i].endswith("pip")]
        for start in (i + 2 for i in starts if words[i + 1] == "install"):
            found: dict[str, list[str]] = {"args": []}
            rest = iter(words[start:])
            for word in rest:
                option, eq, value = word.partition("=")
                if option in VALUE_OPTIONS:
                    found.setdefault(option, []).append(value if eq else next(rest))
                elif not word.startswith("-"):
                    found["args"].append(word)
            installs.append(found)
    return installs


def logical_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").replace("\\\n", " ").splitlines()


def dockerfile_installs(dockerfile: Path) -> list[dict[str, list[str]]]:
    runs = [line.strip()[4:] for line in logical_lines(dockerfile) if line.startswith("RUN ")]
    return pip_installs([c for run in runs for c in shell_commands(run)])


def read_files(install: dict[str, list[str]]) -> list[str]:
    files = install.get("-r", []) + install.get("--requirement", [])
    assert all(f.startswith("requirements/") for f in files), files
    return [f.removeprefix("requirements/") for f in files]


@pytest.mark.parametrize("dockerfile", sorted(IMAGES), ids=lambda p: str(p.relative_to(ROOT)))
def test_each_image_installs_only_from_its_locks(dockerfile: Path) -> None:
    installs = dockerfile_installs(dockerfile)
    assert installs, f"{dockerfile} installs nothing"
    assert {name for i in installs for name in read_files(i)} == IMAGES[dockerfile]
    for install in installs:
        assert install["args"] == [], f"unpinned packages named in {dockerfile}: {install}"
        for name in read_files(install):
            pins(REQUIREMENTS / name)  # fails on any line that is not an exact pin


@pytest.mark.parametrize("dockerfile", sorted(IMAGES), ids=lambda p: str(p.relative_to(ROOT)))
def test_torch_comes_from_the_cpu_index(dockerfile: Path) -> None:
    for install in dockerfile_installs(dockerfile):
        if any("torch" in pins(REQUIREMENTS / name) for name in read_files(install)):
            indexes = install.get("--extra-index-url", []) + install.get("--index-url", [])
            assert CPU_INDEX in indexes, f"{dockerfile}: torch without {CPU_INDEX}"


def test_the_makefile_installs_from_the_locks_with_the_cpu_torch() -> None:
    lines = logical_lines(ROOT / "Makefile")
    rule = next(line for line in lines if line.startswith("$(VENV)/.installed:"))
    assert {"requirements/app.lock", "requirements/dev.lock"} <= set(rule.split()[1:])
    recipes = [line.strip().lstrip("@") for line in lines if line.startswith("\t")]
    installs = pip_installs([c for r in recipes for c in shell_commands(r)])
    assert {n for i in installs for n in read_files(i)} >= {"dev.lock", "rasa-extra.txt"}
    for install in installs:
        assert set(install["args"]) <= {"pip", "$(TORCH_SOURCE)"}, install
        if any("torch" in pins(REQUIREMENTS / name) for name in read_files(install)):
            assert "$(TORCH_SOURCE)" in install["args"], install
    assert any(line.startswith(f"TORCH_INDEX ?= {CPU_INDEX}") for line in lines)


def test_the_pinned_pip_goes_in_before_the_app_environment() -> None:
    """venv's bundled pip (23.2) let pip-audit's CacheControl[filecache] pick a release newer than
    dev.lock's hashed pin and refused it: `make test` failed on a clean machine."""
    lines = logical_lines(ROOT / "Makefile")
    start = lines.index(next(line for line in lines if line.startswith("$(VENV)/.installed:")))
    assert "requirements/bootstrap.lock" in lines[start].split()[1:]
    recipe = [line.strip().lstrip("@") for line in lines[start + 1 :]]
    recipe = recipe[: next(i for i, line in enumerate(recipe) if not line)]
    files = [read_files(i) for i in pip_installs([c for r in recipe for c in shell_commands(r)])]
    assert files[:2] == [["bootstrap.lock"], ["dev.lock"]], files
