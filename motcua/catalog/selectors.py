"""Read queries over the catalog, including its search (BM25 over marked and diacritic-free words)."""

import functools
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import bm25s
import numpy as np
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from motcua.core.text import marked_words, tokens

from . import fees
from .models import Field, HandledElsewhere, Procedure, RouteStep


@dataclass(frozen=True)
class Page:
    count: int
    items: list[Procedure]
    message: str = ""  # why the result is empty, when the query itself is the reason
    # what the query names that the center does not receive, with where it is filed instead
    elsewhere: list[HandledElsewhere] = field(default_factory=list)


def _bigrams(words: list[str]) -> list[str]:
    return [f"{a}_{b}" for a, b in zip(words, words[1:], strict=False)]


@functools.lru_cache(maxsize=100_000)
def _folded_word(word: str) -> tuple[str, ...]:
    # A catalog has a few thousand distinct words: folding each once keeps the index build fast.
    return tuple(token for token in tokens(word) if "_" not in token)


def _words(text: str) -> tuple[list[str], list[str]]:
    """The words of `text` as typed (marks kept) and diacritic-free."""
    marked = marked_words(text)
    return marked, [piece for word in marked for piece in _folded_word(word)]


@dataclass(frozen=True)
class _Query:
    """A query's words in both forms: as typed (marks kept) and diacritic-free."""

    marked: list[str]
    folded: list[str]

    @classmethod
    def of(cls, text: str) -> "_Query":
        marked, folded = _words(text)
        return cls(marked=marked, folded=folded)

    @property
    def has_marks(self) -> bool:
        return self.marked != self.folded


class _Form:
    """One form of the catalog's text (marked or folded): a BM25 index, which also says which documents hold
    a term (its sparse matrix keeps, per term, the documents that have a score for it)."""

    def __init__(self, documents: list[list[str]]):
        self.bm25 = bm25s.BM25()
        self.bm25.index([terms or ["_"] for terms in documents], show_progress=False)
        self._vocabulary: dict[str, int] = self.bm25.vocab_dict
        self._indices = self.bm25.scores["indices"]
        self._indptr = self.bm25.scores["indptr"]

    def __contains__(self, term: str) -> bool:
        return term in self._vocabulary

    def holding(self, term: str) -> set[int]:
        """Positions of the documents that hold `term`."""
        token = self._vocabulary.get(term)
        if token is None:
            return set()
        return set(self._indices[self._indptr[token]:self._indptr[token + 1]].tolist())

    def having_any(self, terms: list[str]) -> set[int]:
        return set().union(*(self.holding(term) for term in terms))

    def having_all(self, terms: list[str]) -> set[int]:
        sets = [self.holding(term) for term in terms]
        return set.intersection(*sets) if sets else set()

    def scores(self, words: list[str]) -> np.ndarray:
        return self.bm25.get_scores(words + _bigrams(words))


