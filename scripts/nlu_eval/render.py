"""The evaluation's markdown: the held-out table and the cross-validation table.

Why apart from the maths: `bench/report.py` needs `headline_f1` without importing scikit-learn,
and the wording of the tables is changed more often than the figures.
"""

from __future__ import annotations

from typing import Any

from scripts.nlu_eval.layout import TARGET_F1


def headline_f1(scores: dict[str, Any]) -> float:
    """The figure the target is judged on: `rasa test nlu`'s macro F1 when measured."""
    return float(scores.get("rasa_macro_f1", scores["macro_f1"]))


def headline_ci(scores: dict[str, Any]) -> list[float] | None:
    """The 95% interval of `headline_f1`, when the scores carry one."""
    key = "rasa_macro_f1_ci95" if "rasa_macro_f1" in scores else "macro_f1_ci95"
    return scores.get(key)


def with_ci(value: float, interval: list[float] | None) -> str:
    """`0.951 [0.912, 0.985]`, or the figure alone when there is no interval."""
    text = f"{value:.3f}"
    return f"{text} [{interval[0]:.3f}, {interval[1]:.3f}]" if interval else text


def markdown(report: dict[str, Any]) -> str:
    """The held-out report: meta line, per-file table, entities, task-intent confusions."""
    lines = [f"## NLU evaluation: {report['label']}", ""]
    meta = report["meta"]
    lines.append(
        " | ".join(
            f"{k}: {v:.1f}" if isinstance(v, float) else f"{k}: {v}" for k, v in meta.items()
        )
    )
    # the target is judged on `rasa test nlu`'s figure; the strict one beside it counts an
    # nlu_fallback as an error and, being a label of its own, costs macro F1 a whole class
    lines += [
        "",
        "| file | n | accuracy | macro F1 (rasa test nlu) | macro F1, fallback = error "
        "| nlu_fallback | >= target |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, s in report["per_file"].items():
        ok = "yes" if headline_f1(s) >= TARGET_F1 else "**no**"
        rasa = (
            with_ci(s["rasa_macro_f1"], s.get("rasa_macro_f1_ci95"))
            if "rasa_macro_f1" in s
            else "–"
        )
        strict = with_ci(s["macro_f1"], s.get("macro_f1_ci95"))
        lines.append(
            f"| {name} | {s['n']} | {s['accuracy']:.3f} | {rasa} | {strict} "
            f"| {s.get('fallbacks', 0)} | {ok} |"
        )
    o = report["overall"]
    lines.append(f"| **all** | {o['n']} | {o['accuracy']:.3f} | | {o['macro_f1']:.3f} | | |")
    intervals = report.get("intervals")
    if intervals:
        lines += [
            "",
            f"In brackets: {100 * intervals['level']:.0f}% interval, {intervals['method']} "
            f"({intervals['resamples']} resamples, seed {intervals['seed']}).",
        ]
    lines += [
        "",
        "Entities (span overlap): "
        + ", ".join(
            f"{e} F1 {s['f1']:.2f} (P {s['precision']:.2f} R {s['recall']:.2f}, n={s['gold']})"
            for e, s in report["entities"].items()
        ),
    ]
    if report["task_confusions"]:
        lines += ["", "Task-intent confusions (gold -> predicted):"]
        lines += [f"- {c['gold']} -> {c['pred']}: {c['count']}" for c in report["task_confusions"]]
    return "\n".join(lines) + "\n"


def cv_markdown(result: dict[str, Any], config_name: str) -> str:
    """The cross-validation table per training folder, and what a fallback threshold costs."""
    lines = [
        f"## {result['folds']}-fold cross-validation on the training data: {config_name}",
        "",
        "| training folder | n | accuracy | macro F1 |",
        "|---|---|---|---|",
    ]
    for name, s in [*result["per_group"].items(), ("**all**", result["overall"])]:
        lines.append(f"| {name} | {s['n']} | {s['accuracy']:.3f} | {s['macro_f1']:.3f} |")
    lines += [
        "",
        "Fallback threshold: share of messages below it (of which the top intent was right)",
    ]
    lines += [
        f"- {threshold}: {100 * f['share']:.1f} % ({f['right']} right)"
        for threshold, f in result["fallback"].items()
    ]
    return "\n".join(lines) + "\n"
