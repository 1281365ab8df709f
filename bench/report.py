"""Turn the bench's results into one table (console and bench/out/latest.md).

Pure functions of the results, so a missing or failed section shows as a row saying so instead
of breaking the report. Targets come from the benchmark issues and are checked here, once.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.paired import paired_notes
from scripts.nlu_eval.render import headline_ci, headline_f1, with_ci

LANG_ORDER = ("bn", "hi", "en")
GROUP_ORDER = ("native", "romanised", "mixed", "transcript")
GROUP_LABEL = {"mixed": "code-mixed"}  # the others are named as their files are
TARGETS = {
    "macro_f1": 0.95,
    "text_p95_ms_at_25": 300.0,
    "voice_cached_p95_ms": 500.0,
    "rasa_rss_mb": 1536.0,
    "load_p95_ms": 1000.0,
}


@dataclass(frozen=True)
class Row:
    area: str
    measure: str
    ours: str
    stock: str = "–"
    target: str = "–"
    met: bool | None = None


def fmt(value: Any, digits: int = 0, unit: str = "") -> str:
    """A number for the table; '–' for missing values."""
    if value is None:
        return "–"
    if isinstance(value, int | float):
        text = f"{value:.{digits}f}"
        return f"{text} {unit}".strip() if unit else text
    return str(value)


def met_text(met: bool | None) -> str:
    return {True: "yes", False: "**no**", None: "–"}[met]


def file_order(name: str) -> tuple[int, int, str]:
    """bn before hi before en; native, romanised, mixed, transcript within a language."""
    lang, _, group = name.partition("_")
    lang_i = LANG_ORDER.index(lang) if lang in LANG_ORDER else len(LANG_ORDER)
    group_i = GROUP_ORDER.index(group) if group in GROUP_ORDER else len(GROUP_ORDER)
    return lang_i, group_i, name


def group_label(name: str) -> str:
    lang, _, group = name.partition("_")
    return f"{lang} {GROUP_LABEL.get(group, group)}"


def _latency(summary: dict[str, Any] | None) -> str:
    if not summary or not summary.get("n"):
        return "–"
    return f"{fmt(summary['p50'])} / {fmt(summary['p95'])} / {fmt(summary['p99'])} ms"


def _intent_rows(nlu: dict[str, Any], tag: str) -> list[Row]:
    """Intent macro F1 per language group; `tag` names the evaluation set ("" for the blind one)."""
    ours, stock = nlu.get("ours") or {}, nlu.get("baseline") or {}
    rows = []
    files = sorted(
        set(ours.get("per_file") or {}) | set(stock.get("per_file") or {}), key=file_order
    )
    for name in files:
        mine = (ours.get("per_file") or {}).get(name)
        theirs = (stock.get("per_file") or {}).get(name)
        met = None
        if mine and not tag:  # targets hold on the blind set only
            met = headline_f1(mine) >= TARGETS["macro_f1"] and (
                theirs is None or headline_f1(mine) > headline_f1(theirs)
            )

        def cell(s: dict[str, Any] | None) -> str:
            if not s:
                return "–"
            strict = f", fallback = error {s['macro_f1']:.3f}" if "rasa_macro_f1" in s else ""
            headline = with_ci(headline_f1(s), headline_ci(s))
            return f"{headline} (acc {s['accuracy']:.3f}{strict}, n={s['n']})"

        rows.append(
            Row(
                "NLU",
                f"intent macro F1{tag}, {group_label(name)}",
                cell(mine),
                cell(theirs),
                "" if tag else ">= 0.95 and > stock",
                met,
            )
        )
    return rows


def nlu_rows(nlu: dict[str, Any]) -> list[Row]:
    """The blind set's figures (targets), then the held-out files' (seen while tuning)."""
    ours, stock = nlu.get("ours") or {}, nlu.get("baseline") or {}
    rows = _intent_rows(nlu, "")
    if nlu.get("heldout"):
        rows += _intent_rows(nlu["heldout"], " (held-out, seen while tuning)")
    for entity in ("uan", "date", "age"):
        mine = (ours.get("entities") or {}).get(entity)
        theirs = (stock.get("entities") or {}).get(entity)

        def ent(s: dict[str, Any] | None) -> str:
            return f"{s['f1']:.2f} (n={s['gold']})" if s else "–"

        if mine or theirs:
            rows.append(Row("NLU", f"entity F1, {entity}", ent(mine), ent(theirs)))
    detector = nlu.get("language_detector") or {}
    for name, s in sorted(detector.items(), key=lambda i: file_order(i[0])):
        rows.append(
            Row(
                "NLU",
                f"language detector accuracy, {group_label(name)}",
                f"{s['accuracy']:.3f} (n={s['n']})",
                "none",
            )
        )
    rows.append(
        Row(
            "NLU",
            "NLU parse p50 / p95 (in process)",
            f"{fmt(ours.get('parse_ms_p50'), 1)} / {fmt(ours.get('parse_ms_p95'), 1)} ms",
            f"{fmt(stock.get('parse_ms_p50'), 1)} / {fmt(stock.get('parse_ms_p95'), 1)} ms",
        )
    )
    if stock.get("error"):
        rows.append(Row("NLU", "stock Rasa baseline", "–", f"not measured: {stock['error'][:160]}"))
    rows.append(
        Row(
            "Cost",
            "training time (full model), peak RSS",
            _train(ours.get("train")),
            _train(stock.get("train")),
        )
    )
    return rows


def _train(info: dict[str, Any] | None) -> str:
    if not info or info.get("seconds") is None:
        return "– (reused, untimed)"
    return f"{fmt(info['seconds'])} s, {fmt(info.get('peak_rss_mb'))} MB"


def _cpu(cpu: dict[str, Any] | None) -> str:
    """`rasa 12 ms, actions 3 ms, api 4 ms; machine 25 ms (48% busy)` from bench.cpu.per_turn."""
    per = dict((cpu or {}).get("ms_per_turn") or {})
    if not per:
        return ""
    machine = per.pop("machine", None)
    text = ", ".join(f"{name} {fmt(ms, 1)} ms" for name, ms in sorted(per.items()))
    if machine is not None:
        text += f"; machine {fmt(machine, 1)} ms"
        if cpu and cpu.get("machine_busy_pct") is not None:
            text += f" ({fmt(cpu['machine_busy_pct'])}% busy)"
    return text


def kb_rows(kb: dict[str, Any]) -> list[Row]:
    from bench.kb_rows import kb_rows as rows_of_kb  # its own module: this one is long enough

    return rows_of_kb(kb)


def latency_rows(latency: dict[str, Any]) -> list[Row]:
    rows = []
    single = latency.get("single")
    if single:
        rows.append(Row("Speed", "text turn p50 / p95 / p99, 1 conversation", _latency(single)))
    at = latency.get("concurrent") or {}
    if at:
        p95 = at.get("p95")
        failures = at.get("errors", 0) + at.get("backend_5xx", 0)
        met = None if p95 is None else (p95 < TARGETS["text_p95_ms_at_25"] and not failures)
        rows.append(
            Row(
                "Speed",
                f"text turn p50 / p95 / p99, {latency.get('concurrency', 25)} conversations"
                f" ({at.get('errors', 0)} errors, {at.get('backend_5xx', 0)} backend 5xx)",
                _latency(at),
                target="p95 < 300 ms",
                met=met,
            )
        )
    cpu_text = _cpu(at.get("cpu"))
    if cpu_text:
        concurrency = latency.get("concurrency", 25)
        rows.append(Row("Speed", f"CPU per turn, {concurrency} conversations", cpu_text))
    for flow, s in (latency.get("concurrent_by_flow") or {}).items():
        rows.append(Row("Speed", f"  flow {flow}, 25 conversations", _latency(s)))
    slowest = latency.get("slowest_turn")
    if slowest:
        rows.append(
            Row(
                "Speed",
                "slowest turn (p95)",
                f"{slowest['scenario']} turn {slowest['turn']}: {fmt(slowest['p95'])} ms",
            )
        )
    return rows


def voice_rows(voice: dict[str, Any]) -> list[Row]:
    rows = []
    fresh, cached = voice.get("new_prompt"), voice.get("cached_prompt")
    if fresh:
        rows.append(Row("Speed", "voice webhook, new prompt rendered", _latency(fresh)))
    if cached:
        p95 = cached.get("p95")
        rows.append(
            Row(
                "Speed",
                "voice webhook, cached prompt",
                _latency(cached),
                target="p95 < 500 ms",
                met=None if p95 is None else p95 < TARGETS["voice_cached_p95_ms"],
            )
        )
    return rows


def load_rows(load: dict[str, Any]) -> list[Row]:
    steps = load.get("steps") or []
    trail = ", ".join(
        f"{s['concurrency']}: p95 {fmt(s.get('p95'))} ms"
        + ("" if s["passed"] else f" FAIL ({s.get('why', '')})")
        for s in steps
    )
    rows = [
        Row(
            "Capacity",
            f"concurrent conversations sustained {fmt(load.get('step_seconds'))} s "
            "(p95 < 1 s, no errors)",
            f"{load.get('sustained', 0)} ({load.get('stopped_because', '')})",
            target="report",
        ),
    ]
    if trail:
        rows.append(Row("Capacity", "load steps", trail))
    # the largest step ran the machine flat out: its CPU per turn says what caps the capacity
    cpu_text = _cpu(steps[-1].get("cpu")) if steps else ""
    if cpu_text:
        concurrency = steps[-1]["concurrency"]
        rows.append(Row("Capacity", f"CPU per turn, {concurrency} conversations", cpu_text))
    return rows


def memory_rows(memory: dict[str, Any]) -> list[Row]:
    rows = []
    for name, mb in sorted((memory.get("peak_mb") or {}).items()):
        is_rasa = name == "rasa"
        rows.append(
            Row(
                "Cost",
                f"peak RSS, {name} (incl. children)",
                fmt(mb, unit="MB"),
                target="< 1.5 GB" if is_rasa else "–",
                met=(mb < TARGETS["rasa_rss_mb"]) if is_rasa else None,
            )
        )
    if memory.get("peak_total_mb"):
        rows.append(Row("Cost", "peak RSS, whole stack", fmt(memory["peak_total_mb"], unit="MB")))
    return rows


def coldstart_rows(cold: dict[str, Any]) -> list[Row]:
    parts = ", ".join(
        f"{k.removesuffix('_up_s')} {fmt(v, 1)} s" for k, v in cold.items() if k.endswith("_up_s")
    )
    rows = [
        Row(
            "Cost",
            "cold start (processes started -> all health checks pass)",
            f"{fmt(cold.get('cold_start_s'), 1)} s ({parts})",
        )
    ]
    steps = [cold.get(k) for k in ("db_prepare_s", "model_check_s", "cold_start_s")]
    if all(isinstance(v, int | float) for v in steps):
        database, model, processes = steps
        rows.append(
            Row(
                "Cost",
                "`make run` on a set-up machine (database + model check + processes)",
                f"{fmt(sum(steps), 1)} s ({fmt(database, 1)} + {fmt(model, 1)} + "
                f"{fmt(processes, 1)} s)",
            )
        )
    return rows


def _rows_of(module: str) -> Callable[[dict[str, Any]], list[Row]]:
    """The rows of a section whose module builds its own (imported when a table is made)."""
    return lambda data: importlib.import_module(module).rows(data)


def conversation_rows(data: dict[str, Any]) -> list[Row]:
    from bench.conversations.summary import bench_rows

    return [Row("Tasks", *cells) for cells in bench_rows(data)]


def casework_rows(data: dict[str, Any]) -> list[Row]:
    from bench.casework import rows as casework_figures

    return [Row("Casework", m, f, target=t, met=ok) for m, f, t, ok in casework_figures(data)]


def importer_rows(data: dict[str, Any]) -> list[Row]:
    from bench.importer import rows as importer_figures

    return [Row("Importer", m, f) for m, f in importer_figures(data)]


SECTION_ROWS = {
    "nlu": nlu_rows,
    "conversations": conversation_rows,
    "casework": casework_rows,
    "kb": kb_rows,
    "importer": importer_rows,
    "latency": latency_rows,
    "voice": voice_rows,
    "load": load_rows,
    "memory": memory_rows,
    "coldstart": coldstart_rows,
    "efficiency": _rows_of("bench.efficiency"),
    "scale": _rows_of("bench.scale"),
    "soak": _rows_of("bench.soak"),
}
SECTION_AREA = {
    "nlu": "NLU",
    "conversations": "Tasks",
    "casework": "Casework",
    "kb": "Knowledge",
    "importer": "Importer",
    "latency": "Speed",
    "voice": "Speed",
    "load": "Capacity",
    "memory": "Cost",
    "coldstart": "Cost",
    "efficiency": "Caller",
    "scale": "Scale-out",
    "soak": "Soak",
}


def rows(results: dict[str, Any]) -> list[Row]:
    """Every row of the table, in section order; a failed section is one row with its error."""
    table: list[Row] = []
    for section, builder in SECTION_ROWS.items():
        data = results.get(section)
        if data is None:
            continue
        if isinstance(data, dict) and data.get("error"):
            table.append(Row(SECTION_AREA[section], f"{section}: not measured", data["error"]))
            continue
        table.extend(builder(data))
    return table


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_table(table: list[Row]) -> str:
    lines = [
        "| area | measure | ours | stock Rasa | target | met |",
        "|---|---|---|---|---|---|",
    ]
    for r in table:
        cells = (r.area, r.measure, r.ours, r.stock, r.target, met_text(r.met))
        lines.append("| " + " | ".join(_escape(c) for c in cells) + " |")
    return "\n".join(lines)


def header(meta: dict[str, Any]) -> str:
    return (
        f"Measured {meta.get('date', '?')} on {meta.get('machine', '?')}: "
        f"{meta.get('cores', '?')} cores, {fmt(meta.get('ram_gb'), 1)} GB RAM"
        f"{' (--quick: short durations)' if meta.get('quick') else ''}"
        f"{', backend on ' + meta['database'] if meta.get('database') else ''}; "
        f"bench took {fmt(meta.get('duration_s'))} s. Read the figures as ratios to this machine."
    )


def notes(results: dict[str, Any]) -> list[str]:
    """Short details under the table: where the time goes, how load was made."""
    out = []
    meta = results.get("meta") or {}
    if meta.get("think_time_s") is not None:
        out.append(
            "- Load: one loopback asyncio httpx client process; each conversation waits "
            f"{meta['think_time_s']} s on average (0.5-1.5 times, at random) after an answer "
            "before its next message; an empty answer, a non-200 or a timeout is an error."
        )
    out += paired_notes((results.get("nlu") or {}).get("paired") or {})
    profile = results.get("profile") or {}
    for name, data in sorted((profile.get("py_spy") or {}).items()):
        if data.get("error"):
            out.append(f"- Profile {name}: {data['error']}")
            continue
        own = data["focus"]["inclusive"][:4]
        top = data["all"]["self"][:3]
        out.append(
            f"- Profile {name} ({data['all']['samples']} samples): "
            + "; ".join(f"{f['frame']} {f['pct']}%" for f in own)
            + " | hottest leaves "
            + "; ".join(f"{f['frame']} {f['pct']}%" for f in top)
        )
    hops = profile.get("hops") or {}
    if hops:
        out.append(
            "- Hops of the slowest turn: "
            + "; ".join(f"{k} {v}" for k, v in hops.items() if not isinstance(v, dict))
        )
    for route, s in list((profile.get("api_routes") or {}).items())[:6]:
        out.append(f"- API {route}: p50 {fmt(s['p50'])} ms, p95 {fmt(s['p95'])} ms (n={s['n']})")
    validation = (results.get("latency") or {}).get("validation") or {}
    broken = [n for n, v in validation.items() if v.get("completed") is False]
    mism = [n for n, v in validation.items() if v.get("intent_mismatches")]
    if validation:
        out.append(
            f"- Scenarios: {len(validation) - len(broken)}/{len(validation)} flows completed"
            + (f" (not completed: {', '.join(broken)})" if broken else "")
            + (f"; intent differs from the script in: {', '.join(mism)}" if mism else "")
        )
    return out


def render_markdown(results: dict[str, Any]) -> str:
    meta = results.get("meta") or {}
    parts = ["## Benchmarks", "", header(meta), "", markdown_table(rows(results))]
    extra = notes(results)
    if extra:
        parts += ["", *extra]
    return "\n".join(parts) + "\n"
