"""Rasa loads only models we trained: each archive carries an HMAC-SHA256 signature beside it.

Why: a Rasa model archive is a tar of pickles and TensorFlow files; loading one runs whatever it
was made to run. So the training step (scripts/train_model.py, or the image build with
`python bot/model_signing.py sign`) signs the archive it just produced with MODEL_SIGNING_KEY,
writing `<archive>.sig` (the hex HMAC-SHA256 of the archive's bytes, as
`openssl dgst -sha256 -hmac "$MODEL_SIGNING_KEY" <archive>` prints it), and bot/launch.py puts
`load_signed_model` in place of the one function every Rasa model load goes through (start-up,
`PUT /model`, a model server, remote storage). It copies the archive to a private folder while
computing the HMAC and hands Rasa that copy only when the signature matches, so nothing is
unpacked or unpickled before the check, and the file cannot be swapped between check and load.

Standard library only at import: the app environment (scripts/train_model.py) signs with it too.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any, BinaryIO

KEY_ENV = "MODEL_SIGNING_KEY"
SUFFIX = ".sig"
MIN_KEY_CHARS = 16
CHUNK = 1 << 20
_HEX = re.compile(r"^[0-9a-f]{64}$")
# what bot/launch.py installs in place of Rasa's loader (see rasa_patches.py, "signed_models")
RASA_LOADER = "rasa.core.processor.MessageProcessor._load_model"

_key: bytes | None = None  # set once by use_key() at launch, read by load_signed_model


class ModelSignatureError(Exception):
    """A model without a valid signature, or no key to check one with: never loaded."""


def key_from(value: str | None) -> bytes:
    """The signing key from its setting; refused when missing or too short to be a secret."""
    text = (value or "").strip()
    if len(text) < MIN_KEY_CHARS:
        raise ModelSignatureError(
            f"{KEY_ENV} must be set (at least {MIN_KEY_CHARS} characters): Rasa loads only "
            "models signed with it"
        )
    return text.encode()


def key_id(key: bytes) -> str:
    """8 hex digits naming the key (not revealing it): trained models are cached per key."""
    return hmac.new(key, b"model signing key id", hashlib.sha256).hexdigest()[:8]


def signature_path(model: Path) -> Path:
    return model.with_name(model.name + SUFFIX)


def _hmac(key: bytes) -> hmac.HMAC:
    return hmac.new(key, digestmod=hashlib.sha256)


def sign(model: Path, key: bytes) -> Path:
    """Write `<model>.sig`; called right after training, on the archive just produced."""
    mac = _hmac(key)
    with model.open("rb") as source:
        while chunk := source.read(CHUNK):
            mac.update(chunk)
    target = signature_path(model)
    scratch = target.with_name(target.name + ".tmp")
    scratch.write_text(mac.hexdigest() + "\n", encoding="ascii")
    scratch.replace(target)
    return target


def _expected(model: Path) -> str:
    try:
        text = signature_path(model).read_text(encoding="ascii").strip().lower()
    except (OSError, UnicodeDecodeError) as error:
        raise ModelSignatureError(
            f"{model.name} has no signature ({signature_path(model).name}): "
            "only models trained and signed by this deployment are loaded"
        ) from error
    if not _HEX.match(text):
        raise ModelSignatureError(f"{signature_path(model).name} is not a signature")
    return text


def _copy_and_check(source: BinaryIO, sink: BinaryIO, key: bytes, expected: str) -> bool:
    mac = _hmac(key)
    while chunk := source.read(CHUNK):
        mac.update(chunk)
        sink.write(chunk)
    return hmac.compare_digest(mac.hexdigest(), expected)


def verified_copy(model: Path, key: bytes, folder: Path) -> Path:
    """A private copy of `model` whose bytes match its signature; raises otherwise."""
    expected = _expected(model)
    copy = folder / model.name
    with model.open("rb") as source, copy.open("wb") as sink:
        matches = _copy_and_check(source, sink, key, expected)
    if not matches:
        copy.unlink()
        raise ModelSignatureError(
            f"{model.name} does not match its signature (changed after training, or signed "
            f"with another {KEY_ENV}): refused"
        )
    return copy


def verify(model: Path, key: bytes) -> None:
    """Raise unless `model` matches its signature (the launcher's check before Rasa starts)."""
    with tempfile.TemporaryDirectory(prefix="model-check-") as folder:
        verified_copy(model, key, Path(folder))


def use_key(value: str | None) -> None:
    """The key `load_signed_model` checks with (bot/launch.py, from MODEL_SIGNING_KEY)."""
    global _key
    _key = key_from(value)


def _archive(model_path: Any) -> Path:
    """The archive Rasa would load for `model_path`: the file, or a folder's newest."""
    from rasa.exceptions import ModelNotFound
    from rasa.model import get_latest_model

    try:
        path = Path(model_path)
    except TypeError as error:
        raise ModelNotFound(f"Model {model_path} can not be loaded.") from error
    if path.is_dir():
        latest = get_latest_model(str(path))
        if not latest:
            raise ModelNotFound(f"No model found at path '{model_path}'.")
        path = Path(latest)
    if not path.is_file():
        raise ModelNotFound(f"Model {model_path} can not be loaded.")
    return path


def load_signed_model(model_path: Any) -> tuple[str, Any, Any]:
    """Rasa 3.6.21's `MessageProcessor._load_model`, for a model with a valid signature only.

    Rasa's own loader then unpacks the verified private copy; the name it reports stays the
    archive's. A refusal raises ModelSignatureError: Rasa's `load_agent` logs it and keeps no
    model (start-up; bot/launch.py has refused earlier) or the one it had (`PUT /model`).
    """
    import rasa_patches

    if _key is None:
        raise ModelSignatureError(f"no {KEY_ENV} to check the model's signature with")
    archive = _archive(model_path)
    with tempfile.TemporaryDirectory(prefix="signed-model-") as folder:
        copy = verified_copy(archive, _key, Path(folder))
        _, metadata, runner = rasa_patches.resolve(RASA_LOADER)(copy)
    return archive.name, metadata, runner


def check_before_start(args: list[str]) -> None:
    """`rasa run`'s model (`--model`, default `models`), checked before Rasa starts: a refused
    model must stop the launch, not leave a server running without a model."""
    if not args or args[0] != "run" or any(a.startswith("--remote-storage") for a in args):
        return
    model = "models"
    for index, arg in enumerate(args):
        if arg in ("--model", "-m") and index + 1 < len(args):
            model = args[index + 1]
        elif arg.startswith("--model="):
            model = arg.split("=", 1)[1]
    if not Path(model).exists():
        return  # Rasa says so itself; nothing gets loaded
    if _key is None:
        raise ModelSignatureError(f"no {KEY_ENV} to check the model's signature with")
    verify(_archive(model), _key)


def main(argv: list[str]) -> int:
    """`python bot/model_signing.py sign|verify ARCHIVE` with MODEL_SIGNING_KEY set (the image
    build signs the model it trained; an operator checks one)."""
    if len(argv) != 2 or argv[0] not in ("sign", "verify"):
        print("usage: model_signing.py sign|verify ARCHIVE (key in $MODEL_SIGNING_KEY)")
        return 2
    try:
        key = key_from(os.environ.get(KEY_ENV))
        model = Path(argv[1])
        if argv[0] == "sign":
            print(sign(model, key))
        else:
            verify(model, key)
            print(f"{model.name}: signature ok")
    except (ModelSignatureError, OSError) as error:
        print(f"model_signing.py: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
