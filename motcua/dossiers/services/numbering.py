"""Numbering books (sổ) of the official slips: one per branch, form and year, numbers without gaps.

The book is named after the branch and the year ("CN02/2026"; "TT/2026" for a dossier that no branch
has received yet), under the center's prefix when its data gives one ("DN-CN02/2026"); the slip prints
its number with the form's symbol ("Số: 0153/TNHS-CN02").
"""

import datetime as dt

from django.utils import timezone

from motcua.core import codes
from motcua.org.models import Branch
from motcua.org.selectors import slip_prefix_of

from ..models import Dossier, SlipNumber

Form = SlipNumber.Form

# The symbol printed after the number, per form (Circular 03/2025 leaves it to the issuing unit).
SYMBOLS = {Form.RECEIPT: "TNHS", Form.SUPPLEMENT: "BSHS", Form.REFUSAL: "TCHS", Form.APOLOGY: "XLHS",
           Form.STOP: "DXLHS"}


def book_of(branch: Branch | None, year: int) -> str:
    """The book of the branch (or of the center, with no branch) for `year`, under the center's prefix."""
    unit = codes.slip_unit(branch.number if branch is not None else None, slip_prefix_of(branch))
    return codes.slip_book(unit, year)


def assign(dossier: Dossier, form: str, now: dt.datetime, branch: Branch | None = None, *,
           drawn: int | None = None) -> SlipNumber:
    """The next number of `form` in the book of the dossier's branch (or `branch`) for `now`'s year.

    Call inside the transaction of the event that issues the slip; a second call for the same form
    returns the number already given. `drawn`: the number already drawn in this transaction for a
    dossier created in it (`codes.next_dossier_code_and_slip`, in the book `book_of` names).
    """
    existing = None if drawn is not None else number_of(dossier, form)
    if existing is not None:
        return existing
    branch = branch or dossier.branch
    year = timezone.localtime(now).year
    book = book_of(branch, year)
    number = drawn if drawn is not None else codes.next_slip_number(form, book, year)
    return SlipNumber.objects.create(dossier=dossier, form=form, book=book, number=number, issued_at=now)


def printed_number(slip_number: SlipNumber | None) -> str:
    """What the slip shows after "Số:", e.g. "0153/TNHS-CN02"; empty when the slip has no number."""
    if slip_number is None:
        return ""
    return codes.printed_slip_number(slip_number.number, SYMBOLS[Form(slip_number.form)], slip_number.book)


def number_of(dossier: Dossier, form: str) -> SlipNumber | None:
    return SlipNumber.objects.filter(dossier=dossier, form=form).first()
