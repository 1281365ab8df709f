"""Collapsed-stack summaries and API access-log hops."""

import json
from pathlib import Path

from bench.profiling import (
    OWN_CODE,
    RASA_WORK,
    api_hops,
    api_status_counts,
    parse_collapsed,
    short_frame,
    top_frames,
)

STACKS = [
    'process 42:"python bot/launch.py run";<module> (uvicorn/main.py:1);'
    "run (api/services/status.py:10);"
    "execute (sqlalchemy/engine.py:5) 6",
    "<module> (uvicorn/main.py:1);run (api/services/status.py:10) 2",
    "<module> (uvicorn/main.py:1);select (selectors.py:3) 2",
    "garbage line without count",
]


def test_parse_collapsed_skips_malformed_lines() -> None:
    stacks = parse_collapsed(STACKS)
    assert len(stacks) == 3
    assert stacks[0][1] == 6 and len(stacks[0][0]) == 4


def test_inclusive_counts_a_frame_once_per_stack_and_self_is_the_leaf() -> None:
    result = top_frames(parse_collapsed(STACKS))
    inclusive = {f["frame"]: f["pct"] for f in result["inclusive"]}
    leaves = {f["frame"]: f["pct"] for f in result["self"]}
    assert result["samples"] == 10
    assert inclusive["<module> (uvicorn/main.py)"] == 100.0
    assert inclusive["run (api/services/status.py)"] == 80.0
    assert leaves["execute (sqlalchemy/engine.py)"] == 60.0


def test_own_code_filter_keeps_our_folders_only() -> None:
    own = top_frames(parse_collapsed(STACKS), keep=OWN_CODE)["inclusive"]
    assert [f["frame"] for f in own] == ["run (api/services/status.py)"]


def test_rasa_focus_keeps_rasa_work_not_our_actions_folder_lookalike() -> None:
    frames = [
        "run (/x/site-packages/rasa/core/actions/action.py:1);"
        "iter_errors (/x/site-packages/jsonschema/validators.py:2) 3",
    ]
    focus = top_frames(parse_collapsed(frames), keep=RASA_WORK)["inclusive"]
    assert [f["frame"] for f in focus] == ["run (rasa/core/actions/action.py)"]
    assert top_frames(parse_collapsed(frames), keep=OWN_CODE)["inclusive"] == []


def test_short_frame_drops_install_prefix_and_line() -> None:
    frame = "send (/srv/app/.venv/lib/python3.11/site-packages/httpx/_client.py:900)"
    assert short_frame(frame) == "send (httpx/_client.py)"
    assert (
        short_frame(f"f ({Path(__file__).resolve().parents[2]}/actions/flows.py:3)")
        == "f (actions/flows.py)"
    )


def test_api_hops_per_route_within_the_window() -> None:
    def line(ts: str, msg: str, ms: float) -> str:
        return json.dumps({"ts": ts, "msg": msg, "duration_ms": ms, "logger": "api.access"})

    lines = [
        line("2025-01-01T10:00:01.000+00:00", "POST /api/v1/verify -> 200", 40),
        line("2025-01-01T10:00:02.000+00:00", "POST /api/v1/verify -> 401", 60),
        line("2025-01-01T10:00:03.000+00:00", "POST /api/v1/staff/handoffs/12/reply -> 200", 5),
        line("2025-01-01T11:00:00.000+00:00", "GET /api/v1/me/status -> 200", 999),  # outside
        "not json",
        json.dumps({"msg": "startup"}),
    ]
    from datetime import datetime

    since = datetime.fromisoformat("2025-01-01T10:00:00+00:00").timestamp()
    hops = api_hops(lines, since, since + 60)
    assert set(hops) == {"POST /api/v1/verify", "POST /api/v1/staff/handoffs/{id}/reply"}
    assert hops["POST /api/v1/verify"]["n"] == 2
    assert hops["POST /api/v1/verify"]["p50"] == 50


def test_status_counts_are_read_from_the_access_log_window() -> None:
    lines = [
        json.dumps({"ts": 100.0, "msg": "POST /api/v1/verify -> 500", "duration_ms": 5000}),
        json.dumps({"ts": 101.0, "msg": "GET /api/v1/me/status -> 200", "duration_ms": 9}),
        json.dumps({"ts": 500.0, "msg": "GET /api/v1/me/status -> 500", "duration_ms": 9}),
    ]
    assert api_status_counts(lines, 99, 200) == {"2xx": 1, "5xx": 1}


def test_rasa_focus_skips_the_server_wrappers_around_every_message() -> None:
    frames = [
        "serve (/x/site-packages/rasa/core/run.py:1);"
        "handle (/x/site-packages/rasa/core/channels/channel.py:2);"
        "run (/x/site-packages/rasa/core/actions/action.py:3) 5",
    ]
    focus = top_frames(parse_collapsed(frames), keep=RASA_WORK)["inclusive"]
    assert [f["frame"] for f in focus] == ["run (rasa/core/actions/action.py)"]
