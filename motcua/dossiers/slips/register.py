"""Form 07: the register of the dossiers received over a period (PDF and XLSX)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import timezone, translation

from motcua import pdf
from motcua.core import roles
from motcua.org.models import Agency, Branch

from .. import selectors, slip_selectors
from ..models import Dossier, ReturnMethod
from ..services import deadlines
from .common import issuer


def register(user, dossiers: Sequence[Dossier], *, start: dt.date, end: dt.date, branch: Branch | None = None,
             agency: Agency | None = None) -> pdf.DossierRegister:
    """Form 07 listing `dossiers` (received from `start` to `end`) in order of receipt, as `user` prints it.

    Headed with the branch or agency the list is filtered on; without a filter, a desk officer's or
    branch leader's own branch.
    """
    by_code = {d.code: d for d in dossiers}
    rows = selectors.register_rows(Dossier.objects.filter(pk__in=[d.pk for d in dossiers])
                                   .order_by("received_at", "code"))
    officer = roles.officer_of(user)
    if branch is None and agency is None and officer is not None and officer.branch_id \
            and roles.has_role(user, roles.RECEPTION_OFFICER, roles.BRANCH_LEADER):
        branch = officer.branch
    center = slip_selectors.center_of(branch=branch)
    department = branch.name if branch else (agency.name if agency else "")
    return pdf.DossierRegister(
        issuer=issuer(center, department),
        issued_on=timezone.localdate(),
        period_start=start,
        period_end=end,
        rows=[pdf.RegisterRow(
            sequence=row["number"], dossier_code=row["code"], procedure=row["procedure"],
            applicant_name=row["applicant"], address=row["address"], phone=row["phone"],
            lead_agency=row["lead_agency"], received_at=row["received_at"],
            appointment_at=row["appointment_at"] or deadlines.current_appointment(by_code[row["code"]])
            or row["received_at"],
            returned_at=row["returned_at"],
            collection_method=str(ReturnMethod(row["return_method"]).label) if row["return_method"] else "",
        ) for row in rows],
    )


def render_register(register_form: pdf.DossierRegister) -> bytes:
    """Form 07 as a landscape A4 PDF."""
    with translation.override("vi"):
        return pdf.render_dossier_register(register_form)


def export_register(register_form: pdf.DossierRegister) -> bytes:
    """Form 07 as an XLSX workbook."""
    with translation.override("vi"):
        return pdf.export_dossier_register_xlsx(register_form)
