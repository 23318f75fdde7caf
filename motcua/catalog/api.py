"""Public API of the catalog: /api/procedures and /api/procedures/{code}."""

from decimal import Decimal
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field as PydField

from motcua.core.api import ErrorOut
from motcua.core.errors import NotFound

from . import selectors

router = Router(tags=["catalog"])


class ProcedureFilter(Schema):
    q: str = PydField("", max_length=200, description="Search text, or a procedure code; words typed with diacritics match those first, then without")
    field: str | None = PydField(None, max_length=80, description="Field code")
    level: Literal["central", "province", "commune"] | None = None
    agency: str | None = PydField(None, max_length=60, description="Agency code, or 'commune'")
    status: Literal["operational", "reference"] | None = None
    page: int = PydField(1, ge=1, le=10_000)
    page_size: int = PydField(20, ge=1, le=100)


class ProcedureSummary(Schema):
    code: str
    name: str
    status: str
    field: str | None
    field_name: str | None
    level: str
    agency: str | None
    agency_name: str | None
    processing_days: Decimal | None
    online_level: str
    url: str

    @staticmethod
    def of(p) -> dict:
        return {
            "code": p.code, "name": p.name, "status": p.status,
            "field": p.field.code if p.field else None, "field_name": p.field.name if p.field else None,
            "level": p.level, "agency": "commune" if p.competent_by_commune else (p.agency.code if p.agency else None),
            "agency_name": (_("UBND xã, phường nơi cư trú") if p.competent_by_commune
                            else p.agency.name if p.agency else p.agency_text or None),
            "processing_days": p.processing_days, "online_level": p.online_level,
            "url": f"/procedures/{p.code}/",
        }


class HandledElsewhereOut(Schema):
    code: str
    name: str
    where: str = PydField(description="Where the procedure is filed instead of the center")
    online_url: str
    legal_basis: str
    source_url: str
    notice: str = PydField(description="The notice shown to citizens, in Vietnamese")

    @staticmethod
    def of(entry) -> dict:
        return {"code": entry.code, "name": entry.name, "where": entry.where, "online_url": entry.online_url,
                "legal_basis": entry.legal_basis, "source_url": entry.source_url,
                "notice": _("Thủ tục này không tiếp nhận tại Trung tâm: %(name)s. Nộp tại: %(where)s")
                % {"name": entry.name, "where": entry.where}}


class ProcedurePage(Schema):
    count: int
    items: list[ProcedureSummary]
    message: str | None = PydField(None, description="Why the result is empty: the query has no searchable "
                                                     "term, or names words no procedure holds")
    elsewhere: list[HandledElsewhereOut] = PydField(
        [], description="What the query names that the center does not receive, with where it is filed instead "
                        "(not counted in `count`)")


class RequiredDocumentOut(Schema):
    name: str
    kind: str
    count: int
    registry_replaces: bool
    optional: bool


class FeeOut(Schema):
    name: str
    kind: str
    amount: int | None
    per: str
    exemptions: str


class RouteStepOut(Schema):
    name: str
    role: str
    scope: str
    agency: str | None
    hours: Decimal


class ProcedureDetail(ProcedureSummary):
    legal_basis: str
    processing_note: str
    result: str
    anywhere: bool
    filing_branches: list[int]
    competent_by_commune: bool
    source_url: str
    to_verify: list[str]
    import_problems: list[str]
    documents: list[RequiredDocumentOut]
    fees: list[FeeOut]
    route: list[RouteStepOut]


@router.get("/procedures", response={200: ProcedurePage, 422: ErrorOut}, auth=None,
            summary="Search and filter the catalog")
def list_procedures(request, filters: Query[ProcedureFilter]):
    page = selectors.search_procedures(
        q=filters.q, field=filters.field, level=filters.level, agency=filters.agency, status=filters.status,
        offset=(filters.page - 1) * filters.page_size, limit=filters.page_size)
    return {"count": page.count, "items": [ProcedureSummary.of(p) for p in page.items],
            "message": page.message or None, "elsewhere": [HandledElsewhereOut.of(e) for e in page.elsewhere]}


@router.get("/procedures/{code}", response={200: ProcedureDetail, 404: ErrorOut}, auth=None,
            summary="One procedure with its documents, fees and route")
def get_procedure(request, code: str):
    p = selectors.get_procedure(code)
    if p is None:
        raise NotFound(_("Không có thủ tục mã %(code)s.") % {"code": code[:40]})
    return {
        **ProcedureSummary.of(p),
        "legal_basis": p.legal_basis, "processing_note": p.processing_note, "result": p.result,
        "anywhere": p.anywhere, "filing_branches": p.filing_branches, "competent_by_commune": p.competent_by_commune,
        "source_url": p.source_url,
        "to_verify": p.to_verify, "import_problems": p.import_problems,
        "documents": list(p.documents.all()), "fees": list(p.fees.all()),
        "route": [{"name": s.name, "role": s.role, "scope": s.scope, "agency": s.agency.code if s.agency else None,
                   "hours": s.hours} for s in p.route.all()],
    }
