"""Printing a dossier's forms and the register: who may, what is recorded, and the register's input.

A slip handed out is an official act: each print is an audit entry `dossier.slip_printed` naming the
form (who and when), and only for a form actually printed. The forms themselves are built in
`dossiers/slips/`; who may print them is `policies.may_print` / `policies.may_see_register`.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from motcua import pdf
from motcua.core import audit
from motcua.core.errors import NotFound, PermissionDenied, ValidationFailed
from motcua.org.models import Agency, Branch

from .. import policies, selectors, slip_selectors, slips

PRINTED = "dossier.slip_printed"
REGISTER_MAX_DAYS = 366


def print_slip(user, code: str, form: str) -> bytes:
    """Form `form` (01-06, or "refusal": the competent agency's letter) of a dossier, as PDF bytes; audited.

    NotFound for an unknown form, and for a dossier the user may not print (the same answer as for an
    unknown code); FormNotApplicable when the dossier's state has no such form (nothing is recorded).
    """
    if form not in slips.BUILDERS:
        raise NotFound(_("Không có biểu mẫu này."), code="unknown_form")
    dossier = selectors.by_code(code)
    if not policies.may_print(user, dossier):
        raise NotFound()
    from motcua.signing import selectors as signing_selectors  # same layer: its selectors only

    content = signing_selectors.signed_slip(dossier, form) or slips.render(dossier, form)
    audit.record_event(user, PRINTED, "dossier", dossier.code, dossier.state, dossier.state,
                       data={"form": form, "version": dossier.version})
    return content


# --- 07 register ----------------------------------------------------------------------------------

def _parse_day(value: str | None, name: str, problems: list) -> dt.date | None:
    if not value:
        problems.append({"field": name, "code": "required", "message": _("Cần ngày (YYYY-MM-DD).")})
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        problems.append({"field": name, "code": "invalid_date",
                         "message": _("Ngày không hợp lệ, cần dạng YYYY-MM-DD.")})
        return None


def register_form(user, *, start: str | None, end: str | None, branch: str = "",
                  agency: str = "") -> pdf.DossierRegister:
    """Form 07 for the dossiers received from `start` to `end` (YYYY-MM-DD, inclusive) that the user may see,
    optionally of one branch or competent agency (their codes).

    PermissionDenied for anyone but staff; ValidationFailed naming each field that is wrong, or when the
    period holds more than `MOTCUA_REGISTER_MAX_ROWS` dossiers.
    """
    if not policies.may_see_register(user):
        raise PermissionDenied()
    problems: list = []
    first = _parse_day(start, "from", problems)
    last = _parse_day(end, "to", problems)
    if first and last and last < first:
        problems.append({"field": "to", "code": "range_reversed", "message": _("Ngày kết thúc trước ngày bắt đầu.")})
    elif first and last and (last - first).days + 1 > REGISTER_MAX_DAYS:
        problems.append({"field": "to", "code": "range_too_long",
                         "message": _("Khoảng thời gian tối đa %(days)d ngày.") % {"days": REGISTER_MAX_DAYS}})
    branch_obj = Branch.objects.filter(code=branch).first() if branch else None
    if branch and branch_obj is None:
        problems.append({"field": "branch", "code": "unknown_branch", "message": _("Không có chi nhánh này.")})
    agency_obj = Agency.objects.filter(code=agency).first() if agency else None
    if agency and agency_obj is None:
        problems.append({"field": "agency", "code": "unknown_agency", "message": _("Không có cơ quan này.")})
    if problems:
        raise ValidationFailed(details=problems)
    assert first is not None and last is not None  # no problem means both days were read
    dossiers = list(slip_selectors.register_dossiers(user, first, last, branch=branch_obj, agency=agency_obj))
    limit = int(getattr(settings, "MOTCUA_REGISTER_MAX_ROWS", 5000))
    if len(dossiers) > limit:
        raise ValidationFailed(_("Quá nhiều hồ sơ (%(n)d, tối đa %(limit)d): hãy thu hẹp khoảng thời gian.")
                               % {"n": len(dossiers), "limit": limit}, code="register_too_large",
                               details=[{"field": "to", "code": "register_too_large"}])
    with translation.override("vi"):
        return slips.register(user, dossiers, start=first, end=last, branch=branch_obj, agency=agency_obj)
