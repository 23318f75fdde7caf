"""Form 02: the request to supplement the dossier, from the officer who asked for it."""

from __future__ import annotations

from django.utils.translation import gettext as _

from motcua import pdf
from motcua.core import roles
from motcua.org.models import Agency

from .. import slip_selectors
from ..models import Dossier
from ..services import deadlines, numbering
from .common import (
    FormNotApplicable,
    applicant_of,
    issuer_for_actor,
    local_date,
    name_of,
    receiving_unit,
    tracking_url,
)


def supplement_request(dossier: Dossier) -> pdf.SupplementRequest:
    """Form 02 of a dossier whose supplement was requested; FormNotApplicable otherwise."""
    supplement = slip_selectors.supplement_of(dossier)
    if supplement is None:
        raise FormNotApplicable(_("Hồ sơ không có yêu cầu bổ sung."))
    officer = roles.officer_of(supplement.requested_by)
    center = slip_selectors.center_of(dossier)
    unit = officer.agency.name if officer is not None and officer.agency.kind != Agency.Kind.CENTER \
        else receiving_unit(dossier)
    who = name_of(supplement.requested_by)
    contact = f"{who}, {unit}" if who else unit
    phone = ((officer.phone if officer else "") or (dossier.branch.phone if dossier.branch else "")
             or (center.phone if center else "") or "…………")  # left to fill in by hand
    deadline = deadlines.supplement_deadline(dossier, supplement)
    return pdf.SupplementRequest(
        issuer=issuer_for_actor(dossier, supplement.requested_by),
        number=numbering.printed_number(numbering.number_of(dossier, numbering.Form.SUPPLEMENT)),
        dossier_code=dossier.code,
        tracking_url=tracking_url(dossier),
        receiving_unit=receiving_unit(dossier),
        applicant=applicant_of(dossier),
        matter=dossier.procedure.name,
        items=[pdf.SupplementItem(what=item.get("name", ""), why=item.get("reason", ""))
               for item in supplement.items or []],
        contact_officer=contact,
        contact_phone=phone,
        issued_on=local_date(supplement.requested_at),
        received_at=dossier.received_at,
        complete_by=local_date(deadline),
        signer=pdf.Signature(name=who),
    )
