"""The portal API (Django Ninja)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field as PydField
from pydantic import ValidationError

from motcua.core import uploads
from motcua.core.api import ErrorOut, authenticated
from motcua.core.errors import NotFound, ValidationFailed
from motcua.core.privacy import mask
from motcua.dossiers.models import ApplicantKind, Channel
from motcua.dossiers.services.intake import ApplicantData, RepresentativeData, Submission

from .. import policies
from ..models import WalletDocument
from ..selectors import life_events as life_selectors
from ..selectors import wallet as wallet_selectors
from ..services import postal, wallet

router = Router(tags=["portal"])

ERRORS = {code: ErrorOut for code in (400, 401, 403, 404, 409, 422, 429)}

# --- wallet ---------------------------------------------------------------------------------------


class RenewalOut(Schema):
    code: str
    name: str


class DocumentOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    number_masked: str
    issuer: str
    issued_on: dt.date | None
    expires_on: dt.date | None
    days_to_expiry: int | None
    renewal: RenewalOut | None
    source: str
    dossier: str | None
    signed: bool
    signature_check_url: str | None
    content_type: str
    size: int
    file_url: str


def _document(paper: WalletDocument, today: dt.date, renewals: dict[str, Any]) -> dict:
    renewal = None
    if paper.expires_on is not None:
        if paper.kind not in renewals:
            renewals[paper.kind] = wallet_selectors.renewal_procedure(paper.kind)
        procedure = renewals[paper.kind]
        renewal = {"code": procedure.code, "name": procedure.name} if procedure else None
    signed = paper.signed_document
    return {
        "id": paper.pk,
        "kind": paper.kind,
        "kind_label": str(paper.get_kind_display()),
        "title": paper.title,
        # A result's number is its dossier code (not personal); anything else only by its last digits.
        "number_masked": paper.number if paper.source == WalletDocument.Source.RESULT else mask(paper.number),
        "issuer": paper.issuer,
        "issued_on": paper.issued_on,
        "expires_on": paper.expires_on,
        "days_to_expiry": (paper.expires_on - today).days if paper.expires_on else None,
        "renewal": renewal,
        "source": paper.source,
        "dossier": paper.dossier.code if paper.dossier else None,
        "signed": signed is not None,
        "signature_check_url": f"/verify/{signed.public_id}/" if signed else None,
        "content_type": paper.content_type or ("application/pdf" if paper.source == "result" else ""),
        "size": paper.size,
        "file_url": f"/api/me/documents/{paper.pk}/file",
    }


@router.get(
    "/me/documents",
    response={200: list[DocumentOut], **ERRORS},
    auth=authenticated,
    summary="The caller's document wallet: their papers and their dossiers' results, newest first",
)
def my_documents(request):
    today, renewals = timezone.localdate(), {}
    return [_document(paper, today, renewals) for paper in wallet.wallet_of(request.user)]


@router.post(
    "/me/documents",
    response={201: DocumentOut, **ERRORS},
    auth=authenticated,
    summary="Add a paper to the wallet (multipart: kind, title, number, issuer, issued_on, expires_on, file)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["kind", "title", "file"],
                        "properties": {
                            "kind": {"type": "string"},
                            "title": {"type": "string"},
                            "number": {"type": "string"},
                            "issuer": {"type": "string"},
                            "issued_on": {"type": "string", "format": "date"},
                            "expires_on": {"type": "string", "format": "date"},
                            "file": {"type": "string", "format": "binary"},
                        },
                    }
                }
            },
        }
    },
)
def add_document(request):
    post = request.POST

    def day(name: str) -> dt.date | None:
        raw = (post.get(name) or "").strip()
        if not raw:
            return None
        try:
            return dt.date.fromisoformat(raw)
        except ValueError as exc:
            raise ValidationFailed(
                _("Ngày không hợp lệ (yyyy-mm-dd)."),
                code="invalid_date",
                details=[{"field": name, "code": "invalid_date"}],
            ) from exc

    data = wallet.PaperData(
        kind=(post.get("kind") or "")[:24],
        title=(post.get("title") or "")[:300],
        number=(post.get("number") or "")[:41],
        issuer=(post.get("issuer") or "")[:200],
        issued_on=day("issued_on"),
        expires_on=day("expires_on"),
    )
    paper = wallet.add_paper(request.user, data, request.FILES.get("file"))
    return Status(201, _document(paper, timezone.localdate(), {}))


@router.get(
    "/me/documents/{document_id}/file",
    response={**ERRORS},
    auth=authenticated,
    summary="A wallet paper's file (404 unless it is the caller's); audited",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file",
                "content": {
                    t: {"schema": {"type": "string", "format": "binary"}} for t in uploads.served_types()
                },
            }
        }
    },
)
def document_file(request, document_id: int):
    opened = wallet.open_paper(request.user, document_id, via="api")
    return uploads.document_response(opened.handle, opened.filename, opened.content_type)


@router.delete(
    "/me/documents/{document_id}",
    response={204: None, **ERRORS},
    auth=authenticated,
    summary="Remove a paper the caller uploaded (a dossier's result stays)",
)
def remove_document(request, document_id: int):
    wallet.remove_paper(request.user, document_id)
    return Status(204, None)


class WalletApplicantIn(Schema):
    name: str = PydField("", max_length=200)
    phone: str = PydField("", max_length=20)
    email: str = PydField("", max_length=254)
    address: str = PydField("", max_length=250)


class WalletRepresentativeIn(Schema):
    name: str = PydField(max_length=200)
    id_number: str = PydField(max_length=20)
    phone: str = PydField("", max_length=20)


class FilingIn(Schema):
    procedure: str = PydField(max_length=40)
    applicant: WalletApplicantIn = WalletApplicantIn()
    representative: WalletRepresentativeIn | None = None
    wallet: dict[int, list[str]] = PydField(
        default_factory=dict,
        description="Per document position: `w:<wallet id>` or `d:<earlier dossier document id>`",
    )


class FilingOut(Schema):
    code: str
    state: str
    tracking_url: str


@router.post(
    "/me/wallet/filings",
    response={201: FilingOut, **ERRORS},
    auth=authenticated,
    summary="File an online dossier with documents given from the wallet (multipart: `data` JSON + "
    "files `document.<position>`)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"data": {"type": "string", "description": "FilingIn as JSON"}},
                        "additionalProperties": {"type": "string", "format": "binary"},
                    }
                }
            },
        }
    },
)
def file_with_wallet(request):
    try:
        payload = FilingIn.model_validate(json.loads(request.POST.get("data") or "{}"))
    except (ValueError, ValidationError) as exc:
        raise ValidationFailed(_("Dữ liệu gửi lên không hợp lệ."), code="invalid_json") from exc
    person = policies.person_of(request.user)
    policies.check(request.user, policies.USE_WALLET, person=person)
    files = {
        int(key.split(".", 1)[1]): request.FILES.getlist(key)
        for key in request.FILES
        if key.startswith("document.") and key.split(".", 1)[1].isdigit()
    }
    rep = payload.representative
    submission = Submission(
        procedure=payload.procedure,
        channel=Channel.ONLINE,
        representative=RepresentativeData(name=rep.name, id_number=rep.id_number, phone=rep.phone)
        if rep
        else None,
        applicant=ApplicantData(
            kind=ApplicantKind.PERSON,
            id_number=person.national_id,
            name=payload.applicant.name or person.full_name,
            birth_date=person.birth_date,
            gender=person.gender,
            phone=payload.applicant.phone,
            email=payload.applicant.email,
            address=payload.applicant.address,
        ),
    )
    dossier = wallet.file_with_wallet(request.user, submission, files, payload.wallet)
    return Status(
        201, {"code": dossier.code, "state": dossier.state, "tracking_url": dossier.tracking_path()}
    )


class RepeatOut(Schema):
    dossier: str
    procedure: str
    applicant: dict[str, str]
    wallet: dict[int, list[str]]


@router.get(
    "/me/repeat/{code}",
    response={200: RepeatOut, **ERRORS},
    auth=authenticated,
    summary="What a new dossier repeating an earlier one of the caller starts with (POST it to "
    "/api/me/wallet/filings, changing only what differs)",
)
def repeat(request, code: str):
    found = wallet.repeat_of(request.user, code)
    initial = found.initial
    return {
        "dossier": found.dossier.code,
        "procedure": initial["procedure"],
        "applicant": {key: initial[key] or "" for key in ("name", "phone", "email", "address")},
        "wallet": found.picks,
    }


# --- life events ----------------------------------------------------------------------------------


class LifeEventStepOut(Schema):
    position: int
    procedure: str
    procedure_name: str
    agency: str | None
    note: str
    status: str | None = None  # for the caller: done, open or todo (only in /me/life-events)
    dossier: str | None = None


class LifeEventOut(Schema):
    code: str
    name: str
    description: str
    steps: list[LifeEventStepOut]


def _event(event, statuses=None) -> dict:
    by_position = {item.step.position: item for item in statuses or []}
    steps = []
    for step in event.steps.all():
        item = by_position.get(step.position)
        steps.append(
            {
                "position": step.position,
                "procedure": step.procedure.code,
                "procedure_name": step.procedure.name,
                "agency": step.procedure.agency.short_name if step.procedure.agency else None,
                "note": step.note,
                "status": item.status if item else None,
                "dossier": item.dossier.code if item and item.dossier else None,
            }
        )
    return {"code": event.code, "name": event.name, "description": event.description, "steps": steps}


@router.get(
    "/life-events",
    response={200: list[LifeEventOut]},
    auth=None,
    summary="Life events with the procedures each usually brings, in order",
)
def list_life_events(request):
    return [_event(event) for event in life_selectors.life_events()]


@router.get(
    "/life-events/{code}", response={200: LifeEventOut, 404: ErrorOut}, auth=None, summary="One life event"
)
def get_life_event(request, code: str):
    event = life_selectors.life_event(code)
    if event is None:
        raise NotFound()
    return _event(event)


@router.get(
    "/me/life-events",
    response={200: list[LifeEventOut], **ERRORS},
    auth=authenticated,
    summary="Life events with, per procedure, whether the caller has its result, a dossier open, or not yet",
)
def my_life_events(request):
    person = policies.person_of(request.user)
    policies.check(request.user, policies.USE_WALLET, person=person)
    return [
        _event(event, life_selectors.statuses(request.user, person, event))
        for event in life_selectors.life_events()
    ]


# --- results by post ------------------------------------------------------------------------------


class DeliveryIn(Schema):
    dossier: str = PydField(max_length=40)
    name: str = PydField(max_length=200)
    phone: str = PydField(max_length=20)
    address: str = PydField(max_length=250)


class DeliveryEventOut(Schema):
    status: str
    at: str
    note: str


class DeliveryOut(Schema):
    dossier: str
    tracking_number: str
    fee: int
    status: str
    status_label: str
    receiver_name: str
    receiver_address: str
    events: list[DeliveryEventOut]


def _delivery(delivery) -> dict:
    return {
        "dossier": delivery.dossier.code,
        "tracking_number": delivery.tracking_number,
        "fee": delivery.fee,
        "status": delivery.status,
        "status_label": str(delivery.get_status_display()),
        "receiver_name": delivery.receiver_name,
        "receiver_address": delivery.receiver_address,
        "events": [
            {"status": e.get("status", ""), "at": e.get("at", ""), "note": e.get("note", "")}
            for e in delivery.events
        ],
    }


@router.post(
    "/me/deliveries",
    response={201: DeliveryOut, **ERRORS, 503: ErrorOut},
    auth=authenticated,
    summary="Have the caller's result sent by post (the fee is paid to the postman on delivery)",
)
def request_delivery(request, payload: DeliveryIn):
    delivery = postal.request_delivery(
        request.user, payload.dossier, postal.Receiver(payload.name, payload.phone, payload.address)
    )
    return Status(201, _delivery(delivery))


@router.get(
    "/me/deliveries/{code}",
    response={200: DeliveryOut, **ERRORS},
    auth=authenticated,
    summary="The parcel of the caller's dossier `code` and its journey",
)
def get_delivery(request, code: str):
    delivery = postal.refresh(request.user, code)
    if delivery is None:
        raise NotFound()
    return _delivery(delivery)


class CallbackOut(Schema):
    changed: bool


@router.post(
    "/postal/callback",
    response={200: CallbackOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=None,
    summary="Status callback of the postal service (signed: header X-Signature, HMAC-SHA256 of the raw body)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "tracking_number": {"type": "string"},
                            "status": {"type": "string"},
                            "at": {"type": "string"},
                            "note": {"type": "string"},
                        },
                    }
                }
            },
        }
    },
)
def postal_callback(request):
    return {"changed": postal.record_status(request.body, request.headers.get("X-Signature", ""))}
