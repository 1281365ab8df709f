"""Secure by default: production unless `make run` says demo, no known secret, no open Rasa."""

from __future__ import annotations

import json
import logging
import stat
from pathlib import Path

import pytest

from api.settings import KNOWN_DEMO_VALUES, REQUIRED_OUTSIDE_DEMO, Settings
from bot.launch import with_token_from
from tests.secrets import ENVIRONMENT

PRODUCTION = {
    "SERVICE_TOKEN": "prod-service-token-xyz",
    "ACTION_SERVER_TOKEN": "prod-action-token-xyz",
    "PII_SALT": "prod-salt-xyz",
    "SESSION_SECRET": "prod-session-xyz",
    "SENDER_KEY": "prod-sender-key-xyz",
    "RASA_TOKEN": "prod-rasa-token-xyz",
    "TWILIO_ACCOUNT_SID": "AC" + "1" * 32,
    "TWILIO_AUTH_TOKEN": "prod-twilio-token-xyz",
    "TWILIO_FROM_NUMBER": "+913340000000",
    "TWILIO_WHATSAPP_FROM": "whatsapp:+913340000000",
}


@pytest.fixture
def bare_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No configuration at all, as a freshly built image starts."""
    for name in [*ENVIRONMENT, *PRODUCTION, "DEMO_MODE", "STAFF_DEMO_PASSWORD"]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("VAR_DIR", str(tmp_path / "var"))
    return tmp_path / "var"


def test_production_is_the_default_and_refuses_to_start_without_secrets(bare_env: Path) -> None:
    with pytest.raises(ValueError) as refused:
        Settings()
    for name in REQUIRED_OUTSIDE_DEMO:
        assert name.upper() in str(refused.value)
    assert not (bare_env / "demo-secrets.json").exists()  # nothing generated outside demo mode


def test_production_with_every_secret_starts(bare_env: Path, monkeypatch) -> None:
    for name, value in PRODUCTION.items():
        monkeypatch.setenv(name, value)
    settings = Settings()
    assert settings.demo_mode is False and settings.rasa_token == PRODUCTION["RASA_TOKEN"]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SERVICE_TOKEN", "demo-service-token"),
        ("TWILIO_WHATSAPP_FROM", "whatsapp:+14155238886"),  # Twilio's sandbox
        ("TWILIO_FROM_NUMBER", "+15005550006"),  # Twilio's test number
        ("TWILIO_ACCOUNT_SID", "AC" + "0" * 32),
        ("RASA_TOKEN", " "),
        # the same values written otherwise were let through (found probing, 2026-12-07)
        ("SERVICE_TOKEN", "demo-service-token\r"),  # a .env saved with CRLF
        ("TWILIO_WHATSAPP_FROM", "+14155238886"),  # the sandbox without its prefix
        ("TWILIO_WHATSAPP_FROM", "WhatsApp:+1 415-523-8886"),
        ("TWILIO_ACCOUNT_SID", "ac" + "0" * 32),
        ("TWILIO_AUTH_TOKEN", " demo-twilio-auth-token "),
    ],
)
def test_production_refuses_a_demo_or_empty_value(
    bare_env: Path, monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    for key, good in PRODUCTION.items():
        monkeypatch.setenv(key, good)
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=name):
        Settings()


@pytest.mark.parametrize("name", [n.upper() for n in REQUIRED_OUTSIDE_DEMO])
def test_production_refuses_every_required_secret_empty_or_demo(
    bare_env: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """Every one, RASA_TOKEN, the Twilio token and the WhatsApp sender included."""
    for key, good in PRODUCTION.items():
        monkeypatch.setenv(key, good)
    for value in ["", "  ", *sorted(KNOWN_DEMO_VALUES)]:
        monkeypatch.setenv(name, value)
        with pytest.raises(ValueError, match=name):
            Settings()


def test_demo_mode_makes_random_secrets_once_readable_by_the_owner_only(
    bare_env: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DEMO_MODE", "true")
    first = Settings()
    again = Settings()
    path = bare_env / "demo-secrets.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert first.service_token == again.service_token  # made once, then reused
    assert first.rasa_token and first.staff_demo_password and first.twilio_auth_token
    assert not {first.service_token, first.pii_salt} & KNOWN_DEMO_VALUES
    monkeypatch.setenv("VAR_DIR", str(tmp_path / "other"))
    assert Settings().service_token != first.service_token  # another checkout, other secrets
    assert set(json.loads(path.read_text())) >= {"service_token", "rasa_token"}


def test_the_demo_seed_refuses_outside_demo_mode(bare_env: Path, monkeypatch, capsys) -> None:
    from api import seed
    from api.settings import get_settings

    for name, value in PRODUCTION.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    try:
        assert seed.main() == 1
    finally:
        get_settings.cache_clear()
    assert "refusing" in capsys.readouterr().out


def test_the_stack_always_protects_rasa_and_puts_no_secret_in_a_url(tmp_path: Path) -> None:
    from scripts.stack import Stack

    env = {**ENVIRONMENT, "VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    stack = Stack(model=tmp_path / "model.tar.gz", env=env, log_dir=tmp_path / "log")
    rasa = stack.service("rasa")
    token = ENVIRONMENT["RASA_TOKEN"]
    # the token goes in Rasa's environment, which `ps` does not show, and the launcher adds it
    assert rasa.env["RASA_TOKEN"] == token and "--enable-api" in rasa.command
    assert not [word for word in rasa.command if token in word or "--auth-token" in word]
    assert f"--auth-token={token}" in with_token_from(rasa.env, rasa.command)
    for service in stack.services:
        assert "token" not in service.health_url and token not in service.health_url
        assert not [word for word in service.command if token in word]
    assert stack.service("actions").env["SANIC_HOST"] == "127.0.0.1"
    # a generated token may start with "-": still one argument, not taken for an option
    dashed = Stack(model=tmp_path / "m.tar.gz", env={**env, "RASA_TOKEN": "-dash-token-0123"})
    rasa = dashed.service("rasa")
    assert "--auth-token=-dash-token-0123" in with_token_from(rasa.env, rasa.command)


def test_make_run_cluster_binds_every_replica_to_loopback_and_guards_rasa(tmp_path: Path) -> None:
    """make run-cluster: each action server and Rasa replica listens on 127.0.0.1 only (rasa-sdk
    would take 0.0.0.0), every Rasa replica with the token."""
    from scripts.cluster import Cluster, cluster_env

    env = cluster_env({**ENVIRONMENT, "VAR_DIR": str(tmp_path)})
    cluster = Cluster(model=tmp_path / "m.tar.gz", env=env, log_dir=tmp_path / "log")
    actions = [s for s in cluster.services if s.name.startswith("actions-")]
    rasas = [s for s in cluster.services if s.name.startswith("rasa-")]
    assert len(actions) == len(rasas) == 2
    assert all(s.env["SANIC_HOST"] == "127.0.0.1" for s in actions)
    for rasa in rasas:
        assert rasa.command[rasa.command.index("--interface") + 1] == "127.0.0.1"
        token = ENVIRONMENT["RASA_TOKEN"]
        assert f"--auth-token={token}" in with_token_from(rasa.env, rasa.command)
        assert not [word for word in rasa.command if token in word]


def test_only_the_trainer_and_rasa_need_the_model_signing_key(
    bare_env: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Production: the API starts without it (it never signs or loads a model), but training
    and starting Rasa refuse; demo mode makes one into var/ and the stack hands it to Rasa."""
    from scripts.stack import Stack

    for name, value in PRODUCTION.items():
        monkeypatch.setenv(name, value)
    production = Settings()
    with pytest.raises(ValueError, match="MODEL_SIGNING_KEY"):
        production.signing_key()
    env = {**PRODUCTION, "VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    with pytest.raises(RuntimeError, match="MODEL_SIGNING_KEY"):
        Stack(model=tmp_path / "model.tar.gz", env=env, log_dir=tmp_path / "log")

    monkeypatch.setenv("DEMO_MODE", "true")
    demo = Settings()
    assert len(demo.signing_key()) >= 16 and demo.signing_key() == Settings().signing_key()
    assert "model_signing_key" in json.loads((bare_env / "demo-secrets.json").read_text())
    demo_env = {"DEMO_MODE": "true", "VAR_DIR": str(bare_env)}
    stack = Stack(model=tmp_path / "m.tar.gz", env=demo_env, log_dir=tmp_path / "log")
    assert stack.service("rasa").env["MODEL_SIGNING_KEY"] == demo.signing_key()
    for other in ("api", "actions"):  # they never sign or load a model
        assert "MODEL_SIGNING_KEY" not in stack.service(other).env


@pytest.mark.parametrize("level", ["DEBUG", "INFO"])
def test_http_clients_do_not_log_request_urls(level: str) -> None:
    """httpx logs each request's URL at INFO (and more at DEBUG): even with LOG_LEVEL=DEBUG the
    HTTP clients' loggers say only warnings and errors."""
    from api.logging_setup import configure_logging

    try:
        configure_logging(level, json_lines=True)
        for name in ("httpx", "httpcore", "urllib3"):
            assert not logging.getLogger(name).isEnabledFor(logging.INFO), (level, name)
    finally:
        configure_logging("INFO", json_lines=True)


def test_a_claim_deadline_must_name_its_source(bare_env: Path, monkeypatch) -> None:
    """Rules no scheme states are not invented: a deadline comes with the notice it is from."""
    for name, value in PRODUCTION.items():
        monkeypatch.setenv(name, value)
    assert Settings().claim_deadline_days is None
    monkeypatch.setenv("CLAIM_DEADLINE_DAYS", "365")
    with pytest.raises(ValueError, match="CLAIM_DEADLINE_SOURCE"):
        Settings()
    monkeypatch.setenv("CLAIM_DEADLINE_SOURCE", "WBBOCWWB notice 4/2026")
    assert Settings().claim_deadline_days == 365
