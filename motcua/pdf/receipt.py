"""Form 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả (receipt and appointment slip)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

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
    signatures,
    styles,
    title_block,
)
from .qr import QrPlacement
from .text import format_datetime, format_vnd


class Labels:
    """Every text printed on form 01, in one place."""

    TITLE = ("GIẤY TIẾP NHẬN HỒ SƠ", "VÀ HẸN TRẢ KẾT QUẢ")
    RECEIVED_FROM = "tiếp nhận hồ sơ của"
    APPLICANT = "Ông/Bà/Tổ chức"
    ID_NUMBER = "Số định danh cá nhân/Mã số tổ chức"
    ADDRESS = "Địa chỉ"
    PHONE = "Số điện thoại"
    EMAIL = "Thư điện tử"
    REPRESENTATIVE = "Người được ủy quyền"
    REPRESENTATIVE_ID = "Số định danh cá nhân"
    AUTHORISATION = "Văn bản ủy quyền"
    MATTER = "Nội dung yêu cầu giải quyết"
    DOCUMENTS = "1. Thành phần hồ sơ nộp gồm"
    DOC_SEQ = "TT"
    DOC_NAME = "Tên giấy tờ"
    DOC_KIND = "Hình thức"
    DOC_COPIES = "Số lượng"
    NO_DOCUMENTS = "(không có)"
    SETS = "2. Số lượng hồ sơ"
    SETS_UNIT = "bộ"
    PROCESSING_TIME = "3. Thời gian giải quyết hồ sơ theo quy định"
    RECEIVED_AT = "4. Thời gian nhận hồ sơ"
    RETURN_AT = "5. Thời gian trả kết quả giải quyết hồ sơ"
    RETURN_PLACE = "6. Nơi trả kết quả"
    TRACKING_KEY = "Mã tra cứu hồ sơ"
    TRACKING_HINT = "cùng mã hồ sơ, hoặc quét mã QR, để tra cứu tình trạng hồ sơ"
    FEES = "7. Phí, lệ phí"
    REGISTER = "Vào Sổ theo dõi hồ sơ"
    REGISTER_BOOK = "Quyển số"
    REGISTER_NUMBER = "Số thứ tự"
    APPLICANT_SIGNS = "Người nộp hồ sơ"
    OFFICER_SIGNS = "Người tiếp nhận hồ sơ"


class DocumentKind(StrEnum):
    """How a document was handed in (any other text is printed as given)."""

    ORIGINAL = "Bản chính"
    COPY = "Bản sao"
    CERTIFIED_COPY = "Bản sao chứng thực"
    PHOTOCOPY = "Bản chụp"
    ELECTRONIC = "Bản điện tử"


@dataclass(frozen=True)
class ReceivedDocument:
    name: str
    kind: str = DocumentKind.ORIGINAL
    copies: int = 1


@dataclass(frozen=True)
class Representative:
    """The person filing on the applicant's behalf (ủy quyền)."""

    name: str
    id_number: str = ""
    phone: str = ""
    authorisation: str = ""  # e.g. "Giấy ủy quyền số 12/UQ ngày 20/11/2026"


@dataclass(frozen=True)
class ReceiptSlip:
    issuer: Issuer
    number: str  # the slip's number, e.g. "1234/GTN"
    dossier_code: str
    tracking_url: str  # encoded in the QR code (with the tracking key)
    receiving_unit: str  # e.g. "Bộ phận Một cửa - Chi nhánh số 1"
    applicant: Applicant
    matter: str  # the procedure's name
    processing_time: str  # as published, e.g. "10 ngày làm việc"
    received_at: datetime
    return_at: datetime | None  # blank when no appointment stands (a paused clock without one)
    return_place: str
    receiving_officer: Signature
    documents: Sequence[ReceivedDocument] = ()
    sets: int = 1
    representative: Representative | None = None
    fees: int | None = None  # đồng; None prints nothing
    register_book: str = ""
    register_number: str = ""
    issued_on: date | None = None  # defaults to the day received
    tracking_key: str = ""  # printed as given, e.g. "7KQ2M-X9FTA"


