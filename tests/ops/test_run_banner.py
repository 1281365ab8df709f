"""`make run` prints the demo workers from the dataset it seeded (not a copy that falls behind):
every demo UAN with its date of birth and memberships, the transport workers included."""

from __future__ import annotations

import yaml

from api.seed import DATA_DIR
from scripts.run_stack import _demo_workers
from tests.factory import BIKASH, GOPAL, MANOJ, RINA


def test_the_banner_lists_every_demo_worker_with_their_schemes() -> None:
    lines = _demo_workers()
    raw = yaml.safe_load((DATA_DIR / "demo_dataset.yaml").read_text(encoding="utf-8"))
    assert len(lines) == len(raw["workers"])
    text = "\n".join(lines)
    for person in (RINA, BIKASH, MANOJ, GOPAL):
        assert f"{person.uan}  {person.born.strftime('%d-%m-%Y')}  {person.language}" in text
    assert "state_social_security, wbtwsss" in text and "pension (wbtwsss)" in text
