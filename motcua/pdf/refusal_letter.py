"""The competent agency's written answer refusing to resolve a dossier (not form 03).

Form 03 is the desk's refusal at intake, in the center's name. Once a dossier is received, only the
agency competent for it may decide not to resolve it: its answer states the reasons, is signed by its
head and is returned to the citizen through the center like a result.
"""

from collections.abc import Sequence
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
    para,
    rich,
    signatures,
    styles,
    title_block,
)
from .qr import QrPlacement
from .text import format_date, markup


class Labels:
    """Every text printed on the refusal letter, in one place."""

    TITLE = ("THÔNG BÁO", "Về việc từ chối giải quyết hồ sơ")
    ADDRESSEE = "Kính gửi: Ông/Bà/Tổ chức"
    RECEIVED = ("Ngày {received}, {agency} nhận hồ sơ đề nghị {matter} của Ông/Bà/Tổ chức do {receiving_unit} "
                "tiếp nhận và chuyển đến.")
    ID_NUMBER = "Số định danh cá nhân/Mã số tổ chức"
    DOSSIER_CODE = "Mã hồ sơ"
    REASONS = "Sau khi xem xét, {agency} không giải quyết hồ sơ của Ông/Bà/Tổ chức vì những lý do sau:"
    RIGHTS = ("Ông/Bà/Tổ chức nhận lại hồ sơ tại nơi đã nộp. Nếu không đồng ý với nội dung trả lời này, "
              "Ông/Bà/Tổ chức có quyền khiếu nại, khởi kiện theo quy định của pháp luật.")
    CLOSING = "{agency} thông báo để Ông/Bà/Tổ chức được biết./."
    RECIPIENTS = "Nơi nhận:"
    RECIPIENT_LINES = ("- Như trên;", "- {receiving_unit} (để trả kết quả);", "- Lưu: VT.")


@dataclass(frozen=True)
class RefusalLetter:
    issuer: Issuer  # the competent agency
    number: str  # given by the agency's own registry of documents; may be left for it to fill in
    dossier_code: str
    tracking_url: str
    applicant: Applicant
    matter: str
    receiving_unit: str
    received_at: datetime | None  # printed blank when not known
    reasons: Sequence[str]
    head: Signature  # the agency's head, title e.g. "GIÁM ĐỐC" or "CHỦ TỊCH"
    issued_on: date


def _story(form: RefusalLetter, width: float, placements: list[QrPlacement]) -> list[Flowable]:
    L = Labels
    s = styles()
    agency = markup(form.issuer.name)
    story: list[Flowable] = [
        header(form.issuer, form.issued_on, width, number=form.number or "......./TB"),
        Spacer(1, 6),
        title_block(L.TITLE, width, form.dossier_code, form.tracking_url, placements),
        Spacer(1, 8),
        rich(f"{markup(L.ADDRESSEE)} <b>{markup(form.applicant.name)}</b>"),
        Spacer(1, 4),
        rich(L.RECEIVED.format(received=markup(format_date(form.received_at)), agency=agency,
                               matter=f"<b>{markup(form.matter)}</b>",
                               receiving_unit=markup(form.receiving_unit))),
        field(L.ID_NUMBER, form.applicant.id_number),
        field(L.DOSSIER_CODE, form.dossier_code, bold=True),
        rich(L.REASONS.format(agency=agency)),
    ]
    story += [para(f"{seq}. {reason}", s.body) for seq, reason in enumerate(form.reasons, start=1)]
    story += [rich(markup(L.RIGHTS)), rich(L.CLOSING.format(agency=agency))]
    recipients = [rich(f"<b><i>{markup(L.RECIPIENTS)}</i></b>", s.cell)] + [
        para(line.format(receiving_unit=form.receiving_unit), s.cell) for line in L.RECIPIENT_LINES]
    story.append(signatures([("", form.head, SIGN_HINT_SEALED)], width, beside=recipients))
    return story


def render_refusal_letter_document(form: RefusalLetter) -> RenderedPdf:
    """The refusal letter as a RenderedPdf (bytes, page count, QR position)."""
    return build(
        lambda width, placements: _story(form, width, placements),
        f"{' '.join(Labels.TITLE)} {form.dossier_code}",
        footer=form.dossier_code,
    )


def render_refusal_letter(form: RefusalLetter) -> bytes:
    """The competent agency's refusal to resolve a dossier, as A4 PDF bytes."""
    return render_refusal_letter_document(form).content
