"""docker-compose.yml cannot run here (no Docker engine), so check it as far as we can.

It must match the Compose Specification schema (vendored in tests/data: compose-spec's
schema/compose-spec.json at a08f8d5, 2025-10-28, what Docker Compose v2 implements; it has build
secrets), name only files and modules that exist in the repository, keep Rasa
and the action server off the public network, and take every secret from the environment.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
THIRD_PARTY_MODULES = {"uvicorn", "rasa_sdk", "rasa"}
SECRET_WORDS = ("TOKEN", "SECRET", "PASSWORD", "SALT", "SID")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    parsed: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return parsed


def test_matches_the_compose_specification(compose: dict[str, Any]) -> None:
    schema = json.loads((ROOT / "tests" / "data" / "compose_spec.json").read_text())
    validator_class = jsonschema.validators.validator_for(schema)
    errors = sorted(validator_class(schema).iter_errors(compose), key=str)
    assert not errors, "\n".join(e.message for e in errors)


def _dockerfile_sources(dockerfile: Path) -> list[str]:
    sources: list[str] = []
    for line in dockerfile.read_text().splitlines():
        parts = line.split()
        from_stage = any(p.startswith("--from=") for p in parts)  # another stage, not the context
        if parts and parts[0].upper() in {"COPY", "ADD"} and not from_stage:
            sources += [p for p in parts[1:-1] if not p.startswith("--")]
    return sources


def test_every_build_file_exists(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        build = service.get("build")
        if not build:
            continue
        context = ROOT / build["context"]
        dockerfile = context / build.get("dockerfile", "Dockerfile")
        assert dockerfile.is_file(), f"{name}: {dockerfile} is missing"
        for source in _dockerfile_sources(dockerfile):
            assert (context / source).exists(), f"{dockerfile.name} copies missing {source}"


def _module_exists(module: str) -> bool:
    path = ROOT.joinpath(*module.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _check_command(service: str, command: list[str]) -> None:
    for index, word in enumerate(command):
        if index > 0 and command[index - 1] == "-m":
            if word not in THIRD_PARTY_MODULES:
                assert _module_exists(word), f"{service}: module {word} is missing"
        elif re.fullmatch(r"[a-z_]+(\.[a-z_]+)+:[a-z_]+", word):  # uvicorn app factory
            module, attribute = word.split(":")
            assert _module_exists(module), f"{service}: {module} is missing"
            source = ROOT.joinpath(*module.split(".")).with_suffix(".py").read_text()
            assert f"def {attribute}(" in source, f"{service}: {word} is not defined"
        elif "/" in word and not word.startswith(("http", "${", "/")):
            assert (ROOT / word).exists(), f"{service}: path {word} is missing"
        elif word == "--actions":
            assert _module_exists(command[index + 1]), f"{service}: actions package missing"


def test_every_command_names_what_exists(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        command = service.get("command") or compose["x-app"].get("command")
        if command is None:
            continue
        words = shlex.split(command) if isinstance(command, str) else command
        _check_command(name, words)


def test_rasa_and_actions_are_internal_only(compose: dict[str, Any]) -> None:
    assert compose["networks"]["internal"].get("internal") is True
    for name in ("rasa", "actions", "postgres", "redis"):
        service = compose["services"][name]
        assert "ports" not in service, f"{name} must not publish ports"
        assert service["networks"] == ["internal"], f"{name} must stay on the internal network"
    assert "public" in compose["services"]["api"]["networks"]


def test_long_running_services_have_health_checks(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        if service.get("restart") == "no":
            continue
        assert "healthcheck" in service, f"{name} has no health check"


def test_secrets_come_from_the_env_file(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        for key, value in (service.get("environment") or {}).items():
            if any(word in key for word in SECRET_WORDS):
                assert str(value).startswith("${"), f"{name}: {key} is a literal, not from .env"
    assert (ROOT / ".env.example").is_file()
    assert ".env" in (ROOT / ".gitignore").read_text().split()


def test_rasa_uses_shared_stores_for_replicas() -> None:
    endpoints = yaml.safe_load((ROOT / "bot" / "endpoints.compose.yml").read_text())
    assert endpoints["tracker_store"]["type"] == "local_tracker_store.ScrubbingSQLTrackerStore"
    assert endpoints["tracker_store"]["dialect"] == "postgresql"
    assert endpoints["lock_store"]["type"] == "redis"


def test_two_of_each_behind_haproxy(compose: dict[str, Any]) -> None:
    """The layout of `make run-cluster`: every tier replicated, reached through HAProxy only."""
    services = compose["services"]
    for name in ("api", "actions", "rasa"):
        assert services[name]["deploy"]["replicas"] == 2, name
        assert "ports" not in services[name], f"{name}: HAProxy publishes, not the replicas"
    published = [name for name, service in services.items() if "ports" in service]
    assert published == ["haproxy"]
    environment = compose["x-app"]["environment"]
    for door in ("RASA_URL", "BACKEND_URL", "ACTION_SERVER_URL"):
        assert environment[door].startswith("http://haproxy:"), door
    endpoints = yaml.safe_load((ROOT / "bot" / "endpoints.compose.yml").read_text())
    assert endpoints["action_endpoint"]["url"].startswith("http://haproxy:")


def test_the_mounted_haproxy_configuration_is_the_rendered_template(
    compose: dict[str, Any],
) -> None:
    from scripts.cluster import COMPOSE_CONFIG, compose_haproxy

    mounted = compose["services"]["haproxy"]["volumes"][0].split(":")[0]
    assert (ROOT / mounted).resolve() == COMPOSE_CONFIG
    assert COMPOSE_CONFIG.read_text() == compose_haproxy(), "run scripts/cluster.py compose"
