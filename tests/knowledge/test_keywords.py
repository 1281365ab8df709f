"""Lexical evidence: the words that only frame a question ("tell me about X") must not count
against the passage about X; the questions here are written for these tests, none is from
scripts/kb_eval/questions/.
"""

from __future__ import annotations

import numpy as np
import pytest

from api.knowledge.keywords import LEXICAL_FEATURES, keyword_index
from api.knowledge.store import current

RECALL = LEXICAL_FEATURES.index("recall")

# (the subject alone, the subject framed as "tell me about it" / "what do you know about it")
FRAMED = [
    ("ई-श्रम", "ई-श्रम के बारे में बताइए"),
    ("eshram", "eshram ke bare me bataiye"),
    ("ই-শ্রম", "ই-শ্রম সম্পর্কে একটু বলো"),
    ("eshram", "eshram niye bolen"),
    ("maandhan", "maandhan somporke jante chai"),
    ("मानधन", "मानधन के बारे में बताओ"),
]


@pytest.mark.parametrize(("subject", "framed"), FRAMED)
def test_framing_words_do_not_lower_the_recall_share(subject: str, framed: str) -> None:
    index = keyword_index(current())
    alone = index.scores(subject)[:, RECALL]
    asked = index.scores(framed)[:, RECALL]
    assert alone.max() > 0
    np.testing.assert_allclose(asked, alone, atol=1e-6)
