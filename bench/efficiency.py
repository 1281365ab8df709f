"""Task efficiency: what a caller pays for a status check, by keypad and by speech.

Each scripted call (bench/scenarios.yaml `voice_calls`) is played with the project's simulator
(voice.simulate.CallSimulator). Turns = answers the caller gave; audio = seconds of every prompt
heard, measured from the WAV/MP3 the gateway serves (python wave / soxi), or estimated from the
text of <Say> prompts when there is no audio (each call says which). A call is completed when
the backend served its task's route during it (GET /api/v1/me/status: the status was really
looked up; POST /api/v1/me/renewals: the renewal was filed).

Goals (the phone issue), checked per call on `task_audio_s`, the audio from the first word to the
end of the sentence that gives the task's result (the caller's own status, the renewal and its
reference), so the offer of more and the menu after it do not count, plus `waited_s`, the
silences a caller sat through waiting for the menu (a `silence` step: the <Gather>'s timeout; a
keypad caller who waits for the options after the open question): a status check by keypad in
under 60 s and at most 4 turns, by speech in under 45 s; a renewal in under 90 s.
Every call starts on the demo data as seeded (the workers are reset before each call).
"""

from __future__ import annotations

import time
from typing import Any

from api.domain.references import REFERENCE_IN_TEXT
from bench.audio import WORDS_PER_SECOND, audio_seconds, estimate_speech_seconds
from bench.profiling import api_hops
from bench.report import Row, fmt
from bench.voice_bench import answer, simulator


def heard_seconds(
    sim: Any,
    client: Any,
    start: int = 0,
    end: int | None = None,
    skip: frozenset[int] = frozenset(),
) -> tuple[float, str]:
    """Seconds of audio in the simulator's events[start:end] but those in `skip` (spoken over by
    the caller: barge-in), and how they were known."""
    total, kinds = 0.0, set()
    for index, event in enumerate(sim.events[start:end], start=start):
        if index in skip:
            continue
        if event.kind == "pause":
            total += 1.0
        elif event.kind == "play" and event.url:
            seconds = None
            response = client.get(event.url)  # the bench serves PUBLIC_BASE_URL itself
            if response.status_code == 200:
                suffix = "." + event.url.rsplit(".", 1)[-1]
                seconds = audio_seconds(response.content, suffix)
            if seconds is None:
                kinds.add("estimated from text (audio unreadable)")
                total += estimate_speech_seconds(event.text)
            else:
                kinds.add("measured from WAV")
                total += seconds
        elif event.kind == "say":
            kinds.add("estimated from text")
            total += estimate_speech_seconds(event.text)
    return round(total, 1), " + ".join(sorted(kinds)) or "nothing heard"


def timeline(
    sim: Any, client: Any, end: int | None = None, skip: frozenset[int] = frozenset()
) -> list[tuple[float, str]]:
    """Each prompt up to `end` with its seconds heard: where a call's time goes (a prompt the
    caller spoke over counts 0 s and is marked so)."""
    return [
        (
            heard_seconds(sim, client, i, i + 1, skip)[0],
            ("(spoken over) " if i in skip else "") + (sim.events[i].text or sim.events[i].kind),
        )
        for i in range(len(sim.events[:end]))
    ]


def spoken_over(sim: Any, start: int, after: str | None, lang: str) -> frozenset[int]:
    """The prompts of the reply from `start` on that follow the prompt `after` (a catalog id):
    the caller speaks once they have heard it, and the <Gather> (bargeIn) stops the rest. None
    when the reply never says it: the caller then hears everything."""
    if not after:
        return frozenset()
    from locales import translate

    words = translate(after, lang)
    for i in range(start, len(sim.events)):
        if sim.events[i].text == words:
            return frozenset(range(i + 1, len(sim.events)))
    return frozenset()


COMPLETED_BY = {"status": "GET /api/v1/me/status", "renewal": "POST /api/v1/me/renewals"}
GOALS = {  # (task, mode) -> (seconds of audio below, turns at most)
    ("status", "keypad"): (60.0, 4),
    ("status", "speech"): (45.0, None),
    ("renewal", "keypad"): (90.0, None),
    ("renewal", "speech"): (90.0, None),
}


def result_event(sim: Any, since: int) -> int | None:
    """Index of the task's result among the events from `since` on: the last sentence of the
    caller's own (personal audio: the status, the renewal) before the reply's last fixed prompt
    (the offer of more, the menu; its numbered choices are personal audio again), else the last
    sentence that names a reference."""
    personal: list[int] = []
    fixed = named = None
    for i, event in enumerate(sim.events[since:], start=since):
        if event.kind == "play" and "/audio/p/" in event.url:
            personal.append(i)
        elif event.kind == "play":
            fixed = i
        if event.kind in ("play", "say") and REFERENCE_IN_TEXT.search(event.text or ""):
            named = i
    before = [i for i in personal if fixed is None or i < fixed]
    return before[-1] if before else named


def goal_met(task: str, mode: str, turns: int, task_audio_s: float) -> dict[str, Any]:
    seconds, max_turns = GOALS.get((task, mode), (None, None))
    met = seconds is None or task_audio_s < seconds
    if max_turns is not None:
        met = met and turns <= max_turns
    return {"goal_s": seconds, "goal_turns": max_turns, "goal_met": met}


