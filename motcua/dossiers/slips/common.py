"""What the printed forms share: who issues them and where, the receiving unit, the applicant, signers."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua import pdf
from motcua.core import roles
from motcua.core.errors import DomainError
from motcua.org.models import Agency, Center

from .. import slip_selectors
from ..models import Dossier


class FormNotApplicable(DomainError):
    status = 409
    code = "form_not_applicable"
    default_message = gettext_lazy("Biểu mẫu này không áp dụng cho hồ sơ ở trạng thái hiện tại.")


def tracking_url(dossier: Dossier) -> str:
    """The public tracking page of the dossier, with its key: what the slips' QR code opens."""
    site = getattr(settings, "MOTCUA_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
    return site + dossier.tracking_path()


def name_of(user) -> str:
    """A person's name as printed under a signature ("" for nobody)."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def local_date(moment: dt.datetime | None) -> dt.date:
    """The local day of `moment` (today when None)."""
    return timezone.localdate(moment) if moment is not None else timezone.localdate()


# --- who issues, where ----------------------------------------------------------------------------

def _province_names(center: Center | None) -> tuple[str, str]:
    """(full name, place): ("Thành phố Hà Nội", "Hà Nội"), whatever the province is called in the data."""
    if center is None:
        return "", ""
    province = center.province
    name = province.name.strip()
    lowered = name.lower()
    for prefix in ("thành phố ", "tỉnh "):
        if lowered.startswith(prefix):
            return name, name[len(prefix):].strip()
    kind = (province.kind or "").lower()
    prefix = "Thành phố" if kind.startswith("thành phố") else "Tỉnh" if kind.startswith("tỉnh") else ""
    return (f"{prefix} {name}".strip(), name)


def issuer(center: Center | None, department: str = "", name: str = "") -> pdf.Issuer:
    """The issuer block: "UBND <province>" over `name` (by default the center's), `department` under it."""
    full, place = _province_names(center)
    parent = _("UBND %(province)s") % {"province": full} if full else ""
    return pdf.Issuer(name=name or (center.name if center else ""), place=place, parent=parent,
                      department=department if department != name else "")


def center_issuer(dossier: Dossier) -> pdf.Issuer:
    """The center, with the dossier's branch under it."""
    return issuer(slip_selectors.center_of(dossier), dossier.branch.name if dossier.branch else "")


def issuer_for_actor(dossier: Dossier, user) -> pdf.Issuer:
    """The center (and branch) for the center's staff, the officer's own agency otherwise."""
    officer = roles.officer_of(user)
    if officer is None or officer.agency.kind == Agency.Kind.CENTER:
        return center_issuer(dossier)
    return issuer(slip_selectors.center_of(dossier), name=officer.agency.name)


def receiving_unit(dossier: Dossier) -> str:
    """The branch that received the dossier, with its service point when that has another name."""
    point = slip_selectors.service_point_of(dossier)
    if dossier.branch is None:
        center = slip_selectors.center_of(dossier)
        return center.name if center else ""
    if point is not None and point.name != dossier.branch.name:
        return f"{dossier.branch.name} ({point.name})"
    return dossier.branch.name


def return_place(dossier: Dossier) -> str:
    """Where the result is returned: the service point and its address, else the branch and the center's."""
    point = slip_selectors.service_point_of(dossier)
    if point is not None:
        return ", ".join(part for part in (point.name, point.address) if part)
    center = slip_selectors.center_of(dossier)
    parts = [dossier.branch.name if dossier.branch else "", center.address if center else ""]
    return ", ".join(part for part in parts if part)


def applicant_of(dossier: Dossier) -> pdf.Applicant:
    return pdf.Applicant(name=dossier.applicant_name, id_number=dossier.applicant_id_number,
                         address=dossier.applicant_address, phone=dossier.applicant_phone,
                         email=dossier.applicant_email)


def head_title(agency: Agency) -> str:
    """The title of an agency's head, printed above the signature of form 04 and of a refusal letter."""
    if agency.kind == Agency.Kind.COMMUNE:
        return _("CHỦ TỊCH")
    return _("GIÁM ĐỐC") if agency.kind in (Agency.Kind.CENTER, Agency.Kind.DEPARTMENT) else _("THỦ TRƯỞNG CƠ QUAN")


def reasons_of(dossier: Dossier) -> list[str]:
    """The decision's reasons, one per line of what the officer wrote."""
    return [line.strip() for line in dossier.decision_reason.splitlines() if line.strip()]
