"""Rasa loads only a model signed with MODEL_SIGNING_KEY (bot/model_signing.py), checked with the
real Rasa in .venv-bot: at start-up, through `PUT /model` on a running server, from a model
server, and through Rasa's own `load_agent`; nothing is unpacked before the check (the function
that unpacks an archive is never called for a refused one), and a signed model still loads.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from bot.model_signing import ModelSignatureError, key_from, sign, signature_path, verify
from scripts.stack import BOT_PYTHON, ROOT
from tests.bot_env import last_json, needs_bot_env, rasa_test_env, run_in_bot_env
from tests.ports import free_port
from tests.secrets import MODEL_SIGNING_KEY, RASA_TOKEN

KEY = key_from(MODEL_SIGNING_KEY)
OTHER_KEY = key_from("another-deployments-key-0123456789")


def _copy(model: Path, folder: Path, name: str, *, signed: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / name
    shutil.copyfile(model, copy)
    if signed:
        shutil.copyfile(signature_path(model), signature_path(copy))
    return copy


def _tampered(model: Path, folder: Path) -> Path:
    """The signed model with one byte changed and its original signature beside it."""
    copy = _copy(model, folder, "tampered.tar.gz")
    data = bytearray(copy.read_bytes())
    data[len(data) // 2] ^= 0x01
    copy.write_bytes(bytes(data))
    return copy


def test_the_signature_is_hmac_sha256_of_the_archive_as_openssl_prints_it(tmp_path) -> None:
    model = tmp_path / "m.tar.gz"
    model.write_bytes(os.urandom(3_000_000))  # more than one read chunk
    sign(model, KEY)
    expected = hmac.new(KEY, model.read_bytes(), hashlib.sha256).hexdigest()
    assert signature_path(model).read_text() == expected + "\n"
    verify(model, KEY)


def test_a_missing_changed_or_foreign_signature_is_refused(tmp_path) -> None:
    model = tmp_path / "m.tar.gz"
    model.write_bytes(b"archive bytes" * 1000)
    with pytest.raises(ModelSignatureError, match="no signature"):
        verify(model, KEY)
    sign(model, OTHER_KEY)
    with pytest.raises(ModelSignatureError, match="does not match"):
        verify(model, KEY)
    sign(model, KEY)
    model.write_bytes(b"archive bytes" * 1000 + b"!")
    with pytest.raises(ModelSignatureError, match="does not match"):
        verify(model, KEY)
    signature_path(model).write_text("not hex\n")
    with pytest.raises(ModelSignatureError, match="not a signature"):
        verify(model, KEY)


def test_a_key_must_be_set_and_long_enough() -> None:
    for value in (None, "", "   ", "short"):
        with pytest.raises(ModelSignatureError, match="MODEL_SIGNING_KEY must be set"):
            key_from(value)


# In .venv-bot: the launcher's patches applied (Rasa's CLI stopped before the server), then models
# loaded through Rasa's own `load_agent` (what start-up and `PUT /model` call), counting the calls
# of the function that unpacks an archive.
LOADS = r"""
import asyncio, json, sys, threading, warnings
warnings.filterwarnings('ignore')
sys.path.insert(0, 'bot')
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
import rasa.cli.run as cli_run
import rasa.engine.loader as loader
from rasa.core.agent import load_agent
from rasa.utils.endpoints import EndpointConfig

models = json.loads(sys.argv[1])
cli_run.run = lambda args: None
import launch
launch.main(['run'])

unpacked = []
unpack = loader.load_predict_graph_runner
def counting(*args, **kwargs):
    unpacked.append(str(args[1]))
    return unpack(*args, **kwargs)
loader.load_predict_graph_runner = counting

