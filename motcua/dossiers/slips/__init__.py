"""The printed forms of a dossier (Circular 03/2025/TT-VPCP, annex I): dossier data onto `motcua.pdf`.

One module per form, each a function from a dossier to the form's `motcua.pdf` dataclass, raising
`FormNotApplicable` when the dossier's state has no such form: `receipt` (01), `supplement` (02),
`refusal` (03, and the competent agency's refusal letter), `apology` (04), `stop` (05),
`control_sheet` (06); `register` (07) lists the dossiers of a period. What they share is in `common`.
Who may print, the audit of each print and the register's input are the service's
(`services/printing.py`). The PDFs carry the applicant's full personal data (they are handed to the
applicant); nothing here logs it. See docs/dossiers.md.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import translation

from motcua import pdf

from ..models import Dossier

# Each builder is re-exported under its own name, which hides the module of the same name on this
# package: `slips.apology` is the function; import from `slips.apology` to reach the module's names.
from .apology import apology
from .common import FormNotApplicable, tracking_url
from .control_sheet import RESULT_LABELS, control_sheet, verdict
from .receipt import receipt_slip
from .refusal import INTAKE, OUTCOME, refusal, refusal_kind, refusal_letter
from .register import export_register, register, render_register
from .stop import stop_notice
from .supplement import supplement_request

PDF_CONTENT_TYPE = "application/pdf"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A dossier's forms by the name in their URL: how to fill one in, how to draw it.
BUILDERS: dict[str, tuple[Callable[[Dossier], Any], Callable[[Any], bytes]]] = {
    "01": (receipt_slip, pdf.render_receipt_slip),
    "02": (supplement_request, pdf.render_supplement_request),
    "03": (refusal, pdf.render_refusal),
    "04": (apology, pdf.render_apology),
    "05": (stop_notice, pdf.render_stop_notice),
    "06": (control_sheet, pdf.render_process_control_sheet),
    "refusal": (refusal_letter, pdf.render_refusal_letter),
}
FORMS = tuple(BUILDERS)


def render(dossier: Dossier, form: str) -> bytes:
    """Form `form` (a key of BUILDERS) of the dossier as PDF bytes, in Vietnamese whatever the request's
    language; FormNotApplicable when the dossier's state has no such form."""
    build, draw = BUILDERS[form]
    with translation.override("vi"):
        return draw(build(dossier))


__all__ = [
    "BUILDERS", "FORMS", "INTAKE", "OUTCOME", "PDF_CONTENT_TYPE", "RESULT_LABELS", "XLSX_CONTENT_TYPE",
    "FormNotApplicable", "apology", "control_sheet", "export_register", "receipt_slip", "refusal",
    "refusal_kind", "refusal_letter", "register", "render", "render_register", "stop_notice",
    "supplement_request", "tracking_url", "verdict",
]
