"""Multilingual knowledge base: scheme questions answered from api/data/knowledge_base.yaml."""

from api.knowledge.entries import Entry, load_entries
from api.knowledge.search import Answer, SearchResult, search

__all__ = ["Answer", "Entry", "SearchResult", "load_entries", "search"]
