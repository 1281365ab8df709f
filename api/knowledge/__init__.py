"""Multilingual knowledge base: one fact per passage (api/data/knowledge/*.yaml), answered only
when the calibrated confidence reaches the threshold."""

from api.knowledge.passages import Passage, PassageError
from api.knowledge.search import Answer, SearchResult, search, warm_up
from api.knowledge.store import KnowledgeBase, current

__all__ = [
    "Answer",
    "KnowledgeBase",
    "Passage",
    "PassageError",
    "SearchResult",
    "current",
    "search",
    "warm_up",
]
