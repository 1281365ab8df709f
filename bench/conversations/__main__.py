"""`python -m bench.conversations --api-url URL --database-url URL`: play the suite against a
stack that is already running (`make run`, or one a test started) and print the report.

The bench starts its own stack instead (`python -m bench --only conversations`).
"""

from __future__ import annotations

import argparse
import sys
import time

from api.settings import get_settings
from bench.conversations import schema
from bench.conversations.channels import Target
from bench.conversations.runner import run_all
from bench.conversations.section import OUT_DIR, write_report
from bench.conversations.summary import headline, markdown, summarise


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.conversations", description=__doc__)
    parser.add_argument("--api-url", default="http://127.0.0.1:8000")
    parser.add_argument("--database-url", default="sqlite:///var/shramik.db")
    parser.add_argument("--public-base-url", default="", help="PUBLIC_BASE_URL of the stack")
    parser.add_argument(
        "--twilio-token", default=None, help="default: the stack's (demo: var/demo-secrets.json)"
    )
    parser.add_argument("--fast", action="store_true", help="only the fast subset")
    parser.add_argument("--only", type=_csv, default=None, help="ids; a trailing * is a prefix")
    parser.add_argument("--lang", type=_csv, default=None)
    parser.add_argument("--channel", type=_csv, default=None)
    parser.add_argument("--budget-s", type=float, default=None)
    parser.add_argument("--list", action="store_true", help="list the conversations and stop")
    args = parser.parse_args(argv)
    chosen = schema.select(
        schema.load(), fast=args.fast, ids=args.only, languages=args.lang, channels=args.channel
    )
    if args.list:
        for c in chosen:
            print(f"{c.id}\t{c.channel}\t{c.task}\t{','.join(c.patterns)}")
        return 0
    token = args.twilio_token or get_settings().twilio_auth_token
    secret = get_settings().session_secret  # the texted codes (demo: var/demo-secrets.json)
    key = get_settings().sender_key  # the stack's (demo: var/demo-secrets.json)
    target = Target(args.api_url, args.database_url, args.public_base_url, token, secret, key)
    started = time.monotonic()
    results = run_all(chosen, target, budget_s=args.budget_s, log=print)
    summary = summarise(results)
    path = write_report(results, summary)
    print(markdown(summary))
    print(
        f"{headline(summary)}; {len(results)} conversations in {time.monotonic() - started:.0f} s"
    )
    print(f"wrote {path} and {OUT_DIR / 'conversations-latest.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
