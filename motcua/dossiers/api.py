"""Dossier API: intake, reading, the inbox, lifecycle actions and public tracking (docs/dossiers.md)."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import ValidationError

from motcua.core import events, ratelimit, uploads
from motcua.core.api import ErrorOut, authenticated
from motcua.core.clients import client_address
from motcua.core.errors import ValidationFailed

from . import actions, policies, selectors, services, slips
from .schemas import DossierActionIn, DossierIn, DossierOut, DossierSummaryOut, TrackingOut, detail, summary
from .services import printing

router = Router(tags=["dossiers"])

ERRORS = {code: ErrorOut for code in (400, 401, 403, 404, 409, 422, 429)}


def _body(description: str) -> dict:
    """The request body as OpenAPI sees it (parsed by hand: JSON or multipart with files)."""
    multipart = {"type": "object", "properties": {"data": {"type": "string", "description": "JSON object"}},
                 "additionalProperties": {"type": "string", "format": "binary"}}
    return {"requestBody": {"description": description, "required": False, "content": {
        "application/json": {"schema": {"type": "object"}},
        "multipart/form-data": {"schema": multipart}}}}


def _invalid(exc: ValidationError, prefix: str = "") -> ValidationFailed:
    details = [{"field": prefix + ".".join(str(p) for p in err["loc"]), "message": err["msg"], "type": err["type"]}
               for err in exc.errors()]
    return ValidationFailed(_("Dữ liệu gửi lên không hợp lệ."), details=details)


def _read_request(request) -> tuple[dict[str, Any], dict[int, list], Any]:
    """JSON body, or multipart with a JSON part `data` and files `document.<position>` / `result`."""
    files: dict[int, list] = {}
    result = None
    if request.content_type == "multipart/form-data":
        raw: Any = request.POST.get("data") or "{}"
        problems = []
        for key in request.FILES:
            prefix, _sep, position = key.partition(".")
            if prefix == "document" and position.isdigit():
                files[int(position)] = request.FILES.getlist(key)
            elif key == "result":
                result = request.FILES[key]
            else:
                problems.append({"field": key, "code": "unknown_file_field"})
        if problems:
            raise ValidationFailed(details=problems)
    else:
        raw = request.body or b"{}"
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationFailed(_("Nội dung JSON không đọc được."), code="invalid_json") from exc
    if not isinstance(data, dict):
        raise ValidationFailed(_("Nội dung phải là một đối tượng JSON."), code="invalid_json")
    return data, files, result


@router.post("/dossiers", response={201: DossierOut, **ERRORS}, auth=authenticated,
             summary="Submit a dossier (multipart: `data` JSON + files `document.<position>`)",
             openapi_extra=_body("DossierIn as JSON, or multipart: part `data` (DossierIn as JSON) and one file "
                                 "part `document.<position>` per document (docs/dossiers.md)."))
def submit_dossier(request):
    data, files, _result = _read_request(request)
    try:
        payload = DossierIn.model_validate(data)
    except ValidationError as exc:
        raise _invalid(exc) from exc
    channel = payload.channel or ("online" if not hasattr(request.user, "officer") else "counter")
    submission = services.Submission(
        procedure=payload.procedure, channel=channel, branch=payload.branch, service_point=payload.service_point,
        shown=payload.shown, sets=payload.sets,
        fees=services.FeeDeclaration(**payload.fees.model_dump()) if payload.fees else None,
        applicant=services.ApplicantData(**payload.applicant.model_dump()),
        representative=services.RepresentativeData(**payload.representative.model_dump())
        if payload.representative else None,
    )
    filed = services.file_dossier(request.user, submission, files)
    return Status(201, detail(filed.dossier, filed=filed))


class InboxFilter(Schema):
    state: str | None = None
    mine: bool = False
    overdue: bool = False
    q: str = ""
    procedure: str = ""
    agency: str = ""
    due: str = ""
    limit: int = 50
    offset: int = 0


@router.get("/dossiers", response={200: list[DossierSummaryOut], **ERRORS}, auth=authenticated,
            summary="The caller's inbox: open dossiers they may see, the most urgent first")
def list_dossiers(request, filters: Query[InboxFilter]):
    limit = max(1, min(filters.limit, 200))
    offset = max(0, filters.offset)
    dossiers = selectors.inbox(request.user, state=filters.state, mine=filters.mine, overdue=filters.overdue,
                               q=filters.q, procedure=filters.procedure, agency=filters.agency, due=filters.due)
    return [summary(d) for d in dossiers[offset:offset + limit]]


def _file_response(content: bytes, content_type: str, filename: str, disposition: str = "inline") -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"  # personal data
    return response


def _binary(content_types: str | list[str], description: str) -> dict:
    types = [content_types] if isinstance(content_types, str) else content_types
    return {"responses": {200: {"description": description, "content": {
        content_type: {"schema": {"type": "string", "format": "binary"}} for content_type in types}}}}


_REGISTER_QUERY = {"parameters": [
    {"name": "from", "in": "query", "required": True, "schema": {"type": "string", "format": "date"}},
    {"name": "to", "in": "query", "required": True, "schema": {"type": "string", "format": "date"}},
    {"name": "branch", "in": "query", "required": False, "schema": {"type": "string"}},
    {"name": "agency", "in": "query", "required": False, "schema": {"type": "string"}},
]}


def _register(request):
    params = request.GET
    return printing.register_form(request.user, start=params.get("from"), end=params.get("to"),
                                  branch=params.get("branch", ""), agency=params.get("agency", ""))


def _register_name(register, extension: str) -> str:
    return f"so-theo-doi-ho-so-{register.period_start:%Y%m%d}-{register.period_end:%Y%m%d}.{extension}"


# Registered before /dossiers/{code}, which would otherwise take "register.pdf" for a code.
@router.get("/dossiers/register.pdf", response={**ERRORS}, auth=authenticated,
            summary="Form 07, dossier register, as PDF (?from=YYYY-MM-DD&to=YYYY-MM-DD[&branch=][&agency=])",
            openapi_extra={**_REGISTER_QUERY, **_binary(slips.PDF_CONTENT_TYPE, "Form 07 (landscape A4)")})
def dossier_register_pdf(request):
    register = _register(request)
    content = slips.render_register(register)
    return _file_response(content, slips.PDF_CONTENT_TYPE, _register_name(register, "pdf"))


@router.get("/dossiers/register.xlsx", response={**ERRORS}, auth=authenticated,
            summary="Form 07, dossier register, as XLSX (?from=YYYY-MM-DD&to=YYYY-MM-DD[&branch=][&agency=])",
            openapi_extra={**_REGISTER_QUERY, **_binary(slips.XLSX_CONTENT_TYPE, "Form 07 workbook")})
def dossier_register_xlsx(request):
    register = _register(request)
    content = slips.export_register(register)
    return _file_response(content, slips.XLSX_CONTENT_TYPE, _register_name(register, "xlsx"), "attachment")


_EVENTS_QUERY = {"parameters": [
    {"name": "channel", "in": "query", "required": False, "description": "repeatable; default: all of the caller's",
     "schema": {"type": "array", "items": {"type": "string"}}, "style": "form", "explode": True},
]}


@router.get("/dossiers/events", response={200: None, **ERRORS}, auth=authenticated, url_name="dossier-events",
            summary="Server-sent events for the caller's inboxes: dossier changes and deadlines "
                    "(resume with Last-Event-ID)",
            openapi_extra=_EVENTS_QUERY)
def dossier_events(request):
    channels = policies.check_follow(request.user, request.GET.getlist("channel"))
    return events.sse_response(channels, request)


@router.get("/dossiers/{code}", response={200: DossierOut, **ERRORS}, auth=authenticated,
            summary="One dossier (404 when unknown or not visible to the caller)")
def get_dossier(request, code: str):
    return detail(selectors.get_dossier(request.user, code))


@router.get("/dossiers/{code}/documents/{document_id}", response={**ERRORS}, auth=authenticated,
            url_name="dossier_document",
            summary="An uploaded document's file (404 when the dossier is not visible to the caller); audited",
            openapi_extra=_binary(uploads.served_types(), "The file, with the type read from its content"))
def dossier_document(request, code: str, document_id: int):
    opened = services.open_document(request.user, code, document_id, via="api")
    return uploads.document_response(opened.handle, opened.filename, opened.content_type)


@router.post("/dossiers/{code}/actions/{action}", response={200: DossierOut, **ERRORS}, auth=authenticated,
             summary="A lifecycle action (JSON body; supply / attach_result: multipart with files)",
             openapi_extra=_body("DossierActionIn as JSON; for supply and attach_result multipart with part `data` "
                                 "and files `document.<position>` or `result` (docs/dossiers.md)."))
def act(request, code: str, action: str):
    selectors.get_dossier(request.user, code)  # 404 for what the caller may not see
    actions.get(action)  # 404 for an unknown action, before reading the body
    data, files, result = _read_request(request)
    try:
        payload = DossierActionIn.model_validate(data)
    except ValidationError as exc:
        raise _invalid(exc) from exc
    data = actions.ActionInput.of({**payload.model_dump(), "files": files, "result": result})
    actions.perform(request.user, code, action, data)
    return detail(selectors.by_code(code))


TRACKING_RATE = getattr(settings, "MOTCUA_TRACKING_RATE", "30/m")
TRACKING_CODE_RATE = getattr(settings, "MOTCUA_TRACKING_CODE_RATE", "10/h")


def count_tracking_attempt(request, code: str) -> None:
    """One attempt of this client and on this dossier code; RateLimited (429) past either limit."""
    ratelimit.enforce("tracking", client_address(request), TRACKING_RATE)
    ratelimit.enforce("tracking_code", code.strip().upper(), TRACKING_CODE_RATE)


@router.get("/tracking/{code}", response={200: TrackingOut, 404: ErrorOut, 429: ErrorOut}, auth=None,
            summary="Public tracking: needs the tracking key printed on slip 01 (and in its QR code)")
def track(request, code: str, key: str = ""):
    count_tracking_attempt(request, code)
    return selectors.tracking(code, key)


@router.get("/dossiers/{code}/slips/{form}.pdf", response={**ERRORS}, auth=authenticated,
            summary="A dossier's form as PDF: 01 receipt, 02 supplement, 03 refusal at intake, 04 apology, "
                    "05 stop, 06 control; refusal: the competent agency's letter refusing to resolve it",
            openapi_extra=_binary(slips.PDF_CONTENT_TYPE, "The form (A4)"))
def dossier_slip(request, code: str, form: str):
    content = printing.print_slip(request.user, code, form)
    return _file_response(content, slips.PDF_CONTENT_TYPE, f"{code}-{form}.pdf")
