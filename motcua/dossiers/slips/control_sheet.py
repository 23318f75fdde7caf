"""Form 06: the process control sheet, one row per hand-over of the dossier with how its deadline was kept."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua import pdf
from motcua.catalog.models import RouteStep

from .. import selectors, slip_selectors
from ..models import Dossier, DossierStep, ReturnMethod
from ..services import deadlines
from .common import FormNotApplicable, center_issuer, name_of, tracking_url

RESULT_LABELS = {deadlines.EARLY: pdf.HandOverResult.EARLY, deadlines.ON_TIME: pdf.HandOverResult.ON_TIME,
                 deadlines.LATE: pdf.HandOverResult.LATE}


def verdict(finished: dt.datetime | None, due: dt.datetime | None) -> str:
    """The form's words for `deadlines.timeliness` ("" while running)."""
    return RESULT_LABELS.get(deadlines.timeliness(finished, due), "")


def _step_unit(dossier: Dossier, step: DossierStep) -> str:
    """Steps of the center's own staff happen at the branch; the others at their agency."""
    if step.role in (RouteStep.Role.RECEPTION, RouteStep.Role.BRANCH_LEADER) and dossier.branch:
        return dossier.branch.name
    return step.agency.name


def _step_note(step: DossierStep) -> str:
    outcome = step.outcome if step.outcome in (DossierStep.Outcome.SENT_BACK, DossierStep.Outcome.REFUSED) else ""
    parts = (step.name, str(DossierStep.Outcome(outcome).label) if outcome else "", step.note)
    return " – ".join(part for part in parts if part)


def _hand_overs(dossier: Dossier) -> list[pdf.HandOver]:
    """Every hand-over, in time order. Each row's result is how the receiving side kept its deadline
    ("" while it is still working): a step's own deadline, a consultation's, the appointment for the return.
    """
    steps = list(selectors.steps_of(dossier))
    rows = selectors.control_sheet(dossier)  # the same steps in the same order, with their deadlines
    receiving = dossier.branch.name if dossier.branch else ""
    items: list[pdf.HandOver] = []
    for previous, step, row in zip([None, *steps], steps, rows, strict=False):
        if previous is None:  # the applicant hands the dossier in
            giver, giver_person = dossier.applicant_name, ""
        else:
            giver, giver_person = _step_unit(dossier, previous), name_of(previous.assignee)
        items.append(pdf.HandOver(
            from_unit=giver, from_person=giver_person, to_unit=_step_unit(dossier, step),
            to_person=name_of(step.assignee), handed_at=step.started_at,
            result=verdict(row["finished_at"], row["due_at"]), note=_step_note(step)))
    last = steps[-1] if steps else None
    if last is not None and last.finished_at is not None and last.outcome in (
            DossierStep.Outcome.APPROVED, DossierStep.Outcome.REFUSED):
        items.append(pdf.HandOver(
            from_unit=_step_unit(dossier, last), from_person=name_of(last.assignee), to_unit=receiving,
            to_person=name_of(dossier.returned_by), handed_at=last.finished_at,
            result=verdict(dossier.returned_at, dossier.due_at), note=_("Trả kết quả")))
    for consultation in slip_selectors.consultations_of(dossier):
        asking = _step_unit(dossier, consultation.step)
        items.append(pdf.HandOver(
            from_unit=asking, from_person=name_of(consultation.asked_by), to_unit=consultation.agency.name,
            to_person=name_of(consultation.answered_by), handed_at=consultation.asked_at,
            result=verdict(consultation.answered_at, consultation.due_at), note=_("Xin ý kiến phối hợp")))
        if consultation.answered_at is not None:
            items.append(pdf.HandOver(
                from_unit=consultation.agency.name, from_person=name_of(consultation.answered_by), to_unit=asking,
                to_person=name_of(consultation.asked_by), handed_at=consultation.answered_at,
                note=_("Trả lời ý kiến phối hợp")))
    if dossier.returned_at is not None:
        method = str(ReturnMethod(dossier.return_method).label) if dossier.return_method else ""
        items.append(pdf.HandOver(
            from_unit=receiving, from_person=name_of(dossier.returned_by), to_unit=dossier.applicant_name,
            to_person=dossier.returned_to if dossier.returned_to != dossier.applicant_name else "",
            handed_at=dossier.returned_at,
            note=_("Đã trả kết quả: %(method)s") % {"method": method} if method else ""))
    return sorted(items, key=lambda item: item.handed_at)


def control_sheet(dossier: Dossier) -> pdf.ProcessControlSheet:
    """Form 06 of a received dossier, as it stands today; FormNotApplicable before it is received."""
    if dossier.received_at is None:
        raise FormNotApplicable(_("Hồ sơ chưa được tiếp nhận: chưa có phiếu kiểm soát."))
    cooperating = []
    for consultation in slip_selectors.consultations_of(dossier):
        if consultation.agency.name not in cooperating:
            cooperating.append(consultation.agency.name)
    return pdf.ProcessControlSheet(
        issuer=center_issuer(dossier),
        dossier_code=dossier.code,
        tracking_url=tracking_url(dossier),
        lead_agency=dossier.competent_agency.name,
        received_at=dossier.received_at,
        appointment_at=deadlines.current_appointment(dossier),
        issued_on=timezone.localdate(),
        hand_overs=_hand_overs(dossier),
        cooperating_agencies=cooperating,
        applicant_name=dossier.applicant_name,
        matter=dossier.procedure.name,
    )
