"""The locks: every package pinned (and hashed where pip-compile writes them), torch the CPU build,
nothing for a GPU, every requirement of app.txt and dev.txt pinned within its range.

app.lock (the app image) and dev.lock (make run / make test: app.lock's pins plus the dev tools)
are written by `make lock`, with bootstrap.lock (the pinned pip that installs dev.lock);
rasa-py311.lock and rasa-extra.txt are the Rasa environment's pins.
"""

from __future__ import annotations

import re

import pytest

from tests.deploy.pins import REQUIREMENTS, pins, read

LOCKS = ["app.lock", "dev.lock", "bootstrap.lock", "rasa-py311.lock", "rasa-extra.txt"]
COMPILED = {
    "app.lock": ["app.txt"],
    "dev.lock": ["app.txt", "dev.txt"],
    "bootstrap.lock": ["bootstrap.txt"],
}
GPU_PACKAGE = re.compile(r"nvidia-.*|triton.*|.*cuda.*|.*-cu\d+")
MACHINE_PATH = re.compile(r"file://|/(?:opt|work|root|home|tmp)/")


@pytest.mark.parametrize("lock", LOCKS)
def test_nothing_for_a_gpu_and_torch_is_the_cpu_build(lock: str) -> None:
    pinned = pins(REQUIREMENTS / lock)
    assert not sorted(name for name in pinned if GPU_PACKAGE.fullmatch(name))
    if "torch" in pinned:
        assert pinned["torch"].endswith("+cpu"), f"{lock}: torch {pinned['torch']} is not +cpu"


@pytest.mark.parametrize("lock", sorted(COMPILED))
def test_every_requirement_is_pinned_within_its_range(lock: str) -> None:
    pinned = pins(REQUIREMENTS / lock)
    for source in COMPILED[lock]:
        for line in read(REQUIREMENTS / source):
            assert line.name in pinned, f"{source}: {line.requirement} is not in {lock}"
            version = pinned[line.name]
            assert line.requirement.specifier.contains(version, prereleases=True), (
                f"{lock} pins {line.name}=={version}, outside {source}'s {line.requirement}"
            )


@pytest.mark.parametrize("lock", sorted(COMPILED))
def test_every_pin_has_a_hash(lock: str) -> None:
    assert not [line.name for line in read(REQUIREMENTS / lock) if not line.hashes]


def test_dev_lock_keeps_the_app_locks_pins() -> None:
    app, dev = pins(REQUIREMENTS / "app.lock"), pins(REQUIREMENTS / "dev.lock")
    assert {
        name: (version, dev.get(name)) for name, version in app.items() if dev.get(name) != version
    } == {}


def test_the_bootstrap_pip_is_dev_locks_pip() -> None:
    bootstrap, dev = pins(REQUIREMENTS / "bootstrap.lock"), pins(REQUIREMENTS / "dev.lock")
    assert set(bootstrap) == {"pip"}
    assert bootstrap["pip"] == dev["pip"]


@pytest.mark.parametrize("lock", LOCKS)
def test_names_no_machine_path(lock: str) -> None:
    found = MACHINE_PATH.findall((REQUIREMENTS / lock).read_text(encoding="utf-8"))
    assert not found, f"{lock} names paths of this machine: {found}"
