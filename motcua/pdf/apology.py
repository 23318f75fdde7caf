"""Form 04: Phiếu xin lỗi và hẹn lại ngày trả kết quả (apology and new return date)."""

from dataclasses import dataclass
from datetime import date, datetime

from reportlab.platypus import Flowable, Spacer

from .base import (
    SIGN_HINT_SEALED,
    Applicant,
    Issuer,
    RenderedPdf,
    Signature,
    build,
    field,
    header,
    rich,
    signatures,
    title_block,
)
from .qr import QrPlacement
from .text import format_date, format_datetime, markup


class Labels:
    """Every text printed on form 04, in one place."""

    TITLE = ("PHIẾU XIN LỖI VÀ HẸN LẠI", "NGÀY TRẢ KẾT QUẢ")
    ADDRESSEE = "Kính gửi: Ông/Bà/Tổ chức"
    RECEIVED = "Ngày {received}, {agency} tiếp nhận giải quyết hồ sơ đề nghị {matter} của Ông/Bà/Tổ chức."
    ID_NUMBER = "Số định danh cá nhân/Mã số tổ chức"
    DOSSIER_CODE = "Mã hồ sơ"
    ORIGINAL_RETURN = "Thời hạn trả kết quả giải quyết hồ sơ"
    NOT_YET = "Tuy nhiên đến nay, {agency} chưa trả kết quả giải quyết hồ sơ của Ông/Bà/Tổ chức."
    REASON = "Lý do"
    APOLOGY = (
        "Sự chậm trễ này đã gây phiền hà, tốn kém chi phí, công sức của Ông/Bà/Tổ chức. {agency} xin lỗi "
        "Ông/Bà/Tổ chức và sẽ trả kết quả giải quyết hồ sơ cho Ông/Bà/Tổ chức vào {new_return}."
    )
    THANKS = "Xin trân trọng cảm ơn sự hợp tác của Ông/Bà/Tổ chức./."


@dataclass(frozen=True)
class Apology:
    issuer: Issuer  # the agency responsible for the delay
    number: str
    dossier_code: str
    tracking_url: str
    applicant: Applicant
    matter: str
    received_at: datetime | None  # printed blank when not known
    original_return_at: datetime
    reason: str
    new_return_at: datetime
    head: Signature  # the head of the agency responsible, title e.g. "GIÁM ĐỐC"
    issued_on: date
    agency: str = ""  # how the agency is named in the text; defaults to the issuer's name


def _story(form: Apology, width: float, placements: list[QrPlacement]) -> list[Flowable]:
    L = Labels
    agency = markup(form.agency or form.issuer.name)
    return [
        header(form.issuer, form.issued_on, width, number=form.number),
        Spacer(1, 6),
        title_block(L.TITLE, width, form.dossier_code, form.tracking_url, placements),
        Spacer(1, 8),
        rich(f"{markup(L.ADDRESSEE)} <b>{markup(form.applicant.name)}</b>"),
        Spacer(1, 4),
        rich(
            L.RECEIVED.format(
                received=markup(format_date(form.received_at)),
                agency=agency,
                matter=f"<b>{markup(form.matter)}</b>",
            )
        ),
        field(L.ID_NUMBER, form.applicant.id_number),
        field(L.DOSSIER_CODE, form.dossier_code, bold=True),
        field(L.ORIGINAL_RETURN, format_datetime(form.original_return_at)),
        rich(L.NOT_YET.format(agency=agency)),
        field(L.REASON, form.reason),
        rich(
            L.APOLOGY.format(
                agency=agency, new_return=f"<b>{markup(format_datetime(form.new_return_at))}</b>"
            )
        ),
        signatures([("", form.head, SIGN_HINT_SEALED)], width, keep_with=[rich(markup(L.THANKS))]),
    ]


def render_apology_document(form: Apology) -> RenderedPdf:
    """Form 04 as a RenderedPdf (bytes, page count, QR position)."""
    return build(
        lambda width, placements: _story(form, width, placements),
        f"{' '.join(Labels.TITLE)} {form.dossier_code}",
        footer=form.dossier_code,
    )


def render_apology(form: Apology) -> bytes:
    """Form 04 (apology and new return date) as A4 PDF bytes."""
    return render_apology_document(form).content
