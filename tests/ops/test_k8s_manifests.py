"""deploy/k8s cannot be applied here (no cluster), so check it as far as we can, offline.

Every object matches the Kubernetes schema (kubernetes-validate bundles them; strict: an unknown
field is an error), and the manifests agree with the rest of the repository: the settings class
gets every value it requires outside demo mode, images, commands and ports are docker-compose.yml's,
probes name routes the processes really serve, no secret value is committed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from api.settings import REQUIRED_OUTSIDE_DEMO

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
KUBERNETES_VERSION = "1.30"  # the oldest version still widely supported by managed clusters
APP_IMAGE, RASA_IMAGE = "shramik-app", "shramik-rasa"
IMAGES = {APP_IMAGE: "Dockerfile", RASA_IMAGE: "bot/Dockerfile"}
COMPOSE_SERVICE = {"api": "api", "actions": "actions", "rasa": "rasa", "migrate": "migrate"}
SECRET_WORDS = ("TOKEN", "SECRET", "PASSWORD", "SALT", "SID", "KEY")
# Rasa serves these without its --auth-token; compose's health check uses /version.
RASA_OPEN_PATHS = {"/", "/version"}


def _documents(path: Path) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]


@pytest.fixture(scope="module")
def objects() -> list[dict[str, Any]]:
    """Every object `kubectl apply -k deploy/k8s` applies, plus the example Secret."""
    found = []
    for path in sorted(K8S.glob("*.yaml")):
        if path.name != "kustomization.yaml":
            found += _documents(path)
    return found


def _by(objects: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    matches = [o for o in objects if o["kind"] == kind and o["metadata"]["name"] == name]
    assert len(matches) == 1, f"one {kind} {name} expected, found {len(matches)}"
    return matches[0]


def _containers(objects: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Deployment/Job name -> its one container."""
    found = {}
    for obj in objects:
        if obj["kind"] in {"Deployment", "Job"}:
            (container,) = obj["spec"]["template"]["spec"]["containers"]
            found[obj["metadata"]["name"]] = container
    return found


def test_every_object_matches_the_kubernetes_schema(objects: list[dict[str, Any]]) -> None:
    try:
        import kubernetes_validate  # requirements/dev.txt
    except ImportError:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("kubernetes-validate is not installed (requirements/dev.lock)")
        pytest.skip("kubernetes-validate is not installed: make lock, then make setup")
    errors = []
    for obj in objects:
        try:
            kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)
        except Exception as exc:  # the library's ValidationError and SchemaNotFoundError
            errors.append(f"{obj.get('kind')} {obj['metadata'].get('name')}: {exc}"[:500])
    assert not errors, "\n".join(errors)


def test_kustomization_applies_every_manifest_but_the_example_secret() -> None:
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text(encoding="utf-8"))
    files = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml", "secret.example.yaml"}
    assert set(kustomization["resources"]) == files
    assert {image["name"] for image in kustomization["images"]} == set(IMAGES)
    for dockerfile in IMAGES.values():
        assert (ROOT / dockerfile).is_file()


def _env_names(objects: list[dict[str, Any]], container: dict[str, Any]) -> dict[str, str]:
    """Name -> value (ConfigMap values; `secret` for what a Secret gives) the container gets."""
    names = {e["name"]: e.get("value", "secret") for e in container.get("env", [])}
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            names |= _by(objects, "ConfigMap", source["configMapRef"]["name"])["data"]
        else:
            secret = _by(objects, "Secret", source["secretRef"]["name"])
            names |= dict.fromkeys(secret["stringData"], "secret")
    return names


@pytest.mark.parametrize("name", ["api", "actions", "migrate"])
def test_the_app_gets_every_setting_required_outside_demo_mode(
    objects: list[dict[str, Any]], name: str
) -> None:
    env = _env_names(objects, _containers(objects)[name])
    missing = [n.upper() for n in REQUIRED_OUTSIDE_DEMO if n.upper() not in env]
    assert not missing, f"{name} lacks {missing}"
    assert env["DEMO_MODE"] == "false", "production, never the demo"
    for needed in ("DATABASE_URL", "REDIS_URL", "TRACKER_DB_URL", "PUBLIC_BASE_URL"):
        assert needed in env, f"{name} lacks {needed}"


def test_rasa_gets_every_variable_its_endpoints_name(objects: list[dict[str, Any]]) -> None:
    rasa = _containers(objects)["rasa"]
    env = _env_names(objects, rasa)
    endpoints = _by(objects, "ConfigMap", "rasa-endpoints")["data"]["endpoints.yml"]
    named = set(re.findall(r"\$\{(\w+)\}", endpoints))
    assert named <= set(env), f"rasa lacks {named - set(env)}"
    assert {"TRACKER_KEY", "RASA_TOKEN", "MODEL_SIGNING_KEY"} <= set(env)
    for name, container in _containers(objects).items():  # whoever has it can sign a model
        if name != "rasa":
            assert "MODEL_SIGNING_KEY" not in _env_names(objects, container), name
    parsed = yaml.safe_load(endpoints)
    assert parsed["tracker_store"]["dialect"] == "postgresql"
    assert parsed["lock_store"]["type"] == "redis"
    compose = yaml.safe_load((ROOT / "bot" / "endpoints.compose.yml").read_text())
    assert parsed["tracker_store"]["type"] == compose["tracker_store"]["type"]
    assert parsed["nlg"]["type"] == compose["nlg"]["type"]
    (mount,) = rasa["volumeMounts"]
    assert f"{mount['mountPath'].removeprefix('/app/')}/endpoints.yml" in rasa["command"]


