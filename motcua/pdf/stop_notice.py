"""Form 05: Phiếu dừng giải quyết hồ sơ (stop notice)."""

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
    """Every text printed on form 05, in one place."""

    TITLE = ("PHIẾU DỪNG GIẢI QUYẾT HỒ SƠ",)
    ADDRESSEE = "Kính gửi: Ông/Bà/Tổ chức"
    ID_NUMBER = "Số định danh cá nhân/Mã số tổ chức"
    ADDRESS = "Địa chỉ"
    DOSSIER_CODE = "Mã hồ sơ"
    MATTER = "Nội dung yêu cầu giải quyết"
    RECEIVED_AT = "Thời gian tiếp nhận"
    NOTICE = "{agency} thông báo dừng giải quyết hồ sơ nêu trên kể từ ngày {stopped_on}."
    REASON = "Lý do"
    CLOSING = "Xin thông báo để Ông/Bà/Tổ chức được biết./."


@dataclass(frozen=True)
class StopNotice:
    issuer: Issuer
    number: str
    dossier_code: str
    tracking_url: str
    applicant: Applicant
    matter: str
    reason: str
    stopped_on: date
    signer: Signature
    issued_on: date
    received_at: datetime | None = None
    agency: str = ""  # how the agency is named in the text; defaults to the issuer's name


def _story(form: StopNotice, width: float, placements: list[QrPlacement]) -> list[Flowable]:
    L = Labels
    a = form.applicant
    story: list[Flowable] = [
        header(form.issuer, form.issued_on, width, number=form.number),
        Spacer(1, 6),
        title_block(L.TITLE, width, form.dossier_code, form.tracking_url, placements),
        Spacer(1, 8),
        rich(f"{markup(L.ADDRESSEE)} <b>{markup(a.name)}</b>"),
        Spacer(1, 4),
        field(L.ID_NUMBER, a.id_number),
        field(L.ADDRESS, a.address),
        field(L.DOSSIER_CODE, form.dossier_code, bold=True),
        field(L.MATTER, form.matter, bold=True),
    ]
    if form.received_at is not None:
        story.append(field(L.RECEIVED_AT, format_datetime(form.received_at)))
    story += [
        rich(
            L.NOTICE.format(
                agency=markup(form.agency or form.issuer.name),
                stopped_on=f"<b>{markup(format_date(form.stopped_on))}</b>",
            )
        ),
        field(L.REASON, form.reason),
        signatures([("", form.signer, SIGN_HINT_SEALED)], width, keep_with=[rich(markup(L.CLOSING))]),
    ]
    return story


def render_stop_notice_document(form: StopNotice) -> RenderedPdf:
    """Form 05 as a RenderedPdf (bytes, page count, QR position)."""
    return build(
        lambda width, placements: _story(form, width, placements),
        f"{Labels.TITLE[0]} {form.dossier_code}",
        footer=form.dossier_code,
    )


def render_stop_notice(form: StopNotice) -> bytes:
    """Form 05 (stop notice) as A4 PDF bytes."""
    return render_stop_notice_document(form).content
