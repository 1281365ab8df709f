"""`scripts/eval_nlu.py` keeps its flags and outputs; the Rasa side is replaced by fixtures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from scripts import eval_nlu
from scripts.nlu_eval import cli
from scripts.nlu_eval.cross_validation import cv_result
from scripts.nlu_eval.layout import ROOT

FLAGS = ("--config", "--candidate", "--model", "--heldout", "--out", "--keep", "--cv")


@pytest.fixture
def heldout(tmp_path: Path) -> Path:
    folder = tmp_path / "heldout"
    folder.mkdir()
    for name in ("bn_native", "hi_romanised", "en_transcript"):
        (folder / f"{name}.yml").write_text("nlu: []\n", encoding="utf-8")
    return folder


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch, nlu_predictions: dict[str, Any]) -> list[tuple]:
    """Every `predict` call, answered with the fixture predictions."""
    calls: list[tuple] = []

    def fake_predict(model: Path, heldout: Path, workdir: Path) -> dict[str, Any]:
        calls.append((model, heldout))
        return nlu_predictions

    monkeypatch.setattr(cli, "predict", fake_predict)
    return calls


def test_runs_as_a_file_with_every_flag() -> None:
    done = subprocess.run(
        [sys.executable, "scripts/eval_nlu.py", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert all(flag in done.stdout for flag in FLAGS)
    assert "Measure the NLU pipeline on the held-out files" in done.stdout


def test_model_run_writes_markdown_report_and_predictions(
    tmp_path: Path,
    heldout: Path,
    parsed: list[tuple],
    nlu_predictions: dict[str, Any],
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "eval" / "r.md"
    code = eval_nlu.main(["--model", "m.tar.gz", "--heldout", str(heldout), "--out", str(out)])
    assert code == 1  # bn_native and hi_romanised are below the target
    assert parsed == [(Path("m.tar.gz").resolve(), heldout)]
    text = out.read_text(encoding="utf-8")
    assert capsys.readouterr().out == text + "\n"
    report = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert report["label"] == "m.tar.gz"
    assert set(report["meta"]) == {"load_s", "load_rss_mb", "parse_ms_p50", "parse_ms_p95"}
    assert set(report) >= {"per_file", "overall", "task_confusions", "entities", "errors"}
    for scores in report["per_file"].values():
        assert len(scores["macro_f1_ci95"]) == len(scores["rasa_macro_f1_ci95"]) == 2
    written = json.loads(out.with_suffix(".predictions.json").read_text(encoding="utf-8"))
    assert written == nlu_predictions["files"]


def test_a_relative_heldout_folder_is_read_from_where_it_was_given(
    heldout: Path, parsed: list[tuple], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parsing subprocess runs in a temporary folder: a relative path must not score 0."""
    monkeypatch.chdir(heldout.parent)
    eval_nlu.main(["--model", "m.tar.gz", "--heldout", heldout.name])
    assert parsed == [(heldout.parent / "m.tar.gz", heldout)]


def test_training_run_swaps_the_candidate_and_keeps_the_model(
    tmp_path: Path, heldout: Path, parsed: list[tuple], monkeypatch: pytest.MonkeyPatch
) -> None:
    trained: list[str] = []

    def fake_train(config: Path, workdir: Path) -> tuple[Path, float, float]:
        trained.append(config.read_text(encoding="utf-8"))
        model = workdir / "nlu.tar.gz"
        model.write_bytes(b"model")
        return model, 12.0, 300.0

    monkeypatch.setattr(cli, "train", fake_train)
    keep = tmp_path / "kept" / "model.tar.gz"
    out = tmp_path / "r.md"
    args = ["--candidate", "tfidf", "--keep", str(keep), "--heldout", str(heldout)]
    eval_nlu.main([*args, "--out", str(out)])
    assert "TfidfIntentClassifier" in trained[0] and "# <<< intent classifier" in trained[0]
    assert keep.read_bytes() == b"model"
    report = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert report["label"] == "config.yml / candidate tfidf"
    assert report["meta"]["train_s"] == 12.0 and report["meta"]["train_rss_mb"] == 300.0


def test_no_heldout_files_is_exit_code_2(tmp_path: Path) -> None:
    assert eval_nlu.main(["--model", "m", "--heldout", str(tmp_path)]) == 2


def test_worker_modes_and_cv_are_dispatched(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple] = []
    monkeypatch.setattr(cli, "worker", lambda *a: seen.append(("worker", *a)))
    monkeypatch.setattr(cli, "cv_worker", lambda *a: seen.append(("cv", *a)))
    monkeypatch.setattr(cli, "cross_validate", lambda config: seen.append(("cv-run", config)) or 0)
    assert eval_nlu.main(["--worker", "m", "h", "o"]) == 0
    assert eval_nlu.main(["--cv-worker", "c", "o"]) == 0
    assert eval_nlu.main(["--cv", "--config", "x.yml"]) == 0
    assert seen == [("worker", "m", "h", "o"), ("cv", "c", "o"), ("cv-run", Path("x.yml"))]


def test_cv_result_per_folder_and_fallback_cost() -> None:
    gold = ["a", "a", "b", "b"]
    pred = ["a", "b", "b", "b"]
    result = cv_result(gold, pred, [0.9, 0.12, 0.35, 0.05], ["bn", "bn", "hi", "hi"], folds=5)
    assert result["per_group"]["bn"]["accuracy"] == 0.5
    assert result["per_group"]["hi"]["macro_f1"] == 1.0
    assert result["overall"]["n"] == 4 and result["folds"] == 5
    assert result["fallback"]["0.1"] == {"share": 0.25, "right": 1}
    assert result["fallback"]["0.4"] == {"share": 0.75, "right": 2}
