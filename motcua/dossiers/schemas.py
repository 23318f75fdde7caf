"""Schemas of the dossier API (input validation and output shape)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from django.urls import reverse
from ninja import Schema
from pydantic import ConfigDict, Field

from motcua.core.privacy import mask

from .models import Dossier, DossierDocument
from .states import NATIONAL_STATUS_LABELS, national_status


class ApplicantIn(Schema):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["person", "organisation"] = "person"
    id_number: str = Field(min_length=1, max_length=20)
    name: str = Field("", max_length=200)
    birth_date: dt.date | None = None
    gender: str = Field("", max_length=6, description="male | female; a person's, from the ID number when left out")
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=250)
    commune: str = Field("", max_length=10)


class RepresentativeIn(Schema):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=200)
    id_number: str = Field(min_length=1, max_length=20)
    phone: str = Field("", max_length=20)


class FeeDeclarationIn(Schema):
    """What the applicant declares for the fees, per fee position of the procedure (GET /api/procedures/{code})."""

    model_config = ConfigDict(extra="forbid")
    units: dict[int, Annotated[int, Field(ge=0, le=100_000)]] = Field(
        default_factory=dict, max_length=20, description="units (pages, plots…) per per-unit fee")
    copies: dict[int, Annotated[int, Field(ge=0, le=1_000)]] = Field(
        default_factory=dict, max_length=20, description="copies per per-unit fee")
    values: dict[int, Annotated[int, Field(ge=0, le=10**15)]] = Field(
        default_factory=dict, max_length=20, description="declared value in đồng per percentage fee")
    exemptions: list[Annotated[str, Field(max_length=40)]] = Field(default_factory=list, max_length=10,
                                                                   description="exemption codes claimed")
    evidence_seen: bool = Field(False, description="at the counter: the officer saw the exemptions' evidence")


class DossierIn(Schema):
    model_config = ConfigDict(extra="forbid")
    procedure: str = Field(min_length=1, max_length=40)
    channel: Literal["counter", "online", "post", "national_portal"] | None = None
    applicant: ApplicantIn
    representative: RepresentativeIn | None = None
    branch: str = Field("", max_length=40)
    service_point: str = Field("", max_length=40)
    shown: list[int] = []
    sets: int = Field(1, ge=1, le=20)
    fees: FeeDeclarationIn | None = None


class SupplementItemIn(Schema):
    name: str = Field(max_length=500)
    reason: str = Field(max_length=1000)


class DossierActionIn(Schema):
    """Fields used by the actions; each action reads the ones it needs (see docs/dossiers.md)."""

    model_config = ConfigDict(extra="forbid")
    version: int | None = Field(None, ge=1)
    reason: str = Field("", max_length=4000)
    note: str = Field("", max_length=4000)
    items: list[SupplementItemIn] = []
    agency: str = Field("", max_length=60)
    question: str = Field("", max_length=4000)
    hours: Decimal = Field(Decimal(8), gt=0, le=240)
    consultation: int | None = None
    answer: str = Field("", max_length=4000)
    method: Literal["counter", "post", "electronic"] | None = None
    received_by_name: str = Field("", max_length=200)
    new_due_at: dt.datetime | None = None


class StepOut(Schema):
    position: int
    name: str
    role: str
    agency: str
    assignee: str | None
    started_at: dt.datetime
    due_at: dt.datetime | None
    finished_at: dt.datetime | None
    outcome: str
    note: str


class DossierSummaryOut(Schema):
    code: str
    procedure: str
    procedure_name: str
    channel: str
    state: str
    national_status: int
    national_status_label: str
    version: int
    applicant_name: str
    competent_agency: str
    branch: str | None
    service_point: str | None
    received_at: dt.datetime | None
    appointment_at: dt.datetime | None
    current_step: StepOut | None


class DossierDocumentOut(Schema):
    """A document of a dossier; `url` opens its file (null when nothing was uploaded: shown, registry)."""

    id: int
    position: int
    name: str
    source: str
    filename: str
    content_type: str
    size: int
    url: str | None


class ConsultationOut(Schema):
    id: int
    agency: str
    question: str
    due_at: dt.datetime
    answer: str
    answered_at: dt.datetime | None


class DossierOut(DossierSummaryOut):
    applicant_kind: str
    applicant_id_masked: str
    representative_name: str
    registry_used: bool
    documents: list[DossierDocumentOut]
    steps: list[StepOut]
    consultations: list[ConsultationOut]
    supplement_items: list[dict] | None
    original_appointment_at: dt.datetime | None
    decision_reason: str
    result_attached: bool
    returned_at: dt.datetime | None
    return_method: str


class TrackingStepOut(Schema):
    name: str
    agency: str
    due_at: dt.datetime | None


class TimelineOut(Schema):
    at: dt.datetime
    event: str
    label: str


class TrackingOut(Schema):
    code: str
    procedure: str
    state: str
    state_label: str
    national_status: int
    national_status_label: str
    received_at: dt.datetime | None
    appointment_at: dt.datetime | None
    current_step: TrackingStepOut | None
    timeline: list[TimelineOut]


def _utc(moment):
    """Every time in UTC, whether read from the database or just computed (in local time)."""
    return moment.astimezone(dt.UTC) if moment is not None else None


def _step(step) -> dict | None:
    if step is None:
        return None
    return {"position": step.position, "name": step.name, "role": step.role, "agency": step.agency.code,
            "assignee": step.assignee.get_username() if step.assignee_id else None,
            "started_at": _utc(step.started_at), "due_at": _utc(step.due_at), "finished_at": _utc(step.finished_at),
            "outcome": step.outcome, "note": step.note}


def _document(dossier: Dossier, document: DossierDocument) -> dict:
    url = reverse("api:dossier_document", kwargs={"code": dossier.code, "document_id": document.pk}) \
        if document.file else None
    return {"id": document.pk, "position": document.position, "name": document.name, "source": document.source,
            "filename": document.filename, "content_type": document.content_type, "size": document.size,
            "url": url}


def summary(dossier: Dossier) -> dict:
    status = national_status(dossier.state)
    return {
        "code": dossier.code, "procedure": dossier.procedure.code, "procedure_name": dossier.procedure.name,
        "channel": dossier.channel, "state": dossier.state, "national_status": status,
        "national_status_label": str(NATIONAL_STATUS_LABELS[status]), "version": dossier.version,
        "applicant_name": dossier.applicant_name, "competent_agency": dossier.competent_agency.code,
        "branch": dossier.branch.code if dossier.branch_id else None,
        "service_point": dossier.service_point.code if dossier.service_point_id else None,
        "received_at": _utc(dossier.received_at),
        "appointment_at": _utc(dossier.due_at), "current_step": _step(dossier.current_step),
    }


def detail(dossier: Dossier, *, filed=None) -> dict:
    """The dossier as the API shows it; `filed` (intake's `Filed`): a dossier just stored, shown from
    the rows intake wrote (it has no consultation and no supplement request yet)."""
    if filed is not None:
        documents, steps, consultations, supplement = filed.documents, filed.steps, [], None
    else:
        documents = list(dossier.documents.all())
        steps = list(dossier.steps.select_related("agency", "assignee").order_by("started_at", "id"))
        consultations = list(dossier.consultations.select_related("agency"))
        supplement = getattr(dossier, "supplement", None)
    return {
        **summary(dossier),
        "applicant_kind": dossier.applicant_kind,
        "applicant_id_masked": mask(dossier.applicant_id_number),
        "representative_name": dossier.representative_name,
        "registry_used": dossier.registry_used,
        "documents": [_document(dossier, d) for d in documents],
        "steps": [_step(s) for s in steps],
        "consultations": [{"id": c.pk, "agency": c.agency.code, "question": c.question, "due_at": c.due_at,
                           "answer": c.answer, "answered_at": c.answered_at}
                          for c in consultations],
        "supplement_items": supplement.items if supplement else None,
        "original_appointment_at": _utc(dossier.original_due_at),
        "decision_reason": dossier.decision_reason,
        "result_attached": bool(dossier.result_file),
        "returned_at": _utc(dossier.returned_at),
        "return_method": dossier.return_method,
    }
