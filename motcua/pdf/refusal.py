"""Form 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ (refusal at intake)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.platypus import Flowable, Spacer

from .base import (
    SIGN_HINT,
    Applicant,
    Issuer,
    RenderedPdf,
    Signature,
    build,
    field,
    fields_in_row,
    header,
    para,
    signatures,
    styles,
    title_block,
)
from .qr import QrPlacement


class Labels:
    """Every text printed on form 03, in one place."""

    TITLE = ("PHIẾU TỪ CHỐI TIẾP NHẬN", "GIẢI QUYẾT HỒ SƠ")
    RECEIVED_FROM = "tiếp nhận hồ sơ của"
    APPLICANT = "Ông/Bà/Tổ chức"
    ID_NUMBER = "Số định danh cá nhân/Mã số tổ chức"
    ADDRESS = "Địa chỉ"
    PHONE = "Số điện thoại"
    EMAIL = "Thư điện tử"
    DOSSIER_CODE = "Mã hồ sơ (nếu có)"
    MATTER = "Nội dung yêu cầu giải quyết"
    REASONS = "Qua xem xét, {unit} thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:"
    CLOSING = "Xin thông báo để Ông/Bà/Tổ chức được biết và thực hiện./."
    SIGNS = "Người tiếp nhận hồ sơ"


@dataclass(frozen=True)
class Refusal:
    issuer: Issuer
    number: str
    receiving_unit: str
    applicant: Applicant
    matter: str
    reasons: Sequence[str]
    receiving_officer: Signature
    issued_on: date
    dossier_code: str = ""  # an online dossier has one; a refusal at the counter may not
    tracking_url: str = ""  # no QR code without it


def _story(form: Refusal, width: float, placements: list[QrPlacement]) -> list[Flowable]:
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
        field(L.DOSSIER_CODE, form.dossier_code or "—"),
        field(L.MATTER, form.matter, bold=True),
        para(L.REASONS.format(unit=form.receiving_unit), s.body),
    ]
    story += [para(f"{seq}. {reason}", s.body) for seq, reason in enumerate(form.reasons, start=1)]
    story.append(
        signatures([(L.SIGNS, form.receiving_officer, SIGN_HINT)], width, keep_with=[para(L.CLOSING, s.body)])
    )
    return story


def render_refusal_document(form: Refusal) -> RenderedPdf:
    """Form 03 as a RenderedPdf (bytes, page count, QR position)."""
    return build(
        lambda width, placements: _story(form, width, placements),
        f"{' '.join(Labels.TITLE)} {form.dossier_code}".strip(),
        footer=form.dossier_code,
    )


def render_refusal(form: Refusal) -> bytes:
    """Form 03 (refusal at intake) as A4 PDF bytes."""
    return render_refusal_document(form).content
