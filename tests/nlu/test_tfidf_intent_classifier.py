"""The TF-IDF intent classifier and its phonetic key, run for real in .venv-bot.

A tiny pipeline is trained with Rasa's own `train_nlu`, persisted to a model archive, loaded back
with `Agent.load` and asked to parse messages in a script it saw only in another form (the
phonetic key is what should carry "पेंशन" over from "pension"); entities must still come out.
"""

from __future__ import annotations

import os
from pathlib import Path

from scripts.stack import ROOT
from tests.bot_env import last_json, needs_bot_env, run_in_bot_env

DATA = """version: "3.1"
nlu:
- intent: pension_issue
  examples: |
    - meri pension band ho gayi
    - pension nahi aa rahi
    - pension ruk gayi hai
    - my pension stopped
    - pension band hai kya karu
- intent: file_claim
  examples: |
    - claim dalna hai
    - mujhe claim file karna hai
    - accident ka claim karna hai
    - i want to file a claim
    - claim ka form bharna hai
- intent: check_status
  examples: |
    - mera status batao
    - status kya hai
    - uan [100000000001](uan) ka status
    - what is my status
    - status check karna hai
- regex: uan
  examples: |
    - \\b\\d{12}\\b
"""

CONFIG = """recipe: default.v1
assistant_id: test
language: xx
pipeline:
  - name: WhitespaceTokenizer
  - name: bot.components.tfidf_intent_classifier.TfidfIntentClassifier
    C: 10
  - name: RegexEntityExtractor
    use_regexes: true
  - name: FallbackClassifier
    threshold: 0.2
policies: []
"""

SCRIPT = r"""
import asyncio, json, logging, sys
from pathlib import Path
logging.disable(logging.WARNING)
work = Path(sys.argv[1])
from api.language.phonetic import phonetic_key
from rasa.model_training import train_nlu
from rasa.core.agent import Agent
out = {"keys": [phonetic_key(t) for t in ["मेरी पेंशन बंद", "আমার পেনশন বন্ধ", "meri pension band"]]}
model = train_nlu(str(work / "config.yml"), str(work / "data"), str(work / "models"))
agent = Agent.load(model)
for text in ["मेरी पेंशन बंद हो गई", "claim file karna hai", "status 100000000002", ""]:
    parsed = asyncio.run(agent.parse_message(text))
    out[text] = {
        "intent": (parsed.get("intent") or {}).get("name"),
        "confidence": (parsed.get("intent") or {}).get("confidence"),
        "ranking": len(parsed.get("intent_ranking") or []),
        "entities": [(e["entity"], e["value"]) for e in parsed.get("entities") or []],
    }
stored = sorted(p.name for p in (work / "models").rglob("*"))
print(json.dumps(out, ensure_ascii=False))
"""


def test_phonetic_key_meets_across_scripts() -> None:
    from api.language.phonetic import phonetic_key

    assert phonetic_key("मेरी पेंशन बंद") == "meri penshan band"
    assert phonetic_key("Merii PENSSION band!!") == "meri pension band"
    assert phonetic_key("আমার টাকা কবে") == "amar taka kobe"
    assert phonetic_key("यूएएन १२३").endswith("123")


@needs_bot_env
def test_trains_persists_loads_and_predicts(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "nlu.yml").write_text(DATA, encoding="utf-8")
    (tmp_path / "config.yml").write_text(CONFIG, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    env["TF_CPP_MIN_LOG_LEVEL"] = "3"
    out = last_json(run_in_bot_env(SCRIPT, tmp_path, env=env, cwd=tmp_path))
    hindi, bengali, roman = (key.split() for key in out["keys"])
    assert hindi[0] == roman[0] and hindi[-1] == roman[-1]  # "meri ... band" in both scripts
    assert bengali[0] == "amar"
    native = out["मेरी पेंशन बंद हो गई"]
    assert native["intent"] == "pension_issue"
    assert native["ranking"] == 3
    assert out["claim file karna hai"]["intent"] == "file_claim"
    status = out["status 100000000002"]
    assert status["intent"] == "check_status"
    assert 0.2 < status["confidence"] <= 1.0
    assert ("uan", "100000000002") in [tuple(e) for e in status["entities"]]
