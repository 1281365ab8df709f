"""`python -m voice.prerender`: render every fixed phone prompt ahead of time (bn, hi, en).

Why: the first caller of the day should not wait for synthesis; prompts with placeholders
(references, read-backs) are rendered when they are said.
"""

from __future__ import annotations

import argparse
import string

from babel.messages.pofile import read_po

from locales import LANGUAGES
from locales.catalog import CATALOG_DIR
from voice import tts

SKIP_PREFIXES = ("voice.sms_", "voice.intent.", "voice.hints_")


def fixed_prompts(lang: str) -> list[str]:
    with (CATALOG_DIR / lang / "LC_MESSAGES" / "voice.po").open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    texts = []
    for message in catalog:
        msgid, text = str(message.id or ""), str(message.string or "")
        if not msgid or not text or msgid.startswith(SKIP_PREFIXES):
            continue
        if any(name for _, name, _, _ in string.Formatter().parse(text)):
            continue  # has placeholders: rendered when said
        texts.append(text)
    return texts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Render the fixed phone prompts.")
    parser.add_argument("--lang", choices=LANGUAGES, action="append")
    args = parser.parse_args(argv)
    count = 0
    for lang in args.lang or LANGUAGES:
        for text in fixed_prompts(lang):
            for speed in ("normal", "slow"):
                if tts.render(text, lang, speed) is not None:
                    count += 1
    print(f"{count} prompts rendered into {tts.cache_dir()}")
    return count


if __name__ == "__main__":
    main()