class _SearchIndex:
    """The catalog's search index, rebuilt when the catalog changes (count or last update moves).

    The matching rule (docs/catalog.md, "Search"): a Vietnamese word is mostly two syllables, so a document
    shares a word with the query when it holds one of the query's adjacent pairs (bigrams); one shared
    syllable ("sinh" of "khai sinh" and of "tuyển sinh") is not a shared word. The first of these stages
    that finds anything decides what qualifies; BM25 of the same form then ranks:
      1. every query word, and at least one of its pairs;
      2. at least one of its pairs;
      3. every query word, anywhere (and a one-word query's word).
    Each stage is tried first in the marked form (when the query carries diacritics), then diacritic-free:
    the folded form is a fallback for missing or wrong marks, never an equal match. A query typed with
    marks falls back to folded pairs (stages 1-2) but not to folded single syllables, which collide
    everywhere (hộ, hồ, họ → ho).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version: dict[str, Any] | None = None
        self._ids: list[int] = []
        self._marked: _Form | None = None
        self._folded: _Form | None = None

    def _current_version(self) -> dict[str, Any]:
        return Procedure.objects.aggregate(updated=Max("updated_at"), count=Count("id"))

    def _documents(self) -> Iterator[tuple[int, list[str], list[str]]]:
        rows = Procedure.objects.values_list("id", "code", "name", "field__name", "agency__name", "agency_text",
                                             "result")
        for pk, code, name, field_name, agency, agency_text, result in rows.iterator(chunk_size=2000):
            # The name counts twice; pairs never straddle two fields (the name's last word and the
            # field's first are no phrase).
            marked: list[str] = [code.lower()]
            folded: list[str] = [code.lower()]
            for part, times in ((name, 2), (field_name, 1), (agency or agency_text, 1), (result, 1)):
                if part:
                    marked_part, folded_part = _words(part)
                    marked += (marked_part + _bigrams(marked_part)) * times
                    folded += (folded_part + _bigrams(folded_part)) * times
            yield pk, marked, folded

    def _refresh(self) -> None:
        version = self._current_version()
        if version != self._version:
            docs = list(self._documents())
            self._ids = [pk for pk, _, _ in docs]
            self._marked = _Form([marked for _, marked, _ in docs])
            self._folded = _Form([folded for _, _, folded in docs])
            self._version = version

    def unknown_words(self, query: str) -> list[str]:
        """The query's words (as typed) that no procedure holds, even without diacritics."""
        with self._lock:
            self._refresh()
            folded = self._folded
            return [word for word in marked_words(query)
                    if folded is None or not any(piece in folded for piece in _Query.of(word).folded)]

    def holding_any(self, phrases: list[str]) -> set[int]:
        """Ids of procedures that hold one of `phrases` (all its words side by side), diacritics ignored."""
        with self._lock:
            self._refresh()
            assert self._folded is not None
            found: set[int] = set()
            for phrase in phrases:
                words = _Query.of(phrase).folded
                found |= self._folded.having_all(_bigrams(words) or words)
            return {self._ids[i] for i in found}

    def ranked_ids(self, query: str, allowed: set[int] | None = None) -> list[int]:
        """Ids of procedures matching `query` (among `allowed` ids, when given), best first."""
        terms = _Query.of(query)
        if not terms.folded:
            return []
        with self._lock:
            self._refresh()
            if not self._ids:
                return []
            assert self._marked is not None and self._folded is not None
            positions = None if allowed is None else {i for i, pk in enumerate(self._ids) if pk in allowed}
            for form, words, found in self._stages(terms):
                if positions is not None:
                    found &= positions
                if found:
                    scores = form.scores(words)
                    break
            else:
                return []
        order = sorted(found, key=lambda i: (-scores[i], i))
        return [self._ids[i] for i in order]

    def _stages(self, terms: _Query) -> Iterator[tuple[_Form, list[str], set[int]]]:
        assert self._marked is not None and self._folded is not None
        forms = [(self._marked, terms.marked)] if terms.has_marks else []
        forms.append((self._folded, terms.folded))
        if len(terms.folded) > 1:
            for form, words in forms:
                yield form, words, form.having_all(words) & form.having_any(_bigrams(words))
            for form, words in forms:
                yield form, words, form.having_any(_bigrams(words))
        form, words = forms[0]
        yield form, words, form.having_all(words)


_index = _SearchIndex()


def procedures_queryset() -> QuerySet[Procedure]:
    return Procedure.objects.filter(is_active=True).select_related("field", "agency")


def _phrase(text: str) -> str:
    return f" {' '.join(_Query.of(text).folded)} "


def _named_phrases(q: str, entry: HandledElsewhere) -> list[str]:
    """The aliases of `entry` that occur in `q` as whole words, diacritics ignored."""
    query = _phrase(q)
    return [alias for alias in entry.aliases if _phrase(alias).strip() and _phrase(alias) in query]


def handled_elsewhere(q: str) -> list[HandledElsewhere]:
    """What `q` names that the center does not receive: an entry one of whose aliases occurs in the query as
    whole words (diacritics ignored: a phrase's folded form rarely means something else), or one of its codes."""
    code = q.strip()
    return [entry for entry in HandledElsewhere.objects.all()
            if code in entry.procedure_codes or _named_phrases(q, entry)]


def search_procedures(*, q: str = "", field: str | None = None, level: str | None = None,
                      agency: str | None = None, status: str | None = None, offset: int = 0,
                      limit: int = 20) -> Page:
    """Filter, then rank by relevance to `q` (marked words first, diacritic-free as a fallback); without `q`,
    by code. What the center does not receive is returned apart, in `elsewhere`."""
    queryset = procedures_queryset()
    if field:
        queryset = queryset.filter(field__code=field)
    if level:
        queryset = queryset.filter(level=level)
    if agency:
        queryset = queryset.filter(Q(competent_by_commune=True) if agency == "commune" else Q(agency__code=agency))
    if status:
        queryset = queryset.filter(status=status)
    q = q.strip()
    if not q:
        return Page(count=queryset.count(), items=list(queryset.order_by("status", "code")[offset:offset + limit]))
    elsewhere = handled_elsewhere(q)
    exact = list(queryset.filter(code=q))
    if exact:
        return Page(count=1, items=exact if offset == 0 else [], elsewhere=elsewhere)
    if not tokens(q):
        # Only punctuation, symbols or emoji: nothing to rank by (BM25 would fail on an empty query).
        return Page(count=0, items=[], message=_("Từ khóa tìm kiếm không có chữ hoặc số nào; hãy nhập tên hoặc "
                                                 "mã thủ tục."))
    allowed = set(queryset.values_list("id", flat=True))
    phrases = [phrase for entry in elsewhere for phrase in _named_phrases(q, entry)]
    if phrases:
        # The query is about what the center does not receive: only procedures holding that same phrase
        # (reference entries of the national catalog) are listed with the notice, not those sharing the
        # rest of the query ("cấp lại" of "cấp lại hộ chiếu").
        allowed &= _index.holding_any(phrases)
    ranked = _index.ranked_ids(q, allowed)
    window = ranked[offset:offset + limit]
    by_id = queryset.in_bulk(window)
    message = ""
    if not ranked and not elsewhere:
        message = _no_match_message(q)
    return Page(count=len(ranked), items=[by_id[pk] for pk in window], message=message, elsewhere=elsewhere)


