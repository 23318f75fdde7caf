"""The electronic receipt of fees and charges (biên lai thu phí, lệ phí), A4 or 80 mm receipt paper.

Fields of an electronic receipt (Decree 123/2020/NĐ-CP, Circular 78/2021/TT-BTC, as used for fees):
the collecting unit, the template and series symbols and the number, the payer, the fee items, the
amount in figures and in words, the method, the date, the collector, and a QR code opening the public
authenticity check.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from motcua.core.money import vnd_in_words

from .base import build, grid_table_style, para, styles
from .qr import QrCode
from .text import format_datetime, format_vnd, markup

ROLL_WIDTH = 80 * mm
ROLL_HEIGHT = 200 * mm


class Labels:
    TITLE = "BIÊN LAI THU PHÍ, LỆ PHÍ"
    ELECTRONIC = "(Biên lai điện tử)"
    TEMPLATE = "Ký hiệu mẫu"
    SERIES = "Ký hiệu"
    NUMBER = "Số"
    PAYER = "Người nộp"
    DOSSIER = "Mã hồ sơ"
    MATTER = "Nội dung"
    ITEM = "Khoản thu"
    QUANTITY = "SL"
    AMOUNT = "Số tiền"
    TOTAL = "Tổng cộng"
    IN_WORDS = "Bằng chữ"
    METHOD = "Hình thức thanh toán"
    ISSUED_AT = "Thời gian"
    COLLECTOR = "Người thu tiền"
    CHECK = "Quét mã để kiểm tra biên lai"


@dataclass(frozen=True)
class FeeItem:
    name: str
    quantity: int
    amount: int


@dataclass(frozen=True)
class FeeReceipt:
    unit: str
    department: str
    template_symbol: str
    series_symbol: str
    number: str
    payer: str
    dossier_code: str
    matter: str
    items: tuple[FeeItem, ...]
    amount: int
    method: str
    issued_at: datetime
    check_url: str
    status: str = ""  # "ĐÃ HỦY" / "ĐÃ THAY THẾ" printed large when the receipt no longer stands
    collector: str = ""


def _story(receipt: FeeReceipt, width: float, narrow: bool) -> list[Flowable]:
    s = styles()
    out: list[Flowable] = [para(receipt.unit, s.motto)]
    if receipt.department:
        out.append(para(receipt.department, s.unit))
    out += [Spacer(1, 4), para(Labels.TITLE, s.title), para(Labels.ELECTRONIC, s.hint)]
    if receipt.status:
        out.append(Paragraph(f'<font color="#B00020"><b>{markup(receipt.status)}</b></font>', s.title))
    out += [
        para(f"{Labels.TEMPLATE}: {receipt.template_symbol}", s.body_center),
        para(f"{Labels.SERIES}: {receipt.series_symbol}", s.body_center),
        Paragraph(f"{markup(Labels.NUMBER)}: <b>{markup(receipt.number)}</b>", s.body_center),
        Spacer(1, 6),
        para(f"{Labels.PAYER}: {receipt.payer}", s.body),
        para(f"{Labels.DOSSIER}: {receipt.dossier_code}", s.body),
        para(f"{Labels.MATTER}: {receipt.matter}", s.body),
        Spacer(1, 4),
    ]
    amount_width = 24 * mm if narrow else 35 * mm
    quantity_width = 9 * mm if narrow else 15 * mm
    rows: list[list] = [[para(Labels.ITEM, s.cell_head), para(Labels.QUANTITY, s.cell_head),
                         para(Labels.AMOUNT, s.cell_head)]]
    rows += [[para(item.name, s.cell), para(str(item.quantity), s.cell_center), para(format_vnd(item.amount), s.cell)]
             for item in receipt.items]
    rows.append([Paragraph(f"<b>{markup(Labels.TOTAL)}</b>", s.cell), "",
                 Paragraph(f"<b>{markup(format_vnd(receipt.amount))}</b>", s.cell)])
    table = Table(rows, colWidths=[width - amount_width - quantity_width, quantity_width, amount_width], repeatRows=1)
    style = grid_table_style()
    style.add("SPAN", (0, len(rows) - 1), (1, len(rows) - 1))
    table.setStyle(style)
    out += [table, Spacer(1, 4),
            para(f"{Labels.IN_WORDS}: {vnd_in_words(receipt.amount)}", s.body),
            para(f"{Labels.METHOD}: {receipt.method}", s.body),
            para(f"{Labels.ISSUED_AT}: {format_datetime(receipt.issued_at)}", s.body)]
    if receipt.collector:
        out.append(para(f"{Labels.COLLECTOR}: {receipt.collector}", s.body))
    qr_size = 28 * mm
    qr = Table([[QrCode(receipt.check_url, qr_size)], [para(Labels.CHECK, s.qr_code)]], colWidths=[width])
    qr.setStyle(TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER")]))
    out += [Spacer(1, 6), qr]
    return out


def render_fee_receipt(receipt: FeeReceipt, *, narrow: bool = False) -> bytes:
    """The receipt as PDF bytes: A4, or one 80 mm wide page for a receipt printer."""
    title = f"{Labels.TITLE} {receipt.series_symbol} {receipt.number}"
    if narrow:
        return build(lambda width, _placements: _story(receipt, width, True), title,
                     pagesize=(ROLL_WIDTH, ROLL_HEIGHT), margin=4 * mm).content
    return build(lambda width, _placements: _story(receipt, width, False), title, footer=receipt.number).content