def _documents_table(documents: Sequence[ReceivedDocument], width: float) -> Flowable:
    s = styles()
    L = Labels
    rows: list[list] = [
        [
            para(L.DOC_SEQ, s.cell_head),
            para(L.DOC_NAME, s.cell_head),
            para(L.DOC_KIND, s.cell_head),
            para(L.DOC_COPIES, s.cell_head),
        ]
    ]
    for seq, doc in enumerate(documents, start=1):
        rows.append(
            [
                para(seq, s.cell_center),
                para(doc.name, s.cell),
                para(str(doc.kind), s.cell_center),
                para(f"{doc.copies:02d}", s.cell_center),
            ]
        )
    if not documents:
        rows.append([para("", s.cell), para(L.NO_DOCUMENTS, s.cell), "", ""])
    widths = [10 * mm, 0, 38 * mm, 18 * mm]
    widths[1] = width - sum(widths)
    table = Table(rows, colWidths=widths, repeatRows=1, splitInRow=1)
    table.setStyle(grid_table_style())
    return table


def _story(slip: ReceiptSlip, width: float, placements: list[QrPlacement]) -> list[Flowable]:
    s = styles()
    L = Labels
    a = slip.applicant
    story: list[Flowable] = [
        header(slip.issuer, slip.issued_on or slip.received_at, width, number=slip.number),
        Spacer(1, 6),
        title_block(L.TITLE, width, slip.dossier_code, slip.tracking_url, placements),
        Spacer(1, 8),
        para(f"{slip.receiving_unit} {L.RECEIVED_FROM}:", s.body),
        field(L.APPLICANT, a.name, bold=True),
        field(L.ID_NUMBER, a.id_number),
        field(L.ADDRESS, a.address),
        fields_in_row([(L.PHONE, a.phone), (L.EMAIL, a.email)], width),
        Spacer(1, 3),
    ]
    rep = slip.representative
    if rep is not None:
        story.append(field(L.REPRESENTATIVE, rep.name, bold=True))
        story.append(fields_in_row([(L.REPRESENTATIVE_ID, rep.id_number), (L.PHONE, rep.phone)], width))
        story.append(Spacer(1, 3))
        if rep.authorisation:
            story.append(field(L.AUTHORISATION, rep.authorisation))
    story += [
        field(L.MATTER, slip.matter, bold=True),
        para(f"{L.DOCUMENTS}:", s.body),
        _documents_table(slip.documents, width),
        Spacer(1, 5),
        field(L.SETS, f"{slip.sets:02d} {L.SETS_UNIT}"),
        field(L.PROCESSING_TIME, slip.processing_time),
        field(L.RECEIVED_AT, format_datetime(slip.received_at)),
        field(L.RETURN_AT, format_datetime(slip.return_at), bold=True),
        field(L.RETURN_PLACE, slip.return_place),
    ]
    if slip.tracking_key:
        story.append(field(f"{L.TRACKING_KEY} ({L.TRACKING_HINT})", slip.tracking_key, bold=True))
    if slip.fees is not None:
        story.append(field(L.FEES, format_vnd(slip.fees)))
    closing: list[Flowable] = []
    if slip.register_book or slip.register_number:
        closing.append(
            para(
                f"{L.REGISTER}, {L.REGISTER_BOOK}: {slip.register_book or '....'}, "
                f"{L.REGISTER_NUMBER}: {slip.register_number or '....'}",
                s.body,
            )
        )
    story.append(
        signatures(
            [
                (L.APPLICANT_SIGNS, _applicant_signature(slip), SIGN_HINT),
                (L.OFFICER_SIGNS, slip.receiving_officer, SIGN_HINT),
            ],
            width,
            keep_with=closing,
        )
    )
    return story


def _applicant_signature(slip: ReceiptSlip) -> Signature:
    name = slip.representative.name if slip.representative else slip.applicant.name
    return Signature(name=name)


def render_receipt_slip_document(slip: ReceiptSlip) -> RenderedPdf:
    """Form 01 as a RenderedPdf (bytes, page count, QR position)."""
    return build(
        lambda width, placements: _story(slip, width, placements),
        f"{Labels.TITLE[0]} {Labels.TITLE[1]} {slip.dossier_code}",
        footer=slip.dossier_code,
    )


def render_receipt_slip(slip: ReceiptSlip) -> bytes:
    """Form 01 (receipt and appointment slip) as A4 PDF bytes."""
    return render_receipt_slip_document(slip).content
