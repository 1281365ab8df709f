"""The tiny Rasa project of tests/bot/conftest.py: three intents, one entity, two rules.

`greet` is answered by `utter_greet` (through the NLG endpoint when one is set) and `goodbye` by
the custom action `action_slow` (through the action endpoint), so a test can point either at a
server that never answers. `check_status` with a `uan` entity is what a forged command fills.
"""

from __future__ import annotations

from pathlib import Path

DOMAIN = """\
version: "3.1"
intents: [greet, goodbye, check_status]
entities: [uan]
slots:
  uan:
    type: text
    mappings: [{type: from_entity, entity: uan}]
responses:
  utter_greet: [{text: "hello"}]
actions: [action_slow]
"""

CONFIG = """\
recipe: default.v1
assistant_id: tiny
language: en
pipeline:
  - name: WhitespaceTokenizer
  - name: KeywordIntentClassifier
policies:
  - name: RulePolicy
"""

DATA = """\
version: "3.1"
nlu:
- intent: greet
  examples: |
    - hello
    - good morning
- intent: goodbye
  examples: |
    - bye
    - see you
- intent: check_status
  examples: |
    - my status please
    - where is my claim
rules:
- rule: greet
  steps:
  - intent: greet
  - action: utter_greet
- rule: goodbye
  steps:
  - intent: goodbye
  - action: action_slow
"""

# Run in .venv-bot with the project folder as argv[1]; prints {"model": path}. The model is signed
# as the training step signs it (MODEL_SIGNING_KEY: tests/secrets.py), so the launcher loads it.
TRAIN = r"""
import json, os, sys
from pathlib import Path
from rasa.model_training import train
sys.path.insert(0, 'bot')
import model_signing

project = Path(sys.argv[1])
result = train(
    str(project / 'domain.yml'), str(project / 'config.yml'), [str(project / 'data.yml')],
    output=str(project / 'models'), fixed_model_name='tiny',
)
assert result.code == 0, result
model_signing.sign(Path(result.model), model_signing.key_from(os.environ['MODEL_SIGNING_KEY']))
print(json.dumps({'model': result.model}))
"""


def write_project(folder: Path) -> None:
    """Write domain.yml, config.yml and data.yml into `folder`."""
    (folder / "domain.yml").write_text(DOMAIN)
    (folder / "config.yml").write_text(CONFIG)
    (folder / "data.yml").write_text(DATA)