def _compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return loaded


def _same_command(ours: list[str], theirs: list[str]) -> None:
    """Equal but for the endpoints file and how the Rasa token is filled in."""
    assert len(ours) == len(theirs), (ours, theirs)
    for mine, compose in zip(ours, theirs, strict=True):
        if compose.startswith("${") or compose.endswith("endpoints.compose.yml"):
            continue
        assert mine == compose, (ours, theirs)


def test_images_commands_and_ports_are_docker_composes(objects: list[dict[str, Any]]) -> None:
    compose = _compose()["services"]
    containers = _containers(objects)
    assert set(containers) == set(COMPOSE_SERVICE)
    for name, container in containers.items():
        service = compose[COMPOSE_SERVICE[name]]
        dockerfile = service["build"].get("dockerfile", "Dockerfile")
        assert IMAGES[container["image"]] == dockerfile, f"{name}: image is not {dockerfile}'s"
        _same_command(container["command"], service["command"])
        command = container["command"]
        ports = [p["containerPort"] for p in container.get("ports", [])]
        if "--port" in command:
            assert ports == [int(command[command.index("--port") + 1])], name
        for published in service.get("ports", []):
            assert int(str(published).split(":")[-1]) in ports, name


def test_deployments_run_two_replicas_with_resources(objects: list[dict[str, Any]]) -> None:
    for name, container in _containers(objects).items():
        resources = container["resources"]
        for part in ("requests", "limits"):
            assert {"cpu", "memory"} <= set(resources[part]), f"{name}: {part}"
    for name in ("api", "rasa", "actions"):
        assert _by(objects, "Deployment", name)["spec"]["replicas"] == 2
        pod = _by(objects, "Deployment", name)["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True


def _api_serves(path: str) -> bool:
    """Does the API (asgi.py, as uvicorn runs it) have a GET route for `path`?"""
    from starlette.routing import Match

    from asgi import create_app

    scope = {"type": "http", "method": "GET", "path": path, "root_path": "", "headers": []}
    app = create_app(configure_logs=False)
    return any(route.matches(scope)[0] == Match.FULL for route in app.routes)


def test_probes_name_real_routes_on_the_served_port(objects: list[dict[str, Any]]) -> None:
    from rasa_sdk_plugins.hooks import OPEN_PATHS

    served: dict[str, Callable[[str], bool]] = {
        "api": _api_serves,
        "actions": OPEN_PATHS.__contains__,  # served without the token
        "rasa": RASA_OPEN_PATHS.__contains__,
    }
    compose = _compose()["services"]
    for name, serves in served.items():
        container = _containers(objects)[name]
        port_names = {p["name"] for p in container["ports"]}
        probes = [k for k in ("startupProbe", "readinessProbe", "livenessProbe") if k in container]
        assert {"readinessProbe", "livenessProbe"} <= set(probes), name
        for probe in probes:
            get = container[probe]["httpGet"]
            assert serves(get["path"]), f"{name} {probe}: no route {get['path']}"
            assert get["port"] in port_names, f"{name} {probe}: port {get['port']}"
        health = " ".join(compose[name]["healthcheck"]["test"])
        assert container["readinessProbe"]["httpGet"]["path"] in health, "compose checks another"


def test_services_select_their_pods_and_ports(objects: list[dict[str, Any]]) -> None:
    for service in (o for o in objects if o["kind"] == "Service"):
        name = service["metadata"]["name"]
        deployment = _by(objects, "Deployment", name)
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert service["spec"]["selector"].items() <= labels.items(), name
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        names = {p["name"] for p in container["ports"]}
        assert all(p["targetPort"] in names for p in service["spec"]["ports"]), name
    urls = _by(objects, "ConfigMap", "shramik-config")["data"]
    for key in ("RASA_URL", "BACKEND_URL", "ACTION_SERVER_URL"):
        host, port = urls[key].removeprefix("http://").split(":")
        service = _by(objects, "Service", host)
        assert int(port) in [p["port"] for p in service["spec"]["ports"]], key


def test_no_secret_value_is_committed(objects: list[dict[str, Any]]) -> None:
    secrets = [o for o in objects if o["kind"] == "Secret"]
    # the model signing key apart: the app's pods take all of shramik-secrets (envFrom)
    assert [s["metadata"]["name"] for s in secrets] == ["shramik-secrets", "shramik-model-signing"]
    for secret in secrets:
        for key, value in secret["stringData"].items():
            assert re.fullmatch(r"<[^<>]+>", value), f"{key} is not a <placeholder>"
    for name, container in _containers(objects).items():
        for env in container.get("env", []):
            if any(word in env["name"] for word in SECRET_WORDS):
                assert "secretKeyRef" in env.get("valueFrom", {}), f"{name}: {env['name']}"
    for config in (o for o in objects if o["kind"] == "ConfigMap"):
        for key in config["data"]:
            assert not any(w in key for w in SECRET_WORDS), f"{key} belongs in the Secret"
