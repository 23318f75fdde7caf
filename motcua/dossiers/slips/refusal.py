"""Refusals: form 03 when the desk refuses at intake (in the center's name), the competent agency's own
letter when it refuses to resolve the dossier."""

from __future__ import annotations

from django.utils.translation import gettext as _

from motcua import pdf
from motcua.catalog.models import RouteStep

from .. import slip_selectors
from ..models import Dossier, State
from ..services import numbering
from .common import (
    FormNotApplicable,
    applicant_of,
    head_title,
    issuer,
    issuer_for_actor,
    local_date,
    name_of,
    reasons_of,
    receiving_unit,
    tracking_url,
)

INTAKE, OUTCOME = "intake", "outcome"


def refusal_kind(dossier: Dossier) -> str | None:
    """How the dossier was refused: at intake by the desk (form 03, in the center's name), on its
    outcome by the competent agency (the agency's letter), or not at all (None)."""
    if dossier.state == State.NOT_RECEIVED:
        return INTAKE
    refused_then_returned = dossier.state == State.RETURNED and bool(dossier.decision_reason)
    if dossier.state != State.REFUSED and not refused_then_returned:
        return None
    step = slip_selectors.refused_step(dossier)
    return INTAKE if step is None or step.role == RouteStep.Role.RECEPTION else OUTCOME


def refusal(dossier: Dossier) -> pdf.Refusal:
    """Form 03 of a dossier refused at intake; FormNotApplicable otherwise."""
    if refusal_kind(dossier) != INTAKE:
        raise FormNotApplicable(_("Hồ sơ không bị từ chối tiếp nhận: không có phiếu từ chối (mẫu 03)."))
    actor = slip_selectors.last_actor(dossier, "refuse", "refuse_intake")
    decided = dossier.result_ready_at if dossier.state != State.NOT_RECEIVED else dossier.closed_at
    return pdf.Refusal(
        issuer=issuer_for_actor(dossier, actor),
        number=numbering.printed_number(numbering.number_of(dossier, numbering.Form.REFUSAL)),
        dossier_code=dossier.code,
        tracking_url=tracking_url(dossier),
        receiving_unit=receiving_unit(dossier),
        applicant=applicant_of(dossier),
        matter=dossier.procedure.name,
        reasons=reasons_of(dossier),
        receiving_officer=pdf.Signature(name=name_of(actor)),
        issued_on=local_date(decided or dossier.closed_at),
    )


def refusal_letter(dossier: Dossier) -> pdf.RefusalLetter:
    """The competent agency's letter refusing to resolve the dossier, signed by its head; FormNotApplicable
    unless the agency refused it."""
    if refusal_kind(dossier) != OUTCOME:
        raise FormNotApplicable(_("Cơ quan có thẩm quyền không từ chối giải quyết hồ sơ này."))
    step = slip_selectors.refused_step(dossier)
    agency = dossier.competent_agency
    head = slip_selectors.head_of(agency)
    return pdf.RefusalLetter(
        issuer=issuer(slip_selectors.center_of(dossier), name=agency.name),
        number="",  # numbered by the agency's own registry of documents
        dossier_code=dossier.code,
        tracking_url=tracking_url(dossier),
        applicant=applicant_of(dossier),
        matter=dossier.procedure.name,
        receiving_unit=receiving_unit(dossier),
        received_at=dossier.received_at,
        reasons=reasons_of(dossier),
        head=pdf.Signature(name=name_of(head.user) if head else "", title=head_title(agency)),
        issued_on=local_date(step.finished_at if step else dossier.result_ready_at),
    )
