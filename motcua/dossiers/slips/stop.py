"""Form 05: the notice that the dossier's processing stopped (supplement not made in time, or withdrawn)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from motcua import pdf
from motcua.core import roles

from .. import slip_selectors
from ..models import Dossier, State
from ..services import numbering
from .common import (
    FormNotApplicable,
    applicant_of,
    center_issuer,
    local_date,
    name_of,
    receiving_unit,
    tracking_url,
)


def _signer_title(officer) -> str:
    """Printed above a signature that binds the unit: the officer's title, else "on behalf of the unit"."""
    if officer is not None and officer.title:
        return officer.title.upper()
    return _("ĐẠI DIỆN CƠ QUAN")


def stop_notice(dossier: Dossier) -> pdf.StopNotice:
    """Form 05 of a stopped or withdrawn dossier; FormNotApplicable otherwise."""
    if dossier.state not in (State.STOPPED, State.WITHDRAWN):
        raise FormNotApplicable(_("Hồ sơ không bị dừng giải quyết: không có phiếu dừng."))
    actor = slip_selectors.last_actor(dossier, "stop", "withdraw")
    officer = roles.officer_of(actor)
    if officer is None:
        actor = None  # the scheduler or the applicant: an officer signs by hand
    issuer = center_issuer(dossier)
    reason = dossier.decision_reason
    if dossier.state == State.WITHDRAWN:
        reason = _("Người nộp hồ sơ đề nghị rút hồ sơ: %(reason)s") % {"reason": reason}
    return pdf.StopNotice(
        issuer=issuer,
        number=numbering.printed_number(numbering.number_of(dossier, numbering.Form.STOP)),
        dossier_code=dossier.code,
        tracking_url=tracking_url(dossier),
        applicant=applicant_of(dossier),
        matter=dossier.procedure.name,
        reason=reason,
        stopped_on=local_date(dossier.closed_at),
        signer=pdf.Signature(name=name_of(actor), title=_signer_title(officer)),
        issued_on=local_date(dossier.closed_at),
        received_at=dossier.received_at,
        agency=receiving_unit(dossier),
    )
