"""Which procedures a question is about: BM25 (bm25s) over the catalog's normalised text and the synonyms.

Each operational procedure is one document: its name (twice), its colloquial names from the synonym
list (twice), its field and its result, each part in the catalog's normalised form (`core.text.tokens`:
folded words and adjacent pairs, pairs never straddling two parts). A question goes through the same
steps: folded, abbreviations and listed typos expanded, question words dropped; a word still unknown
to the index is replaced by the index's word one edit away, when there is one (a typo not listed).
The index is rebuilt when the catalog (count, last update) or the synonym file changes.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Any

import bm25s
import numpy as np
from django.db.models import Count, Max

from motcua.catalog.models import Procedure

from . import synonyms as synonym_list
from .synonyms import Synonyms, content_words, words_of

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Match:
    code: str
    name: str
    score: float


def _pairs(words: list[str]) -> list[str]:
    return [f"{a}_{b}" for a, b in zip(words, words[1:], strict=False)]


def _terms(words: list[str]) -> list[str]:
    return words + _pairs(words)


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


class _Index:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version: Any = None
        self._codes: list[str] = []
        self._names: list[str] = []
        self._bm25: bm25s.BM25 | None = None
        self._vocabulary: set[str] = set()
        self._frequency: Counter[str] = Counter()
        self._by_delete: dict[str, list[str]] = {}
        self._terms: list[set[str]] = []
        self.synonyms = Synonyms()

    def _document(self, parts: list[tuple[str, int]], synonyms: Synonyms, colloquial) -> list[str]:
        terms: list[str] = []
        for text, times in parts:
            if text:
                terms += _terms(content_words(words_of(text), synonyms)) * times
        for name in colloquial:
            terms += _terms(content_words(name, synonyms)) * 2
        return terms or ["_"]

    def refresh(self) -> None:
        synonyms = synonym_list.current()
        catalog = Procedure.objects.filter(status=Procedure.Status.OPERATIONAL, is_active=True)
        version = (catalog.aggregate(updated=Max("updated_at"), count=Count("id")), id(synonyms))
        if version == self._version:
            return
        rows = list(catalog.order_by("code").values_list("code", "name", "field__name", "result"))
        unknown = sorted(set(synonyms.procedures) - {row[0] for row in rows})
        if unknown:
            logger.warning("synonyms name procedures not in the operational catalog (ignored): %s", ", ".join(unknown))
        documents = [self._document([(name, 2), (field or "", 1), (result or "", 1)], synonyms,
                                    synonyms.procedures.get(code, ()))
                     for code, name, field, result in rows]
        bm25 = None
        if documents:
            bm25 = bm25s.BM25()
            bm25.index(documents, show_progress=False)
        frequency: Counter[str] = Counter(term for doc in documents for term in doc if "_" not in term)
        by_delete: dict[str, list[str]] = {}
        for word in frequency:
            if len(word) >= 4:
                for key in _deletes(word) | {word}:
                    by_delete.setdefault(key, []).append(word)
        self._codes = [row[0] for row in rows]
        self._names = [row[1] for row in rows]
        self._bm25, self._frequency, self._by_delete = bm25, frequency, by_delete
        self._terms = [set(doc) for doc in documents]
        self.synonyms = synonyms
        self._version = version

    def _corrected(self, word: str) -> str:
        """`word` itself when the index knows it, else the most frequent indexed word one edit away."""
        if word in self._frequency or len(word) < 4 or word.isdigit():
            return word
        candidates = {c for key in _deletes(word) | {word} for c in self._by_delete.get(key, ())}
        candidates = {c for c in candidates if _one_edit(word, c)}
        return max(candidates, key=lambda c: (self._frequency[c], c)) if candidates else word

    def query_words(self, text: str) -> list[str]:
        with self._lock:
            self.refresh()
            words = content_words(words_of(text), self.synonyms)
            return [self._corrected(word) for word in words]

    def rank(self, text: str, limit: int = 3) -> list[Match]:
        """The procedures best matching `text`, best first (score > 0 only)."""
        with self._lock:
            self.refresh()
            if self._bm25 is None:
                return []
            words = [self._corrected(word) for word in content_words(words_of(text), self.synonyms)]
            if not words:
                return []
            scores: np.ndarray = self._bm25.get_scores(_terms(words))
            qualified = self._qualified(words)
            order = [int(i) for i in np.argsort(-scores, kind="stable") if int(i) in qualified][:limit]
            return [Match(self._codes[i], self._names[i], round(float(scores[i]), 3)) for i in order if scores[i] > 0]

    def _qualified(self, words: list[str]) -> set[int]:
        """The documents that share a word with the question, as catalog search counts words: one of its
        adjacent pairs (a Vietnamese word is mostly two syllables: "vũ trụ" shares nothing with "tạm trú");
        when none does, the documents holding every one of its syllables."""
        pairs = set(_pairs(words))
        found = {i for i, terms in enumerate(self._terms) if pairs & terms}
        return found or {i for i, terms in enumerate(self._terms) if set(words) <= terms}


def _one_edit(a: str, b: str) -> bool:
    """One deletion, insertion, substitution or swap of neighbours apart."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


_index = _Index()


def rank_procedures(question: str, limit: int = 3) -> list[Match]:
    """The operational procedures `question` is most likely about, best first."""
    return _index.rank(question, limit)


def question_words(question: str) -> list[str]:
    """The words retrieval ranks `question` by (after expansion, stop words and typo correction)."""
    return _index.query_words(question)
