"""Train the Rasa model only when its inputs changed.

The model is named after a hash of everything that shapes it (pipeline config, domain, stories,
rules, training data, custom components), so `make run` and `make test` reuse a model trained
from the same inputs and retrain the moment any of them changes. Held-out data is never used.

Each model is signed with MODEL_SIGNING_KEY the moment it is trained (`<model>.sig` beside it,
bot/model_signing.py): bot/launch.py lets Rasa load nothing else. A cached model whose signature
does not match is not ours (or was changed): it is trained again, never signed after the fact.
The key's id is part of the name, so models signed with different keys (`make run`'s demo key,
the tests' key) are cached side by side.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python scripts/train_model.py`
    sys.path.insert(0, str(ROOT))

from api.settings import get_settings  # noqa: E402
from bot.model_signing import (  # noqa: E402
    ModelSignatureError,
    key_from,
    key_id,
    sign,
    signature_path,
    verify,
)

MODELS_DIR = ROOT / "bot" / "models"
BOT_PYTHON = ROOT / ".venv-bot" / "bin" / "python"
TRAINING_DATA = [
    ROOT / "nlu_data" / "bn",
    ROOT / "nlu_data" / "hi",
    ROOT / "nlu_data" / "en",
    ROOT / "nlu_data" / "common",
    ROOT / "bot" / "data",
]
HASHED_INPUTS = [
    ROOT / "bot" / "config.yml",
    ROOT / "bot" / "domain.yml",
    ROOT / "bot" / "components",
    ROOT / "api" / "language" / "phonetic.py",  # the classifier's text key
    *TRAINING_DATA,
]
KEEP_MODELS = 3


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return []


def signing_key() -> bytes:
    """MODEL_SIGNING_KEY from the settings (demo mode: generated into var/)."""
    return key_from(get_settings().signing_key())


def inputs_hash(config: Path | None = None) -> str:
    """A short, stable digest of the model's inputs (paths and contents) and signing key id."""
    digest = hashlib.sha256()
    digest.update(f"signed with key {key_id(signing_key())}".encode())
    inputs = list(HASHED_INPUTS)
    if config is not None:
        inputs[0] = config
    for path in inputs:
        for file in _files(path):
            digest.update(str(file.relative_to(ROOT)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def model_path(config: Path | None = None) -> Path:
    stem = "model" if config is None else f"model-{config.stem}"
    return MODELS_DIR / f"{stem}-{inputs_hash(config)}.tar.gz"


def rasa_env() -> dict[str, str]:
    """Environment for any `rasa` process: the repo on sys.path, quiet TensorFlow."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("OMP_NUM_THREADS", "1")
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")
    env.setdefault("ACTION_SERVER_TOKEN", os.environ.get("ACTION_SERVER_TOKEN", "unused"))
    return env


def train_command(config: Path, out_dir: Path, name: str) -> list[str]:
    """`rasa train` on the training data (never the held-out split), shared with make bench."""
    return [
        str(BOT_PYTHON),
        "-m",
        "rasa",
        "train",
        "--config",
        str(config),
        "--domain",
        str(ROOT / "bot" / "domain.yml"),
        "--data",
        *[str(p) for p in TRAINING_DATA if p.exists()],
        "--out",
        str(out_dir),
        "--fixed-model-name",
        name,
    ]


def train(config: Path | None = None, *, quiet: bool = False) -> Path:
    """Return the model for the current inputs, training it first if it does not exist."""
    target = model_path(config)
    key = signing_key()
    if target.exists():
        try:
            verify(target, key)
        except ModelSignatureError as error:
            print(f"==> {error}; training it again", flush=True)
            target.unlink()
        else:
            if not quiet:
                print(f"==> Model up to date: {target.relative_to(ROOT)}")
            return target
    MODELS_DIR.mkdir(parents=True, exist_ok=True)
    config = config or ROOT / "bot" / "config.yml"
    print(f"==> Training the Rasa model ({target.name}); this takes a few minutes", flush=True)
    started = time.monotonic()
    command = train_command(config, MODELS_DIR, target.name.removesuffix(".tar.gz"))
    subprocess.run(command, cwd=ROOT, env=rasa_env(), check=True)
    sign(target, key)
    print(f"==> Trained in {time.monotonic() - started:.0f} s", flush=True)
    _prune(keep=target)
    return target


def _prune(keep: Path) -> None:
    stem = keep.name.rsplit("-", 1)[0]
    models = sorted(MODELS_DIR.glob(f"{stem}-*.tar.gz"), key=lambda p: p.stat().st_mtime)
    for old in models[:-KEEP_MODELS]:
        if old != keep:
            old.unlink(missing_ok=True)
            signature_path(old).unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", type=Path, help="pipeline config (default bot/config.yml)")
    parser.add_argument("--print-path", action="store_true", help="only print the model path")
    args = parser.parse_args(argv)
    try:
        if args.print_path:
            print(model_path(args.config))
        else:
            train(args.config)
    except subprocess.CalledProcessError as error:
        print(f"Training failed (exit {error.returncode}); see the output above.", file=sys.stderr)
        return 1
    except (ValueError, ModelSignatureError) as error:  # no key outside demo mode
        print(f"Not training: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
