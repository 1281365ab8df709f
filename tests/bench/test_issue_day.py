"""The issue-day code beside today's: its files come out of git whole and once, with this
checkout's environments; the driver's announcement is read or refused; the comparison row."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from bench.issue_day import ISSUE_DAY, ROOT, announced, extract, train
from bench.scale import ISSUE_DAY_TAG, against_issue_day


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout.strip()


def _commit(repo: Path, text: str) -> str:
    (repo / "scripts").mkdir(exist_ok=True)
    (repo / "scripts" / "train_model.py").write_text(text)
    _git(repo, "add", "-A")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", text)
    return _git(repo, "rev-parse", "HEAD")


def test_a_commit_is_extracted_once_whole_with_links_to_the_environments(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    first = _commit(repo, "old")
    second = _commit(repo, "new")
    (repo / ".venv").mkdir()
    tree = extract(first, tmp_path / "old", root=repo)
    assert (tree / "scripts" / "train_model.py").read_text() == "old"
    assert (tree / ".venv").resolve() == (repo / ".venv").resolve()
    assert not (tree / ".venv-bot").exists()  # only what the checkout has
    (tree / "bot-model.tar.gz").write_text("trained once")
    assert extract(first, tree, root=repo) == tree
    assert (tree / "bot-model.tar.gz").exists(), "the same commit is not extracted again"
    extract(second, tree, root=repo)
    assert (tree / "scripts" / "train_model.py").read_text() == "new"
    assert not (tree / "bot-model.tar.gz").exists(), "another commit replaces the copy whole"


def test_the_issue_day_commit_is_in_this_checkouts_history() -> None:
    if _git(ROOT, "rev-parse", "--is-shallow-repository") == "true":
        pytest.skip("a shallow clone has no history to bench against")
    assert _git(ROOT, "cat-file", "-t", ISSUE_DAY) == "commit"


def test_the_drivers_announcement_is_read_and_anything_else_refused() -> None:
    found = announced('{"rasa_url": "http://127.0.0.1:25205", "pids": {"rasa": 12}}\n')
    assert found["pids"] == {"rasa": 12}
    with pytest.raises(RuntimeError, match="stopped before"):
        announced("")
    with pytest.raises(RuntimeError, match="driver said"):
        announced('["not", "it"]')


def test_the_comparison_row_gives_the_ratio_only_when_both_were_measured() -> None:
    today = {"sustained": 50, "stopped_because": "", "steps": []}
    old = {"sustained": 25, "stopped_because": "", "steps": []}
    (row,) = against_issue_day({"sqlite-1": today, ISSUE_DAY_TAG: old})
    assert (row.ours, row.met) == ("50 / 25 = 2.00x", True)
    assert against_issue_day({"sqlite-1": today, ISSUE_DAY_TAG: {"error": "no model"}}) == []
    (none_held,) = against_issue_day({"sqlite-1": today, ISSUE_DAY_TAG: {**old, "sustained": 0}})
    assert (none_held.ours, none_held.met) == ("50 / 0 = -", None)


def test_a_training_that_fails_says_why(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    commit = _commit(repo, "raise SystemExit('no training data here')")
    (repo / ".venv").symlink_to(ROOT / ".venv")
    tree = extract(commit, tmp_path / "old", root=repo)
    with pytest.raises(RuntimeError, match="its training failed: no training data here"):
        train(tree)
