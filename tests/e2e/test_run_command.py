"""`make run`'s supervisor: starts everything, prints where things are, stops cleanly on Ctrl-C."""

from __future__ import annotations

import json
import signal
import socket
import stat
import subprocess
import time

import pytest

from scripts.stack import APP_PYTHON, ROOT
from scripts.train_model import train
from tests.secrets import MODEL_SIGNING_KEY

pytestmark = pytest.mark.e2e
# Below the kernel's ephemeral range (32768-60999 here): 38000 was once taken as the local end of
# an outgoing connection and the API failed with "address already in use".
PORTS = {"api": 21000, "actions": 21055, "rasa": 21005}


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.3)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_run_prints_urls_and_stops_on_ctrl_c(tmp_path) -> None:
    train(quiet=True)
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'run.db'}",
        "API_PORT": str(PORTS["api"]),
        "BACKEND_URL": f"http://127.0.0.1:{PORTS['api']}",
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{PORTS['api']}",
        "RASA_URL": f"http://127.0.0.1:{PORTS['rasa']}",
        "ACTION_SERVER_URL": f"http://127.0.0.1:{PORTS['actions']}",
        # the key `train()` signed the model with (`make run` uses var/'s demo key for both)
        "MODEL_SIGNING_KEY": MODEL_SIGNING_KEY,
    }
    for module in ("api.db.migrate", "api.seed"):  # as `make db` runs them: a demo
        subprocess.run(
            [str(APP_PYTHON), "-m", module], cwd=ROOT, env={**env, "DEMO_MODE": "true"}, check=True
        )
    run = subprocess.Popen(
        [str(APP_PYTHON), "scripts/run_stack.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []
    try:
        deadline = time.monotonic() + 240
        assert run.stdout is not None
        while time.monotonic() < deadline:
            line = run.stdout.readline()
            if not line and run.poll() is not None:
                break
            output.append(line)
            if line.startswith("Press Ctrl-C"):
                break
        text = "".join(output)
        assert "Press Ctrl-C" in text, text
        assert f"POST http://127.0.0.1:{PORTS['api']}/voice/incoming" in text
        # no secret in the source: made once into var/, readable by the owner only, printed
        secrets_file = tmp_path / "demo-secrets.json"
        assert stat.S_IMODE(secrets_file.stat().st_mode) == 0o600
        password = json.loads(secrets_file.read_text())["staff_demo_password"]
        assert f"officer1 / {password}" in text and "DEMO MODE" in text
        assert all(_listening(p) for p in PORTS.values())
        run.send_signal(signal.SIGINT)
        assert run.wait(timeout=60) == 0
        assert not any(_listening(p) for p in PORTS.values()), "a process outlived Ctrl-C"
    finally:
        if run.poll() is None:
            run.kill()
