"""Form 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (supplement request)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table

from .base import (
    SIGN_HINT,
    Applicant,
    Issuer,
    RenderedPdf,
    Signature,
    build,
    field,
    fields_in_row,
    grid_table_style,
    header,
    para,
    rich,
    signatures,
    styles,
    title_block,
)
from .qr import QrPlacement
from .text import format_date, format_datetime, markup


class Labels:
    """Every text printed on form 02, in one place."""

    TITLE = ("PHIẾU YÊU CẦU BỔ SUNG,", "HOÀN THIỆN HỒ SƠ")
    RECEIVED_FROM = "tiếp nhận hồ sơ của"
    APPLICANT = "Ông/Bà/Tổ chức"
    ID_NUMBER = "Số định danh cá nhân/Mã số tổ chức"
    ADDRESS = "Địa chỉ"
    PHONE = "Số điện thoại"
    EMAIL = "Thư điện tử"
    MATTER = "Nội dung yêu cầu giải quyết"
    RECEIVED_AT = "Thời gian tiếp nhận"
    REQUEST = (
        "Sau khi xem xét thành phần hồ sơ, đề nghị Ông/Bà/Tổ chức bổ sung, hoàn thiện hồ sơ "
        "gồm những nội dung sau:"
    )
    ITEM_SEQ = "TT"
    ITEM_WHAT = "Nội dung cần bổ sung, hoàn thiện"
    ITEM_WHY = "Lý do"
    DEADLINE = "Thời hạn bổ sung, hoàn thiện hồ sơ"
    DEADLINE_BEFORE = "trước ngày"
    CONTACT = (
        "Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà/Tổ chức liên hệ với "
        "{officer}, số điện thoại {phone} để được hướng dẫn./."
    )
    SIGNS = "Người hướng dẫn"


@dataclass(frozen=True)
class SupplementItem:
    what: str  # the document or content to add or correct
    why: str  # the reason, citing the rule where possible


@dataclass(frozen=True)
class SupplementRequest:
    issuer: Issuer
    number: str
    dossier_code: str
    tracking_url: str
    receiving_unit: str
    applicant: Applicant
    matter: str
    items: Sequence[SupplementItem]
    contact_officer: str
    contact_phone: str
    issued_on: date
    received_at: datetime | None = None
    complete_by: date | None = None
    signer: Signature | None = None  # defaults to the contact officer


def _items_table(items: Sequence[SupplementItem], width: float) -> Flowable:
    s = styles()
    L = Labels
    rows: list[list] = [
        [para(L.ITEM_SEQ, s.cell_head), para(L.ITEM_WHAT, s.cell_head), para(L.ITEM_WHY, s.cell_head)]
    ]
    for seq, item in enumerate(items, start=1):
        rows.append([para(seq, s.cell_center), para(item.what, s.cell), para(item.why, s.cell)])
    rest = width - 10 * mm
    table = Table(rows, colWidths=[10 * mm, rest * 0.5, rest * 0.5], repeatRows=1, splitInRow=1)
    table.setStyle(grid_table_style())
    return table


def _story(form: SupplementRequest, width: float, placements: list[QrPlacement]) -> list[Flowable]:
    s = styles()
    L = Labels
    a = form.applicant
    story: list[Flowable] = [
        header(form.issuer, form.issued_on, width, number=form.number),
        Spacer(1, 6),
        title_block(L.TITLE, width, form.dossier_code, form.tracking_url, placements),
        Spacer(1, 8),
        para(f"{form.receiving_unit} {L.RECEIVED_FROM}:", s.body),
        field(L.APPLICANT, a.name, bold=True),
        field(L.ID_NUMBER, a.id_number),
        field(L.ADDRESS, a.address),
        fields_in_row([(L.PHONE, a.phone), (L.EMAIL, a.email)], width),
        Spacer(1, 3),
        field(L.MATTER, form.matter, bold=True),
    ]
    if form.received_at is not None:
        story.append(field(L.RECEIVED_AT, format_datetime(form.received_at)))
    story += [para(L.REQUEST, s.body), _items_table(form.items, width), Spacer(1, 5)]
    if form.complete_by is not None:
        story.append(field(L.DEADLINE, f"{L.DEADLINE_BEFORE} {format_date(form.complete_by)}", bold=True))
    contact = L.CONTACT.format(
        officer=f"<b>{markup(form.contact_officer)}</b>", phone=f"<b>{markup(form.contact_phone)}</b>"
    )
    signer = form.signer or Signature(name=form.contact_officer)
    story.append(signatures([(L.SIGNS, signer, SIGN_HINT)], width, keep_with=[rich(contact)]))
    return story


def render_supplement_request_document(form: SupplementRequest) -> RenderedPdf:
    """Form 02 as a RenderedPdf (bytes, page count, QR position)."""
    return build(
        lambda width, placements: _story(form, width, placements),
        f"{' '.join(Labels.TITLE)} {form.dossier_code}",
        footer=form.dossier_code,
    )


def render_supplement_request(form: SupplementRequest) -> bytes:
    """Form 02 (supplement request) as A4 PDF bytes."""
    return render_supplement_request_document(form).content
