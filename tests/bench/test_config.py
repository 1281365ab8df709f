"""CLI section selection, the bench's endpoints file and the baseline config."""

import argparse

import pytest
import yaml

from bench.cli import SECTIONS, parse_only
from bench.nlu import BASELINE_CONFIG, baseline_config_text
from bench.stackrun import endpoints_for

ENDPOINTS = """action_endpoint:
  url: "http://127.0.0.1:5055/webhook"
  headers:
    Authorization: Bearer ${ACTION_SERVER_TOKEN}
nlg:
  url: "http://127.0.0.1:5055/nlg"
tracker_store:
  type: SQL
  dialect: "sqlite"
  db: var/trackers.db
"""


def test_only_keeps_run_order_and_rejects_unknown_sections() -> None:
    assert parse_only("load,nlu") == ["nlu", "load"]
    assert parse_only("latency,kb") == ["kb", "latency"]
    assert parse_only(None) == list(SECTIONS)
    with pytest.raises(argparse.ArgumentTypeError):
        parse_only("nlu,speed")


def test_endpoints_point_at_the_bench_ports_and_tracker_db(tmp_path) -> None:
    text = endpoints_for(ENDPOINTS, "http://127.0.0.1:25055", tmp_path / "t.db")
    doc = yaml.safe_load(text)
    assert doc["action_endpoint"]["url"] == "http://127.0.0.1:25055/webhook"
    assert doc["nlg"]["url"] == "http://127.0.0.1:25055/nlg"
    assert doc["tracker_store"]["db"] == str(tmp_path / "t.db")
    assert "Bearer ${ACTION_SERVER_TOKEN}" in text  # still unquoted: Rasa expands it


def test_baseline_is_the_rasa_init_pipeline_with_our_policies() -> None:
    baseline = yaml.safe_load(BASELINE_CONFIG.read_text())
    names = [c["name"] for c in baseline["pipeline"]]
    assert names == [
        "WhitespaceTokenizer",
        "RegexFeaturizer",
        "LexicalSyntacticFeaturizer",
        "CountVectorsFeaturizer",
        "CountVectorsFeaturizer",
        "DIETClassifier",
        "EntitySynonymMapper",
        "ResponseSelector",
        "FallbackClassifier",
    ]
    by_name = {c["name"]: c for c in baseline["pipeline"]}
    assert by_name["DIETClassifier"]["epochs"] == 100
    assert by_name["FallbackClassifier"]["threshold"] == 0.3
    ours = {"policies": [{"name": "RulePolicy"}], "pipeline": [{"name": "Other"}]}
    merged = yaml.safe_load(baseline_config_text(baseline, ours))
    assert merged["policies"] == [{"name": "RulePolicy"}]
    assert merged["pipeline"] == baseline["pipeline"]
