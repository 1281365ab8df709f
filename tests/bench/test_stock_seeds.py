"""The several-seed comparison with stock Rasa: each seed's config, and the verdict's arithmetic."""

from __future__ import annotations

import pytest
import yaml

from bench.nlu import OUR_CONFIG
from bench.stock_seeds import (
    compare_seeds,
    group_figures,
    main,
    render,
    seed_range,
    seeded_config_text,
    verdict,
)


def test_each_seed_fixes_diets_weights_and_keeps_the_stock_pipeline() -> None:
    one, two = (yaml.safe_load(seeded_config_text(s)) for s in (1, 2))
    diet = next(c for c in one["pipeline"] if c["name"] == "DIETClassifier")
    assert diet["random_seed"] == 1 and diet["epochs"] == 100
    assert [c["name"] for c in one["pipeline"]] == [c["name"] for c in two["pipeline"]]
    assert one["policies"] == yaml.safe_load(OUR_CONFIG.read_text())["policies"]
    assert seeded_config_text(1) != seeded_config_text(2)


def _figures(judged: float) -> dict[str, float]:
    return {"rasa_macro_f1": judged, "macro_f1": judged - 0.01}


def test_above_the_mean_is_not_above_every_seed() -> None:
    ours = {"hi_mixed": _figures(0.95), "bn_native": _figures(0.97)}
    stock = {
        1: {"hi_mixed": _figures(0.93), "bn_native": _figures(0.90)},
        2: {"hi_mixed": _figures(0.96), "bn_native": _figures(0.91)},
        3: {"hi_mixed": _figures(0.92), "bn_native": _figures(0.97)},
    }
    table = compare_seeds(ours, stock)
    hi = table["hi_mixed"]["rasa_macro_f1"]
    assert hi["stock_mean"] == round((0.93 + 0.96 + 0.92) / 3, 4)
    assert hi["ours_above_mean"] and hi["seeds_ours_beats"] == 2
    bn = table["bn_native"]["rasa_macro_f1"]
    assert bn["seeds_ours_beats"] == 2 and bn["seeds_tied"] == 1
    assert verdict(table) == {
        "groups": 2,
        "above_stock_mean": ["bn_native", "hi_mixed"],
        "above_every_seed": [],
        "at_or_above_0_95": ["bn_native", "hi_mixed"],
    }
    text = render({"seeds": [1, 2, 3], "table": table, "verdict": verdict(table)})
    assert "| hi_mixed | 0.950 | 0.930 | 0.960 | 0.920 | 0.937 | 2/3 |" in text


def test_a_missing_judged_figure_fails_instead_of_taking_the_strict_one() -> None:
    assert group_figures({"bn_native": _figures(0.95)}) == {"bn_native": _figures(0.95)}
    with pytest.raises(KeyError):
        group_figures({"bn_native": {"macro_f1": 0.9}})


def test_a_run_may_start_at_a_later_seed_but_never_past_the_last() -> None:
    assert seed_range(4, 5) == [4, 5] and seed_range(1, 3) == [1, 2, 3]
    for bad in (["--seeds", "3", "--first", "4"], ["--first", "0"]):
        with pytest.raises(SystemExit):
            main(bad)
