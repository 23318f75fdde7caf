"""A receipt's data onto the printed electronic receipt (`motcua.pdf.fee_receipt`), A4 or 80 mm."""

from __future__ import annotations

from django.utils import timezone

from motcua import pdf
from motcua.core import codes

from .models import Receipt

SIZES = ("a4", "80mm")


def receipt_document(receipt: Receipt, *, check_url: str) -> pdf.FeeReceipt:
    invoice = receipt.payment.invoice
    branch = invoice.branch
    center = branch.center if branch is not None else None
    return pdf.FeeReceipt(
        unit=(center.name if center else "Trung tâm Phục vụ hành chính công").upper(),
        department=branch.name.upper() if branch is not None else "",
        template_symbol=receipt.series.template_symbol, series_symbol=receipt.series.series_symbol,
        number=codes.printed_receipt_number(receipt.number), payer=receipt.payer_name,
        dossier_code=invoice.dossier.code, matter=invoice.dossier.procedure.name,
        items=tuple(pdf.FeeItem(name=line.name, quantity=line.quantity, amount=line.amount)
                    for line in invoice.lines.all() if line.amount),
        amount=receipt.amount, method=receipt.payment.get_method_display(),
        issued_at=timezone.localtime(receipt.issued_at), check_url=check_url,
        status={Receipt.Status.CANCELLED: "ĐÃ HỦY", Receipt.Status.REPLACED: "ĐÃ THAY THẾ"}.get(receipt.status, ""),
        collector=receipt.payment.collected_by.get_full_name() if receipt.payment.collected_by else "",
    )


def render(receipt: Receipt, *, size: str = "a4", check_url: str) -> bytes:
    document = receipt_document(receipt, check_url=check_url)
    return pdf.render_fee_receipt(document, narrow=size == "80mm")