def _no_match_message(q: str) -> str:
    unknown = _index.unknown_words(q)
    if unknown:
        return _("Danh mục không có thủ tục nào chứa từ %(words)s. Hãy kiểm tra chính tả, thử tên gọi khác "
                 "hoặc tìm theo mã thủ tục.") % {"words": ", ".join(f"“{word}”" for word in unknown)}
    return _("Không có thủ tục nào khớp với “%(q)s”. Hãy bỏ bớt từ hoặc bộ lọc.") % {"q": q[:100]}


def get_procedure(code: str) -> Procedure | None:
    """A procedure with its documents, fees and route, or None."""
    return (procedures_queryset().filter(code=code)
            .prefetch_related("documents", "fees", Prefetch("route", queryset=RouteStep.objects
                                                            .select_related("agency")))
            .first())


def taken_at_branch(procedure: Procedure, branch_number: int) -> bool | None:
    """Whether a branch takes the procedure: True (anywhere, or one of its `filing_branches`), False (other
    branches only), None when it depends on the applicant's commune (a point of the branch must lie in it)."""
    if procedure.anywhere:
        return True
    if procedure.filing_branches:
        return branch_number in procedure.filing_branches
    return None


def procedures_by_service_group(service_groups: set[str], branch_number: int) -> list[Procedure]:
    """The operational procedures whose field belongs to one of `service_groups` (codes) that the branch
    may take, by field then name: what a citizen can book a number for there."""
    procedures = (procedures_queryset().filter(status=Procedure.Status.OPERATIONAL,
                                               field__service_group__in=service_groups)
                  .order_by("field__name", "name"))
    return [p for p in procedures if taken_at_branch(p, branch_number) is not False]


def list_fields(*, operational_only: bool = False) -> QuerySet[Field]:
    fields = Field.objects.all()
    if operational_only:
        fields = fields.filter(procedures__status=Procedure.Status.OPERATIONAL).distinct()
    return fields


# --- fees ---------------------------------------------------------------------------------------------

def fee_rules(procedure: Procedure) -> list[fees.FeeRule]:
    """The procedure's fees as rules for `fees.compute` (exemptions with them: two statements)."""
    rows = procedure.fees.prefetch_related("exemption_rules").order_by("position")
    return [fees.FeeRule(
        position=row.position, name=row.name, kind=row.kind, basis=row.basis, amount=row.amount, unit=row.per,
        tiers=tuple((int(start), int(price)) for start, price in row.tiers or ()), rate=row.rate,
        floor=row.floor, cap=row.cap, online_amount=row.online_amount, council_set=row.council_set,
        optional=row.optional,
        exemptions=tuple(fees.Exemption(code=e.code, name=e.name, percent=e.percent, evidence=e.evidence)
                         for e in row.exemption_rules.all()))
        for row in rows]


def channel_fee_rules() -> list[fees.ChannelRule]:
    """The channel rules in the catalog (one statement)."""
    from .models import ChannelFeeRule

    return [fees.ChannelRule(name=r.name, channels=frozenset(r.channels), percent=r.percent,
                             valid_from=r.valid_from, valid_until=r.valid_until, council_set_only=r.council_set_only)
            for r in ChannelFeeRule.objects.all()]


def assess_fees(procedure: Procedure, facts: fees.FeeFacts) -> fees.Assessment:
    """What a dossier of `procedure` owes for `facts` (the catalog's rules, `fees.compute`)."""
    rules = fee_rules(procedure)
    if not rules:  # most procedures: one statement, no channel rules to read
        return fees.Assessment(lines=())
    return fees.compute(rules, facts, channel_fee_rules())
