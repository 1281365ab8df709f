"""`make run`: start the stack on embedded defaults, print where things are, stop on Ctrl-C.

The database and the model are prepared by the Makefile before this runs; this script only starts
the processes, waits until each answers, prints the URLs and watches them.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api.seed import load_yaml  # noqa: E402
from api.settings import get_settings  # noqa: E402
from scripts.stack import Stack  # noqa: E402
from scripts.train_model import model_path  # noqa: E402


def _demo_workers() -> list[str]:
    """One line per demo worker, from the dataset the database was seeded with."""
    lines = []
    for w in load_yaml("demo_dataset.yaml")["workers"]:
        schemes = ", ".join(e["scheme"] for e in w.get("enrollments", []))
        pension = f"; pension ({w['pension']['scheme']})" if w.get("pension") else ""
        born = w["date_of_birth"].strftime("%d-%m-%Y")
        lines.append(
            f"    {w['uan']}  {born}  {w['preferred_language']}  {w['name']['en']}: "
            f"{w.get('occupation', '')}; {schemes}{pension}"
        )
    return lines


def _banner(stack: Stack) -> str:
    settings = get_settings()
    public = settings.public_base_url.rstrip("/")
    api = settings.backend_url.rstrip("/")
    lines = [
        "",
        "Shramik Sahayak is running.",
        f"  Web chat (try it in a browser)   {api}/chat",
        f"  Officers' console (hand-overs)   {api}/console",
        f"  Backend API docs (OpenAPI)       {api}/api/docs",
        f"  Rasa server (loopback only)      {settings.rasa_url}",
        f"  Action server (loopback only)    {settings.action_server_url}",
        "  Twilio webhooks (set them on the number; PUBLIC_BASE_URL must be reachable by Twilio):",
        f"    Voice URL        POST {public}/voice/incoming",
        f"    Status callback  POST {public}/voice/status",
        f"    Missed-call URL  POST {public}/voice/missed-call",
        f"    Messaging URL    POST {public}/sms/incoming   (SMS and WhatsApp)",
        f"    Message status   POST {public}/sms/status",
        f"  Try a call without a phone: .venv/bin/python -m voice.simulate --base-url {api}",
        f"  Logs: {stack.log_dir.relative_to(ROOT)}/",
    ]
    if settings.demo_mode:
        made = (settings.var_dir / "demo-secrets.json").resolve()
        shown = made.relative_to(ROOT) if made.is_relative_to(ROOT) else made
        lines += [
            "",
            "*" * 78,
            "*  DEMO MODE: demo people, demo secrets. NOT FOR REAL WORKERS' DATA.",
            "*  Production: DEMO_MODE=false (the default) with every secret set (README).",
            "*" * 78,
            f"  Demo secrets (random, made once): {shown} (readable by you only)",
            f"  Staff login: officer1 / {settings.staff_demo_password}",
            f"  Twilio auth token used for signatures: {settings.twilio_auth_token}",
            "  Demo workers (UAN, date of birth, language, memberships):",
            *_demo_workers(),
        ]
    lines.append("Press Ctrl-C to stop.")
    return "\n".join(lines)


def main() -> int:
    os.environ.setdefault("DEMO_MODE", "true")  # `make run` is the demo; production is not
    model = model_path()
    if not model.exists():
        print(f"No trained model at {model}; run `make run` (it trains first).", file=sys.stderr)
        return 1
    return serve(Stack(model=model), "the API, the action server and Rasa")


def serve(stack: Stack, what: str) -> int:
    """Start `stack`, print where things are, watch its processes, stop on Ctrl-C or a death.

    Shared with scripts/cluster.py (`make run-cluster`)."""
    stopping = False

    def _stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    print(f"==> Starting {what} (Rasa loads its model: ~1 min)")
    started = time.monotonic()
    try:
        stack.start(progress=lambda line: print(f"    {line}", flush=True))
    except (RuntimeError, TimeoutError) as error:
        print(f"Start-up failed: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\n==> Interrupted during start-up; stopping ...", flush=True)
        stack.stop()
        return 130
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    print(f"    all up in {time.monotonic() - started:.0f} s")
    print(_banner(stack), flush=True)
    try:
        while not stopping:
            for service in stack.services:
                if not service.alive():
                    print(f"{service.name} stopped unexpectedly; last log lines:", file=sys.stderr)
                    print(service.log_tail(), file=sys.stderr)
                    stopping = True
            time.sleep(1)
    finally:
        print("\n==> Stopping ...", flush=True)
        stack.stop()
        print("Stopped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