def fresh_number(n: int) -> str:
    """A number the line has not heard before (new each run, so no language is remembered)."""
    return f"+9196{(int(time.time()) * 100 + n) % 10**8:08d}"


def run(ctx: Any) -> dict[str, Any]:
    import httpx

    from bench.conversations.backend_db import BackendDb
    from bench.voice_bench import stack_settings

    runs = []
    db = BackendDb(stack_settings(ctx.stack.env).database_url)
    with httpx.Client(timeout=30) as client:
        for n, call in enumerate(ctx.script.voice_calls):
            db.reset()  # every call on the demo data as seeded (a renewal filed changes it)
            since = time.time()
            record: dict[str, Any] = {"call": call.name, "mode": call.mode, "task": call.task}
            record["language"] = call.language
            caller = fresh_number(n) if call.from_number == "new" else call.from_number
            sim = simulator(ctx, client, caller)
            turns = 0
            waited_s = 0  # the <Gather> timeouts the caller sat through (silence steps)
            before_last = 0
            skip: frozenset[int] = frozenset()
            try:
                sim.start()
                for step in call.steps:
                    if sim.ended or sim.gather is None:
                        break
                    skip |= spoken_over(sim, before_last, step.get("after"), call.language)
                    before_last = len(sim.events)
                    if "silence" in step:  # waiting is not a turn, but its time counts
                        waited_s += int(sim.gather.attributes.get("timeout") or 5)
                    else:
                        turns += 1
                    answer(sim, step)
            except Exception as exc:  # one broken call must not hide the others
                record["error"] = f"{type(exc).__name__}: {str(exc)[:200]}"
            audio_s, how = heard_seconds(sim, client, skip=skip)
            to_answer_s, _ = heard_seconds(sim, client, 0, before_last, skip)
            found = result_event(sim, before_last)
            task_audio_s = (
                heard_seconds(sim, client, 0, found + 1, skip)[0] if found is not None else None
            )
            record["barge_in"] = [step["after"] for step in call.steps if step.get("after")]
            record["spoken_over"] = len(skip)
            looked_up = api_hops(ctx.api_lines(), since, time.time() + 0.5)
            record.update(
                turns=turns,
                audio_s=audio_s,
                task_audio_s=task_audio_s,
                audio_to_last_answer_s=to_answer_s,
                answer_and_after_s=round(audio_s - to_answer_s, 1),
                audio_source=how,
                completed=COMPLETED_BY.get(call.task, "") in looked_up and found is not None,
                webhook_ms=[round(s * 1000) for s in sim.response_times],
                heard=sim.heard[-3:],
                timeline=timeline(sim, client, None if found is None else found + 1, skip),
            )
            record["waited_s"] = waited_s
            task_s = (task_audio_s or audio_s) + waited_s
            record.update(goal_met(call.task, call.mode, turns, round(task_s, 1)))
            runs.append(record)
    db.close()
    return {
        "runs": runs,
        "words_per_second_for_estimates": WORDS_PER_SECOND,
        "menu_choices": menu_choices(stack_settings(ctx.stack.env).database_url),
    }


def menu_choices(database_url: str) -> dict[str, dict[str, int]]:
    """How often each option of each keypad menu was chosen on the bench's stack (the calls
    service's own counts, from the database, as a deployment would read them)."""
    from sqlalchemy.orm import Session

    from api.db.session import make_engine
    from api.services import menu_order

    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            return menu_order.counts(session)
    finally:
        engine.dispose()


def _goal(run: dict[str, Any]) -> str:
    if run.get("goal_s") is None:
        return "–"
    turns = f", <= {run['goal_turns']} turns" if run.get("goal_turns") else ""
    return f"< {fmt(run['goal_s'])} s{turns}"


def rows(eff: dict[str, Any]) -> list[Row]:
    """The report's rows: each call against its goal, then the keypad choices per menu."""
    rows = []
    for run in eff.get("runs") or []:
        met: bool | None = None
        if run.get("error"):
            value = f"error: {run['error']}"
        else:
            value = (
                f"{run['turns']} turns, {fmt(run.get('task_audio_s'), 1)} s audio to the result "
                + (f"+ {run['waited_s']} s waiting for the menu " if run.get("waited_s") else "")
                + f"({fmt(run.get('audio_s'))} s with the menu after it; "
                f"{run.get('audio_source', '?')})"
                + ("" if run.get("completed", True) else ", NOT completed")
            )
            met = bool(run.get("goal_met")) and bool(run.get("completed", True))
        task = run.get("task", "status")
        measure = f"{task} by {run['mode']}, {run['language']}"
        if run.get("barge_in"):  # the caller speaks once invited, over the menu
            measure += f" (speaks over the rest after {', '.join(run['barge_in'])})"
        rows.append(Row("Caller", measure, value, target=_goal(run), met=met))
    for level, chosen in sorted((eff.get("menu_choices") or {}).items()):
        ranked = sorted(chosen.items(), key=lambda item: (-item[1], item[0]))
        value = ", ".join(f"{option} {n}" for option, n in ranked)
        rows.append(Row("Caller", f"keypad choices, menu {level}", value))
    return rows
