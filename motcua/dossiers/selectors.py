"""Read queries over dossiers: what a user may see, the inbox, public tracking, the slips' data."""

from __future__ import annotations

import hmac
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from motcua.core import roles
from motcua.core.codes import normalise_tracking_key
from motcua.core.errors import NotFound
from motcua.core.text import fold
from motcua.org.models import Person

from .models import FINAL_STATES, OPEN_STATE_LIST, Consultation, Dossier, DossierStep, State
from .services import deadlines
from .states import NATIONAL_STATUS_LABELS, national_status


def visible_dossiers(user, *, open_only: bool = False, within: Q | None = None) -> QuerySet[Dossier]:
    """Dossiers this user may see: their agency's, their branch's, their own (citizens).

    The visible ids are a UNION of simple filters, each served by an index (an OR across the dossier,
    its current step and its consultations would scan every dossier ever filed). `open_only` and
    `within` (a condition on the dossier itself: a code, a period of reception) apply inside each
    part, so that a part reads only the rows asked for, never the agency's or the branch's whole
    history; the open parts are served by the partial indexes on open dossiers (models.OPEN_DOSSIER).
    """
    base = Dossier.objects.select_related("procedure", "competent_agency", "branch", "current_step__agency",
                                          "current_step__assignee")
    if user is None or not user.is_authenticated:
        return base.none()
    condition = Q(state__in=OPEN_STATE_LIST) if open_only else Q()
    if within is not None:
        condition &= within
    if roles.is_admin(user) or roles.has_role(user, roles.CENTER_DIRECTOR):
        return base.filter(condition)
    parts = [Q(owner=user)]
    # A citizen's account is linked to one person: the dossiers that carry their national ID are theirs,
    # whichever channel or branch received them (served by the dossier_applicant_id index).
    national_id = Person.objects.filter(user=user).values_list("national_id", flat=True).first()
    if national_id:
        parts.append(Q(applicant_id_number=national_id))
    officer = roles.officer_of(user)
    if officer is not None:
        if officer.branch_id and roles.has_role(user, roles.RECEPTION_OFFICER, roles.BRANCH_LEADER):
            parts.append(Q(branch_id=officer.branch_id))
        if roles.has_role(user, roles.RECEPTION_OFFICER):
            parts.append(Q(branch__isnull=True, state=State.NEW))  # online dossiers any branch may receive
        if roles.has_role(user, *roles.AGENCY_ROLES):
            agency = officer.agency_id
            # The consulted agency's part asks, of each dossier of the part's other conditions (the open
            # backlog, a code, a period), whether it holds a question to the agency: read from the
            # dossiers' side, it never reads the agency's past consultations.
            consulted = Exists(Consultation.objects.filter(dossier=OuterRef("pk"), agency_id=agency))
            parts += [Q(competent_agency_id=agency), Q(current_step__agency_id=agency), Q(consulted)]
    queries = [Dossier.objects.filter(part, condition).values("pk") for part in parts]
    ids = queries[0].union(*queries[1:]) if len(queries) > 1 else queries[0]
    return base.filter(condition, pk__in=ids)


def get_dossier(user, code: str) -> Dossier:
    """One dossier the user may see; NotFound otherwise (same answer as for an unknown code)."""
    dossier = visible_dossiers(user, within=Q(code=code)).first()
    if dossier is None:
        raise NotFound()
    return dossier


def by_code(code: str) -> Dossier:
    """A dossier by code without a visibility check (after a service has authorised the caller)."""
    dossier = Dossier.objects.select_related("procedure", "competent_agency", "branch").filter(code=code).first()
    if dossier is None:
        raise NotFound()
    return dossier


def search(dossiers: QuerySet[Dossier], text: str) -> QuerySet[Dossier]:
    """Dossiers matching `text`: part of the code, part of the applicant's name (with or without
    diacritics, any case), or the whole ID number / tax code."""
    text = (text or "").strip()[:100]
    if not text:
        return dossiers
    matches = Q(code__icontains=text)
    if fold(text):
        matches |= Q(applicant_name_folded__contains=fold(text))
    digits = text.replace(" ", "").replace("-", "")
    if digits.isdigit() and len(digits) >= 9:
        matches |= Q(applicant_id_number=digits)
    return dossiers.filter(matches)


def inbox(user, *, state: str | None = None, mine: bool = False, overdue: bool = False, q: str = "",
          procedure: str = "", agency: str = "", due: str = "") -> QuerySet[Dossier]:
    """Open dossiers the user may see, the most urgent (step due soonest) first.

    Filters: state, mine (steps assigned to the user), overdue (appointment passed), `q` (code, name,
    ID number), procedure code, competent agency code, `due` ("overdue" or "near", as the badges say).
    """
    dossiers = visible_dossiers(user, open_only=True)
    if state:
        dossiers = dossiers.filter(state=state)
    if mine:
        dossiers = dossiers.filter(current_step__assignee=user)
    if overdue:
        dossiers = dossiers.filter(due_at__lt=timezone.now())
    if procedure:
        dossiers = dossiers.filter(procedure__code=procedure)
    if agency:
        dossiers = dossiers.filter(competent_agency__code=agency)
    dossiers = search(dossiers, q)
    if due in (deadlines.OVERDUE, deadlines.NEAR):
        dossiers = deadlines.with_urgency(dossiers, due)
    return dossiers.order_by(F("current_step__due_at").asc(nulls_last=True), F("due_at").asc(nulls_last=True),
                             "submitted_at")


