"""Form 01: the receipt and appointment slip handed to the applicant when the dossier is received."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua import pdf
from motcua.catalog.fees import facts_from_declaration
from motcua.catalog.models import RequiredDocument
from motcua.catalog.selectors import assess_fees

from .. import selectors, slip_selectors
from ..models import Channel, Dossier, DossierDocument, State
from ..services import deadlines, numbering
from .common import FormNotApplicable, center_issuer, local_date, receiving_unit, return_place, tracking_url

_ELECTRONIC_CHANNELS = {Channel.ONLINE, Channel.NATIONAL_PORTAL}


def _document_kind(source: str, kind: str, channel: str) -> str:
    # What came from the population database was not handed in, even where the catalog asks for an
    # original to be shown (the ID card): the slip says where it came from.
    if source == DossierDocument.Source.REGISTRY:
        return _("Khai thác từ CSDL quốc gia về dân cư")
    if source == DossierDocument.Source.SHOWN or kind == RequiredDocument.Kind.SHOWN:
        return _("Bản chính (xuất trình)")
    if channel in _ELECTRONIC_CHANNELS:
        return pdf.DocumentKind.ELECTRONIC
    kinds: dict[str, str] = {RequiredDocument.Kind.COPY: pdf.DocumentKind.COPY,
                             RequiredDocument.Kind.CERTIFIED_COPY: pdf.DocumentKind.CERTIFIED_COPY}
    return kinds.get(kind, pdf.DocumentKind.ORIGINAL)


def _received_documents(dossier: Dossier, documents: list[dict]) -> list[pdf.ReceivedDocument]:
    """One line per checklist document and way it came in; files of the same document are counted once."""
    copies = slip_selectors.document_copies(dossier)
    lines: dict[tuple[int, str], dict] = {}
    for doc in documents:
        key = (doc["position"], doc["source"])
        line = lines.setdefault(key, {**doc, "files": 0})
        line["files"] += 1
    result = []
    for (position, source), line in sorted(lines.items()):
        kind = _document_kind(source, line["kind"], dossier.channel)
        if kind == pdf.DocumentKind.ELECTRONIC:
            count = line["files"]
        else:
            count = copies.get(position, 1)
        name = line["name"]
        if source == DossierDocument.Source.SUPPLEMENT:
            name = _("%(name)s (bổ sung)") % {"name": name}
        result.append(pdf.ReceivedDocument(name=name, kind=kind, copies=max(1, count)))
    return result


def _applicant(data: dict) -> pdf.Applicant:
    return pdf.Applicant(name=data["name"], id_number=data["id_number"], address=data["address"],
                         phone=data["phone"], email=data["email"])


def _days(days: Decimal | None) -> str:
    if days is None:
        return ""
    text = f"{days.normalize():f}".replace(".", ",")
    return _("%(days)s ngày làm việc") % {"days": text}


def _fees_due(dossier: Dossier) -> int | None:
    """The fees due at intake, by the catalog's fee rules for the dossier's channel, day of receipt and what
    the applicant declared (the invoice the payments app opens holds the same figure); None when no procedure fee is known
    or an amount is not determined yet, or a fee per unit waits for its count (the fee counter's):
    the slip then prints nothing rather than a wrong figure.
    """
    assert dossier.received_at is not None  # receipt_slip refuses a dossier not received
    assessment = assess_fees(dossier.procedure, facts_from_declaration(
        dossier.fee_declaration, channel=dossier.channel, on=timezone.localdate(dossier.received_at)))
    if not assessment.lines or assessment.undetermined or assessment.provisional:
        return None
    return assessment.total


def receipt_slip(dossier: Dossier) -> pdf.ReceiptSlip:
    """Form 01 of a received dossier; FormNotApplicable before it is received or when it was refused at intake."""
    if dossier.received_at is None or dossier.state in (State.NEW, State.NOT_RECEIVED):
        raise FormNotApplicable(_("Hồ sơ chưa được tiếp nhận: chưa có giấy tiếp nhận."))
    data = selectors.receipt_slip(dossier)
    rep = data["representative"]
    receipt = numbering.number_of(dossier, numbering.Form.RECEIPT)
    return pdf.ReceiptSlip(
        issuer=center_issuer(dossier),
        number=numbering.printed_number(receipt),
        dossier_code=dossier.code,
        tracking_url=tracking_url(dossier),
        tracking_key=dossier.printed_tracking_key,
        receiving_unit=receiving_unit(dossier),
        applicant=_applicant(data["applicant"]),
        representative=pdf.Representative(name=rep["name"], id_number=rep["id_number"], phone=rep["phone"])
        if rep else None,
        matter=data["matter"],
        documents=_received_documents(dossier, data["documents"]),
        sets=data["sets"],
        processing_time=_days(data["legal_processing_days"]),
        received_at=data["received_at"],
        return_at=deadlines.current_appointment(dossier),
        return_place=return_place(dossier),
        receiving_officer=pdf.Signature(name=data["received_by"]),
        issued_on=local_date(data["received_at"]),
        fees=_fees_due(dossier),
        register_book=receipt.book if receipt else "",
        register_number=str(receipt.number) if receipt else "",
    )
