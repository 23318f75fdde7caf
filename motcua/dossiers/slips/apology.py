"""Form 04: the apology and new appointment, signed by the head of the agency responsible for the delay."""

from __future__ import annotations

from django.utils.translation import gettext as _

from motcua import pdf
from motcua.core import roles

from .. import slip_selectors
from ..models import Dossier
from ..services import numbering
from .common import (
    FormNotApplicable,
    applicant_of,
    head_title,
    issuer_for_actor,
    local_date,
    name_of,
    tracking_url,
)


def apology(dossier: Dossier) -> pdf.Apology:
    """Form 04 of a dossier whose appointment was moved with an apology; FormNotApplicable otherwise."""
    if dossier.original_due_at is None or dossier.due_at is None:
        raise FormNotApplicable(_("Hồ sơ không có phiếu xin lỗi và hẹn lại ngày trả kết quả."))
    actor = slip_selectors.last_actor(dossier, "apologise")
    officer = roles.officer_of(actor)
    issuer = issuer_for_actor(dossier, actor)
    # Signed by the head of the agency responsible for the delay (the one that recorded the apology).
    agency = officer.agency if officer is not None else dossier.competent_agency
    head = slip_selectors.head_of(agency)
    entry_day = slip_selectors.last_event_at(dossier, "apologise")
    return pdf.Apology(
        issuer=issuer,
        number=numbering.printed_number(numbering.number_of(dossier, numbering.Form.APOLOGY)),
        dossier_code=dossier.code,
        tracking_url=tracking_url(dossier),
        applicant=applicant_of(dossier),
        matter=dossier.procedure.name,
        received_at=dossier.received_at,
        original_return_at=dossier.original_due_at,
        reason=dossier.apology_reason,
        new_return_at=dossier.due_at,
        head=pdf.Signature(name=name_of(head.user) if head else "", title=head_title(agency)),
        issued_on=local_date(entry_day),
        agency=issuer.department or issuer.name,
    )
