"""The held-out report: both macro F1 figures per file, each with its bootstrap interval."""

from __future__ import annotations

from typing import Any

from bench.report import rows
from scripts.nlu_eval.intervals import macro_f1_ci
from scripts.nlu_eval.metrics import rasa_prediction, strict_prediction
from scripts.nlu_eval.render import cv_markdown, headline_ci, markdown
from scripts.nlu_eval.summary import summarise


def test_each_figure_carries_the_interval_of_its_own_predictions(
    nlu_predictions: dict[str, Any],
) -> None:
    summary = summarise(nlu_predictions, resamples=1000)
    bn = summary["per_file"]["bn_native"]
    gold = [r["gold"] for r in nlu_predictions["files"]["bn_native"]]
    strict = [strict_prediction(r) for r in nlu_predictions["files"]["bn_native"]]
    undone = [rasa_prediction(r) for r in nlu_predictions["files"]["bn_native"]]
    assert bn["macro_f1_ci95"] == [round(x, 4) for x in macro_f1_ci(gold, strict, 1000)]
    assert bn["rasa_macro_f1_ci95"] == [round(x, 4) for x in macro_f1_ci(gold, undone, 1000)]
    assert bn["macro_f1_ci95"] != bn["rasa_macro_f1_ci95"]
    assert bn["rasa_macro_f1"] == nlu_predictions["rasa_test_nlu"]["bn_native"]["macro_f1"]
    assert bn["fallbacks"] == 2 and summary["per_file"]["hi_romanised"]["fallbacks"] == 1
    assert summary["intervals"] == {
        "level": 0.95,
        "method": "percentile bootstrap over the file's messages",
        "resamples": 1000,
        "seed": 0,
    }
    assert summary["overall"]["n"] == 90 and "macro_f1_ci95" not in summary["overall"]


def test_without_rasa_figures_only_the_strict_one_is_reported(
    nlu_predictions: dict[str, Any],
) -> None:
    del nlu_predictions["rasa_test_nlu"]
    scores = summarise(nlu_predictions, resamples=1000)["per_file"]["hi_romanised"]
    assert "rasa_macro_f1" not in scores and "rasa_macro_f1_ci95" not in scores
    assert headline_ci(scores) == scores["macro_f1_ci95"]


def test_markdown_shows_the_interval_beside_each_figure(nlu_predictions: dict[str, Any]) -> None:
    report = {"label": "fixture", "meta": {"load_s": 9.5}, **summarise(nlu_predictions)}
    text = markdown(report)
    bn = report["per_file"]["bn_native"]
    rasa_low, rasa_high = bn["rasa_macro_f1_ci95"]
    low, high = bn["macro_f1_ci95"]
    assert (
        f"| bn_native | 30 | 0.833 | 0.749 [{rasa_low:.3f}, {rasa_high:.3f}] "
        f"| 0.653 [{low:.3f}, {high:.3f}] | 2 | **no** |"
    ) in text
    assert "| **all** | 90 | 0.878 | | 0.545 | | |" in text
    assert "95% interval, percentile bootstrap over the file's messages (2000 resamples" in text
    assert "- check_eligibility -> ask_scheme_info: 2" in text
    assert "date F1 0.67 (P 0.60 R 0.75, n=4)" in text


def test_bench_table_shows_the_headline_interval(nlu_predictions: dict[str, Any]) -> None:
    per_file = summarise(nlu_predictions, resamples=1000)["per_file"]
    table = {r.measure: r for r in rows({"nlu": {"ours": {"per_file": per_file}}})}
    low, high = per_file["en_transcript"]["rasa_macro_f1_ci95"]
    assert table["intent macro F1, en transcript"].ours.startswith(
        f"0.966 [{low:.3f}, {high:.3f}] (acc 0.967"
    )


def test_cross_validation_table() -> None:
    result = {
        "folds": 5,
        "per_group": {"bn": {"n": 10, "accuracy": 0.9, "macro_f1": 0.85}},
        "overall": {"n": 10, "accuracy": 0.9, "macro_f1": 0.85},
        "fallback": {"0.1": {"share": 0.012, "right": 3}},
    }
    assert cv_markdown(result, "config.yml") == (
        "## 5-fold cross-validation on the training data: config.yml\n"
        "\n"
        "| training folder | n | accuracy | macro F1 |\n"
        "|---|---|---|---|\n"
        "| bn | 10 | 0.900 | 0.850 |\n"
        "| **all** | 10 | 0.900 | 0.850 |\n"
        "\n"
        "Fallback threshold: share of messages below it (of which the top intent was right)\n"
        "- 0.1: 1.2 % (3 right)\n"
    )