def steps_of(dossier: Dossier) -> QuerySet[DossierStep]:
    return dossier.steps.select_related("agency", "assignee").order_by("started_at", "id")


def timeline(dossier: Dossier) -> list[dict[str, Any]]:
    """Public, impersonal timeline: received, each step, the outcome."""
    events: list[dict[str, Any]] = [{"at": dossier.submitted_at, "event": "submitted", "label": str(
        State.NEW.label)}]
    if dossier.received_at:
        events.append({"at": dossier.received_at, "event": "received", "label": str(State.RECEIVED.label)})
    for step in steps_of(dossier):
        events.append({"at": step.started_at, "event": "step", "label": f"{step.name} – {step.agency.short_name}"})
    supplement = getattr(dossier, "supplement", None)
    if supplement is not None:
        events.append({"at": supplement.requested_at, "event": "supplement_requested",
                       "label": str(State.SUPPLEMENT_REQUESTED.label)})
    end = dossier.returned_at or dossier.closed_at or dossier.result_ready_at
    if end and dossier.state in FINAL_STATES | {State.RESULT_READY, State.REFUSED}:
        events.append({"at": end, "event": dossier.state, "label": str(State(dossier.state).label)})
    return sorted(events, key=lambda e: e["at"])


def tracking(code: str, key: str) -> dict[str, Any]:
    """What anyone holding the code and the tracking key of slip 01 may know: no personal data."""
    dossier = (Dossier.objects.select_related("procedure", "current_step__agency", "competent_agency")
               .filter(code=code).first())
    given = normalise_tracking_key(key)
    if dossier is None or not hmac.compare_digest(dossier.tracking_key.encode(), given.encode()):
        raise NotFound()
    step = dossier.current_step
    status = national_status(dossier.state)
    return {
        "code": dossier.code,
        "procedure": dossier.procedure.name,
        "state": dossier.state,
        "state_label": str(State(dossier.state).label),
        "national_status": status,
        "national_status_label": str(NATIONAL_STATUS_LABELS[status]),
        "received_at": dossier.received_at,
        "appointment_at": dossier.due_at,
        "current_step": ({"name": step.name, "agency": step.agency.short_name, "due_at": step.due_at}
                         if step else None),
        "timeline": timeline(dossier),
    }


def receipt_slip(dossier: Dossier) -> dict[str, Any]:
    """Everything form 01 (receipt and appointment slip, Circular 03/2025) shows. Personal data: staff only."""
    return {
        "code": dossier.code,
        "receiving_unit": dossier.branch.name if dossier.branch else "",
        "center": dossier.branch.center.name if dossier.branch else "",
        "applicant": {
            "name": dossier.applicant_name, "kind": dossier.applicant_kind,
            "id_number": dossier.applicant_id_number, "address": dossier.applicant_address,
            "phone": dossier.applicant_phone, "email": dossier.applicant_email,
        },
        "representative": ({"name": dossier.representative_name, "id_number": dossier.representative_id_number,
                            "phone": dossier.representative_phone} if dossier.representative_name else None),
        "matter": dossier.procedure.name,
        "procedure_code": dossier.procedure.code,
        "documents": [{"position": d.position, "name": d.name, "source": d.source, "kind":
                       d.required_document.kind if d.required_document else ""}
                      for d in dossier.documents.select_related("required_document")],
        "sets": dossier.sets,
        "legal_processing_days": dossier.procedure.processing_days,
        "received_at": dossier.received_at,
        "appointment_at": dossier.due_at,
        "return_place": dossier.branch.name if dossier.branch else "",
        "received_by": (dossier.received_by.get_full_name() or dossier.received_by.get_username())
        if dossier.received_by else "",
        "competent_agency": dossier.competent_agency.name,
        "channel": dossier.channel,
    }


def control_sheet(dossier: Dossier) -> list[dict[str, Any]]:
    """Form 06 rows: one per hand-over, with early / on time / late."""
    rows = []
    for step in steps_of(dossier):
        verdict = deadlines.timeliness(step.finished_at, step.due_at)
        rows.append({"step": step.name, "agency": step.agency.short_name, "started_at": step.started_at,
                     "due_at": step.due_at, "finished_at": step.finished_at, "outcome": step.outcome,
                     "result": verdict, "note": step.note})
    return rows


def register_rows(dossiers: QuerySet[Dossier]) -> list[dict[str, Any]]:
    """Form 07 (dossier register), one row per dossier in the order given. Personal data: staff only."""
    rows = []
    for number, dossier in enumerate(dossiers.select_related("procedure", "competent_agency"), start=1):
        rows.append({
            "number": number, "code": dossier.code, "procedure": dossier.procedure.name,
            "applicant": dossier.applicant_name, "address": dossier.applicant_address,
            "phone": dossier.applicant_phone, "lead_agency": dossier.competent_agency.name,
            "received_at": dossier.received_at, "appointment_at": dossier.due_at,
            "returned_at": dossier.returned_at, "return_method": dossier.return_method,
            "returned_to": dossier.returned_to,
        })
    return rows
