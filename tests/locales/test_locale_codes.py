"""Locale codes with a script (hi-Latn, bn-Latn): normalising, helpers, and the English fallback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from locales import (
    LANGUAGES,
    LOCALES,
    MissingMessage,
    language_of,
    locale_for,
    normalise_language,
    normalise_locale,
    script_of,
    translate,
)
from locales import catalog as catalog_module


@pytest.mark.parametrize(
    ("code", "locale"),
    [
        ("hi-Latn", "hi-Latn"),
        ("hi_latn", "hi-Latn"),
        ("HI-Latn", "hi-Latn"),
        ("hi-Latn-IN", "hi-Latn"),
        ("hi_IN_latn", "hi-Latn"),
        (" bn-latn ", "bn-Latn"),
        ("BN_LATN", "bn-Latn"),
        ("bn-IN", "bn"),
        ("bn-Beng", "bn"),
        ("hi-Deva-IN", "hi"),
        ("en-Latn", "en"),
        ("en_IN", "en"),
        ("ta-Latn", "en"),
        ("", "en"),
        (None, "en"),
    ],
)
def test_locale_codes_are_normalised(code: str | None, locale: str) -> None:
    assert normalise_locale(code) == locale
    assert normalise_locale(code) in LOCALES


@pytest.mark.parametrize("code", ["hi-Latn", "hi_latn", "HI-Latn", "bn-Latn", "bn_LATN"])
def test_normalise_language_still_answers_only_a_language(code: str) -> None:
    assert normalise_language(code) in LANGUAGES
    assert normalise_language(code) == code.strip()[:2].lower()


def test_language_and_script_of_a_locale() -> None:
    assert language_of("hi-Latn") == "hi"
    assert language_of("bn_latn") == "bn"
    assert language_of("en") == "en"
    assert script_of("hi-Latn") == "latin"
    assert script_of("BN_latn") == "latin"
    assert script_of("bn") == "native"
    assert script_of("hi-IN") == "native"
    assert script_of("en") == "native"  # English is written in its own (Latin) script


@pytest.mark.parametrize(
    ("language", "script", "locale"),
    [
        ("hi", "latin", "hi-Latn"),
        ("bn", "Latin", "bn-Latn"),
        ("bn", "latn", "bn-Latn"),
        ("bn", "native", "bn"),
        ("hi", None, "hi"),
        ("hi-Latn", None, "hi-Latn"),
        ("hi-Latn", "native", "hi"),
        ("en", "latin", "en"),
        (None, "latin", "en"),
    ],
)
def test_locale_from_a_language_and_a_script_choice(
    language: str | None, script: str | None, locale: str
) -> None:
    assert locale_for(language, script) == locale


@pytest.fixture
def tiny_catalogs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """en, hi and hi-Latn catalogs where hi-Latn lacks one message that hi has."""
    texts = {
        "en": {"x.only_native": "In English", "x.both": "Both"},
        "hi": {"x.only_native": "हिंदी में", "x.both": "दोनों"},
        "hi-Latn": {"x.both": "Dono"},
    }
    for locale, messages in texts.items():
        folder = tmp_path / locale / "LC_MESSAGES"
        folder.mkdir(parents=True)
        body = "".join(f'msgid "{k}"\nmsgstr "{v}"\n\n' for k, v in messages.items())
        (folder / "bot.po").write_text(
            'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n' + body,
            encoding="utf-8",
        )
    monkeypatch.setattr(catalog_module, "CATALOG_DIR", tmp_path)
    catalog_module._messages.cache_clear()
    yield
    catalog_module._messages.cache_clear()


@pytest.mark.usefixtures("tiny_catalogs")
def test_a_missing_romanised_message_falls_back_to_english_not_native_script(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SHRAMIK_STRICT_I18N", raising=False)
    assert translate("x.both", "hi-Latn") == "Dono"
    assert translate("x.only_native", "hi-Latn") == "In English"
    assert translate("x.only_native", "hi") == "हिंदी में"


@pytest.mark.usefixtures("tiny_catalogs")
def test_a_missing_romanised_message_fails_in_strict_mode(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SHRAMIK_STRICT_I18N", "1")
    assert translate("x.both", "hi_latn") == "Dono"
    with pytest.raises(MissingMessage, match="hi-Latn"):
        translate("x.only_native", "hi-Latn")
    with pytest.raises(MissingMessage):
        translate("x.only_native", "bn-Latn")  # no bn-Latn catalog at all
