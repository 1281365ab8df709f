"""The bench's `conversations` section, and the report files every run of the suite writes.

`run(ctx)` plays the whole suite (`--quick`: the fast subset) against the bench's stack and
returns the summary for bench/out/latest.*; the transcripts go to
bench/out/conversations-latest.json and the readable report to conversations-latest.md.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.conversations import schema
from bench.conversations.channels import Target
from bench.conversations.records import Result
from bench.conversations.runner import run_all
from bench.conversations.summary import headline, markdown, summarise

OUT_DIR = Path(__file__).resolve().parents[2] / "bench" / "out"
# The suite is ~150 conversations of ~6 turns; a bound so a hung stack cannot eat the bench.
BUDGET_S = {False: 3600.0, True: 600.0}


def write_report(results: list[Result], summary: dict[str, Any], out_dir: Path = OUT_DIR) -> Path:
    """conversations-<stamp>.json (every transcript) + conversations-latest.json/.md."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    doc = {"summary": summary, "results": [r.as_dict() for r in results]}
    text = json.dumps(doc, ensure_ascii=False, indent=1, default=str)
    path = out_dir / f"conversations-{stamp}.json"
    path.write_text(text, encoding="utf-8")
    (out_dir / "conversations-latest.json").write_text(text, encoding="utf-8")
    (out_dir / "conversations-latest.md").write_text(markdown(summary), encoding="utf-8")
    return path


def target_of(env: dict[str, str]) -> Target:
    """The stack's URLs and Twilio token, read the way the stack's own processes read them."""
    from bench.voice_bench import stack_settings

    settings = stack_settings(env)
    return Target(
        api_url=env["BACKEND_URL"],
        database_url=settings.database_url,
        public_base_url=settings.public_base_url,
        twilio_token=settings.twilio_auth_token,
        session_secret=settings.session_secret,
        sender_key=settings.sender_key,
    )


def run(ctx: Any) -> dict[str, Any]:
    conversations = schema.select(schema.load(), fast=ctx.quick)
    ctx.log(f"  playing {len(conversations)} conversations one at a time")
    results = run_all(
        conversations,
        target_of(ctx.stack.env),
        budget_s=BUDGET_S[ctx.quick],
        log=lambda line: ctx.log(f"    {line}"),
    )
    summary = summarise(results)
    path = write_report(results, summary)
    ctx.log(f"  {headline(summary)}; transcripts in {path.name}")
    return {**summary, "subset": "fast" if ctx.quick else "all", "transcripts": path.name}
