"""Read queries over the catalog, including search that ignores Vietnamese diacritics (BM25)."""

import threading
from dataclasses import dataclass

import bm25s
import numpy as np
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from motcua.core.text import tokens

from .models import Field, Procedure, RouteStep


@dataclass(frozen=True)
class Page:
    count: int
    items: list[Procedure]
    message: str = ""  # why the result is empty, when the query itself is the reason


class _SearchIndex:
    """BM25 over every procedure, rebuilt when the catalog changes (count or last update moves)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._version = None
        self._ids: list[int] = []
        self._bm25: bm25s.BM25 | None = None

    def _current_version(self):
        return Procedure.objects.aggregate(updated=Max("updated_at"), count=Count("id"))

    def _documents(self):
        rows = Procedure.objects.values_list("id", "code", "name", "field__name", "agency__name", "agency_text",
                                             "result")
        for pk, code, name, field_name, agency, agency_text, result in rows.iterator(chunk_size=2000):
            text = " ".join(filter(None, [name, name, field_name, agency or agency_text, result]))
            yield pk, [code.lower(), *tokens(text)]

    def ranked_ids(self, query: str) -> list[int]:
        """Ids of procedures matching `query`, best first."""
        with self._lock:
            version = self._current_version()
            if version != self._version:
                docs = list(self._documents())
                self._ids = [pk for pk, _ in docs]
                self._bm25 = bm25s.BM25()
                if docs:
                    self._bm25.index([toks or ["_"] for _, toks in docs], show_progress=False)
                self._version = version
            terms = tokens(query)
            if not self._ids or not terms:
                return []
            scores = self._bm25.get_scores(terms)
        order = np.argsort(-scores, kind="stable")
        return [self._ids[i] for i in order if scores[i] > 0]


_index = _SearchIndex()


def procedures_queryset() -> QuerySet[Procedure]:
    return Procedure.objects.filter(is_active=True).select_related("field", "agency")


def search_procedures(*, q: str = "", field: str | None = None, level: str | None = None,
                      agency: str | None = None, status: str | None = None, offset: int = 0,
                      limit: int = 20) -> Page:
    """Filter, then rank by relevance to `q` (diacritics ignored); without `q`, by code."""
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
    exact = list(queryset.filter(code=q))
    if exact:
        return Page(count=1, items=exact if offset == 0 else [])
    if not tokens(q):
        # Only punctuation, symbols or emoji: nothing to rank by (BM25 would fail on an empty query).
        return Page(count=0, items=[], message=_("Từ khóa tìm kiếm không có chữ hoặc số nào; hãy nhập tên hoặc "
                                                 "mã thủ tục."))
    allowed = set(queryset.values_list("id", flat=True))
    ranked = [pk for pk in _index.ranked_ids(q) if pk in allowed]
    window = ranked[offset:offset + limit]
    by_id = queryset.in_bulk(window)
    return Page(count=len(ranked), items=[by_id[pk] for pk in window])


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