class ModelServer(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass
    def do_GET(self):
        body = open(models['signed'], 'rb').read()
        self.send_response(200)
        self.send_header('ETag', 'v1')
        self.send_header('filename', 'tiny.tar.gz')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

server = ThreadingHTTPServer(('127.0.0.1', 0), ModelServer)
threading.Thread(target=server.serve_forever, daemon=True).start()
model_server = EndpointConfig(url=f'http://127.0.0.1:{server.server_address[1]}/model',
                              wait_time_between_pulls=0)

async def main():
    out = {}
    for label, path in models.items():
        unpacked.clear()
        agent = await load_agent(model_path=path)
        out[label] = {'ready': agent.is_ready(), 'unpacked': len(unpacked),
                      'name': agent.processor.model_filename if agent.processor else None}
    unpacked.clear()
    agent = await load_agent(model_server=model_server)
    out['model_server'] = {'ready': agent.is_ready(), 'unpacked': len(unpacked)}
    print(json.dumps(out))

asyncio.run(main())
"""


@needs_bot_env
def test_rasa_unpacks_only_signed_models_whatever_the_way_in(tiny_model, tmp_path) -> None:
    folder = tmp_path / "models"
    foreign = _copy(tiny_model, folder / "foreign", "tiny.tar.gz", signed=False)
    sign(foreign, OTHER_KEY)
    models = {
        "signed": str(tiny_model),
        "folder_of_signed": str(tiny_model.parent),  # Rasa picks the newest archive in it
        "unsigned": str(_copy(tiny_model, folder / "unsigned", "tiny.tar.gz", signed=False)),
        "tampered": str(_tampered(tiny_model, folder / "tampered")),
        "other_key": str(foreign),
    }
    env = rasa_test_env(tmp_path)
    out = last_json(run_in_bot_env(LOADS, json.dumps(models), env=env, timeout=240))
    assert out["signed"] == {"ready": True, "unpacked": 1, "name": "tiny.tar.gz"}
    assert out["folder_of_signed"] == {"ready": True, "unpacked": 1, "name": "tiny.tar.gz"}
    for refused in ("unsigned", "tampered", "other_key"):
        assert out[refused] == {"ready": False, "unpacked": 0, "name": None}, refused
    # a model server sends the archive alone: no signature travels with it
    assert out["model_server"] == {"ready": False, "unpacked": 0}


def _exit_code(process: subprocess.Popen[bytes], timeout: float = 120) -> int | None:
    """How the launcher ended; None when it was still running (a server started): stopped."""
    try:
        return process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        return None


def _launch(model: Path, port: int, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    command = [str(BOT_PYTHON), str(ROOT / "bot" / "launch.py"), "run", "--model", str(model)]
    command += ["--enable-api", "--auth-token", RASA_TOKEN, "--port", str(port)]
    command += ["--interface", "127.0.0.1", "--endpoints", str(log.parent / "none.yml")]
    with log.open("wb") as sink:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT)


@needs_bot_env
def test_the_launcher_refuses_an_unsigned_model_before_rasa_starts(tiny_model, tmp_path) -> None:
    env = rasa_test_env(tmp_path)
    unsigned = _copy(tiny_model, tmp_path / "u", "tiny.tar.gz", signed=False)
    process = _launch(unsigned, free_port(), env, tmp_path / "unsigned.log")
    assert _exit_code(process) not in (0, None)
    said = (tmp_path / "unsigned.log").read_text()
    assert "refusing to start Rasa" in said and "tiny.tar.gz has no signature" in said

    env.pop("MODEL_SIGNING_KEY")
    process = _launch(tiny_model, free_port(), env, tmp_path / "no-key.log")
    assert _exit_code(process) not in (0, None)
    assert "MODEL_SIGNING_KEY must be set" in (tmp_path / "no-key.log").read_text()


@needs_bot_env
def test_put_model_on_a_running_server_loads_only_a_signed_model(tiny_model, tmp_path) -> None:
    port = free_port()
    log = tmp_path / "rasa.log"
    process = _launch(tiny_model, port, rasa_test_env(tmp_path), log)
    base = f"http://127.0.0.1:{port}"
    auth = {"token": RASA_TOKEN}
    try:
        deadline = time.monotonic() + 180
        while True:
            assert process.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, "Rasa did not start"
            try:
                if httpx.get(f"{base}/status", params=auth, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)

        def put(path: Path) -> int:
            body = {"model_file": str(path)}
            return httpx.put(f"{base}/model", params=auth, json=body, timeout=120).status_code

        def loaded() -> str:
            status = httpx.get(f"{base}/status", params=auth, timeout=10)
            return str(status.json()["model_file"])

        assert loaded() == "tiny.tar.gz"
        unsigned = _copy(tiny_model, tmp_path / "u", "unsigned.tar.gz", signed=False)
        assert put(unsigned) == 400
        assert put(_tampered(tiny_model, tmp_path / "t")) == 400
        assert loaded() == "tiny.tar.gz"  # the signed one stays
        assert put(_copy(tiny_model, tmp_path / "s", "again.tar.gz")) == 204
        assert loaded() == "again.tar.gz"
    finally:
        process.terminate()
        _exit_code(process, 30)


@needs_bot_env
def test_every_way_rasa_unpacks_a_model_goes_through_the_checked_loader(tmp_path) -> None:
    """The patch guards `MessageProcessor._load_model`; Rasa's other code that opens a model
    archive must stay where it is (a new caller, in an upgrade, would bypass the check)."""
    where = run_in_bot_env("import os, rasa; print(os.path.dirname(rasa.__file__))")
    package = Path(where.strip().splitlines()[-1])
    openers = ("load_predict_graph_runner(", "from_model_archive(", "MessageProcessor(")
    found = {
        path.relative_to(package).as_posix()
        for path in package.rglob("*.py")
        if any(opener in path.read_text(encoding="utf-8") for opener in openers)
    }
    assert found == {
        "core/agent.py",  # Agent.load_model builds the MessageProcessor: every load
        "core/processor.py",  # _load_model: the one that unpacks, checked
        "engine/loader.py",  # load_predict_graph_runner itself
        "engine/storage/storage.py",  # from_model_archive: declared
        "engine/storage/local_model_storage.py",  # ... and implemented
        "model_training.py",  # `rasa train --finetune`: training, never run by the launcher
    }
