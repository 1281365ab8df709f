"""Ours against stock Rasa over several stock seeds, on the frozen blind set.

Why: DIET starts from random weights, so one stock model is one draw; "above stock in every
group" is only worth saying over several draws. Each seed trains the stock pipeline
(bench/baseline_config.yml with our policies, `random_seed` set on DIET) once and keeps the model
in var/bench/stock-seeds/, so an interrupted run resumes. Scored as `make bench` scores the
blind set (scripts/nlu_eval); the judged figure is `rasa test nlu`'s macro F1, the strict one
beside it.

    make bench-stock-seeds SEEDS=5        (DEMO_MODE, as make bench; ~15-60 min per seed)
    make bench-stock-seeds SEEDS=5 FIRST=4   (seeds 4 and 5 only)
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.nlu import BASELINE_CONFIG, BLIND_DIR, OUR_CONFIG, TRAIN_TIMEOUT_S, _copy_set

ROOT = Path(__file__).resolve().parent.parent
WORK_DIR = ROOT / "var" / "bench" / "stock-seeds"
OUT_DIR = ROOT / "bench" / "out"
FIGURES = ("rasa_macro_f1", "macro_f1")  # judged, strict


def seeded_config_text(seed: int) -> str:
    """The stock pipeline with our policies (as bench/nlu.py), DIET's random_seed fixed."""
    import yaml

    from bench.nlu import baseline_config_text

    baseline = yaml.safe_load(BASELINE_CONFIG.read_text(encoding="utf-8"))
    for component in baseline["pipeline"]:
        if component["name"] in {"DIETClassifier", "ResponseSelector"}:
            component["random_seed"] = seed
    ours = yaml.safe_load(OUR_CONFIG.read_text(encoding="utf-8"))
    return baseline_config_text(baseline, ours)


def stock_model(seed: int, work_dir: Path, log: Any = print) -> tuple[Path, dict[str, Any]]:
    """The seed's model, trained (timed) unless an earlier run left it."""
    from bench.nlu import timed_train

    config = work_dir / f"stock-seed-{seed}.yml"
    text = seeded_config_text(seed)
    model = work_dir / f"stock-seed-{seed}.tar.gz"
    times_file = work_dir / "train_times.json"
    times = json.loads(times_file.read_text()) if times_file.exists() else {}
    stale = not config.exists() or config.read_text(encoding="utf-8") != text
    if model.exists() and not stale:
        return model, times.get(model.name, {"note": "reused, untimed"})
    work_dir.mkdir(parents=True, exist_ok=True)
    config.write_text(text, encoding="utf-8")
    model.unlink(missing_ok=True)
    log(f"training stock seed {seed} (timed)")
    info = timed_train(
        config, work_dir, model.name.removesuffix(".tar.gz"), TRAIN_TIMEOUT_S, work_dir
    )
    times[model.name] = info
    times_file.write_text(json.dumps(times, indent=1))
    return model, info


def group_figures(per_file: dict[str, Any]) -> dict[str, dict[str, float]]:
    """Each blind file's judged and strict macro F1 (a missing figure fails, never stands in)."""
    return {
        name: {figure: float(scores[figure]) for figure in FIGURES}
        for name, scores in per_file.items()
    }


def compare_seeds(
    ours: dict[str, dict[str, float]], stock: dict[int, dict[str, dict[str, float]]]
) -> dict[str, Any]:
    """Per group and figure: ours, every seed, stock's mean and range, seeds ours beats."""
    table: dict[str, Any] = {}
    for group in sorted(ours):
        row: dict[str, Any] = {}
        for figure in FIGURES:
            draws = [stock[seed][group][figure] for seed in sorted(stock) if group in stock[seed]]
            mine = ours[group][figure]
            row[figure] = {
                "ours": round(mine, 4),
                "stock": [round(d, 4) for d in draws],
                "stock_mean": round(statistics.fmean(draws), 4) if draws else None,
                "stock_max": round(max(draws), 4) if draws else None,
                "ours_above_mean": bool(draws) and mine > statistics.fmean(draws),
                "seeds_ours_beats": sum(mine > d for d in draws),
                "seeds_tied": sum(mine == d for d in draws),
            }
        table[group] = row
    return table


def verdict(table: dict[str, Any], figure: str = "rasa_macro_f1") -> dict[str, Any]:
    """Groups where ours is above the stock mean, and above every single draw."""
    rows = {g: r[figure] for g, r in table.items()}
    return {
        "groups": len(rows),
        "above_stock_mean": sorted(g for g, r in rows.items() if r["ours_above_mean"]),
        "above_every_seed": sorted(
            g for g, r in rows.items() if r["seeds_ours_beats"] == len(r["stock"])
        ),
        "at_or_above_0_95": sorted(g for g, r in rows.items() if r["ours"] >= 0.95),
    }


def render(result: dict[str, Any]) -> str:
    """The markdown table: judged figure, ours against each seed and the stock mean."""
    seeds = result["seeds"]
    head = ["group", "ours", *[f"seed {s}" for s in seeds], "stock mean", "ours beats"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for group, row in result["table"].items():
        r = row["rasa_macro_f1"]
        cells = [group, f"{r['ours']:.3f}", *[f"{d:.3f}" for d in r["stock"]]]
        cells += [f"{r['stock_mean']:.3f}", f"{r['seeds_ours_beats']}/{len(r['stock'])}"]
        lines.append("| " + " | ".join(cells) + " |")
    v = result["verdict"]
    lines.append("")
    lines.append(
        f"Above the stock mean in {len(v['above_stock_mean'])}/{v['groups']} groups, above every "
        f"seed in {len(v['above_every_seed'])}/{v['groups']}, at or above 0.95 in "
        f"{len(v['at_or_above_0_95'])}/{v['groups']}."
    )
    return "\n".join(lines) + "\n"


def run(seeds: list[int], work_dir: Path = WORK_DIR, log: Any = print) -> dict[str, Any]:
    """Train what is missing, score ours and every seed on one private copy of the blind set."""
    from bench.nlu import evaluate
    from scripts.train_model import train

    ours_model = train(quiet=True)
    models = {seed: stock_model(seed, work_dir, log) for seed in seeds}
    with tempfile.TemporaryDirectory(prefix="bench-seeds-") as tmp:
        blind = _copy_set(BLIND_DIR, Path(tmp) / "blind")
        log(f"scoring ours ({ours_model.name})")
        ours = group_figures(evaluate(ours_model, blind)[0]["per_file"])
        stock = {}
        for seed, (model, _info) in models.items():
            log(f"scoring stock seed {seed}")
            stock[seed] = group_figures(evaluate(model, blind)[0]["per_file"])
    table = compare_seeds(ours, stock)
    return {
        "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "ours_model": ours_model.name,
        "seeds": seeds,
        "training": {str(seed): info for seed, (_model, info) in models.items()},
        "table": table,
        "verdict": verdict(table),
    }


def seed_range(first: int, last: int) -> list[int]:
    return list(range(first, last + 1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5, help="seeds up to N (default 5)")
    parser.add_argument(
        "--first",
        type=int,
        default=1,
        help="from seed K (default 1): finish a run whose first seeds were scored elsewhere",
    )
    args = parser.parse_args(argv)
    if not 1 <= args.first <= args.seeds:
        parser.error("--first must lie between 1 and --seeds")
    result = run(seed_range(args.first, args.seeds))
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / "stock_seeds.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    text = render(result)
    (OUT_DIR / "stock_seeds.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
