"""Form 06: Phiếu kiểm soát quá trình giải quyết hồ sơ (process control sheet)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from .base import (
    Issuer,
    RenderedPdf,
    build,
    field,
    grid_table_style,
    header,
    para,
    styles,
    title_block,
)
from .qr import QrPlacement
from .text import format_date, format_datetime, format_time, markup


class Labels:
    """Every text printed on form 06, in one place."""

    TITLE = ("PHIẾU KIỂM SOÁT QUÁ TRÌNH", "GIẢI QUYẾT HỒ SƠ")
    ATTACHED_TO = "Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả số"
    APPLICANT = "Ông/Bà/Tổ chức"
    MATTER = "Nội dung yêu cầu giải quyết"
    LEAD_AGENCY = "Cơ quan (bộ phận) chủ trì giải quyết"
    COOPERATING = "Cơ quan phối hợp giải quyết"
    NONE = "Không"
    RECEIVED_AT = "Thời gian nhận hồ sơ"
    APPOINTMENT = "Thời gian hẹn trả kết quả"
    SEQ = "TT"
    FROM = "Bên giao"
    TO = "Bên nhận"
    WHEN = "Thời gian giao, nhận"
    RESULT = "Kết quả giải quyết hồ sơ (Trước hạn/ Đúng hạn/ Quá hạn)"
    NOTE = "Ghi chú"


class HandOverResult(StrEnum):
    EARLY = "Trước hạn"
    ON_TIME = "Đúng hạn"
    LATE = "Quá hạn"


@dataclass(frozen=True)
class HandOver:
    """One hand-over of the dossier between units (logged by the system)."""

    from_unit: str
    to_unit: str
    handed_at: datetime
    from_person: str = ""
    to_person: str = ""
    result: str = ""  # a HandOverResult, or "" while the step is running
    note: str = ""


@dataclass(frozen=True)
class ProcessControlSheet:
    issuer: Issuer
    dossier_code: str
    tracking_url: str
    lead_agency: str
    received_at: datetime
    appointment_at: datetime | None  # blank when no appointment stands
    issued_on: date
    hand_overs: Sequence[HandOver] = ()
    cooperating_agencies: Sequence[str] = ()
    receipt_number: str = ""  # the number of the receipt slip (form 01)
    applicant_name: str = ""
    matter: str = ""


def _party(unit: str, person: str) -> Paragraph:
    s = styles()
    text = markup(unit)
    if person:
        text += f"<br/><i>{markup(person)}</i>"
    return Paragraph(text, s.cell)


def _hand_over_table(hand_overs: Sequence[HandOver], width: float) -> Flowable:
    s = styles()
    L = Labels
    rows: list[list] = [
        [para(label, s.cell_head) for label in (L.SEQ, L.FROM, L.TO, L.WHEN, L.RESULT, L.NOTE)]
    ]
    for seq, step in enumerate(hand_overs, start=1):
        rows.append(
            [
                para(seq, s.cell_center),
                _party(step.from_unit, step.from_person),
                _party(step.to_unit, step.to_person),
                Paragraph(
                    f"{markup(format_time(step.handed_at))}<br/>{markup(format_date(step.handed_at))}",
                    s.cell_center,
                ),
                para(str(step.result), s.cell_center),
                para(step.note, s.cell),
            ]
        )
    widths = [9 * mm, 0, 0, 23 * mm, 30 * mm, 28 * mm]
    rest = width - sum(widths)
    widths[1] = widths[2] = rest / 2
    # The header row repeats on every page when the log runs long.
    table = Table(rows, colWidths=widths, repeatRows=1, splitInRow=1)
    table.setStyle(grid_table_style())
    return table


def _story(form: ProcessControlSheet, width: float, placements: list[QrPlacement]) -> list[Flowable]:
    L = Labels
    story: list[Flowable] = [
        header(form.issuer, form.issued_on, width),
        Spacer(1, 6),
        title_block(
            L.TITLE,
            width,
            form.dossier_code,
            form.tracking_url,
            placements,
        ),
        Spacer(1, 8),
    ]
    if form.receipt_number:
        story.append(field(L.ATTACHED_TO, form.receipt_number))
    if form.applicant_name:
        story.append(field(L.APPLICANT, form.applicant_name, bold=True))
    if form.matter:
        story.append(field(L.MATTER, form.matter, bold=True))
    story += [
        field(L.LEAD_AGENCY, form.lead_agency),
        field(L.COOPERATING, "; ".join(form.cooperating_agencies) or L.NONE),
        field(L.RECEIVED_AT, format_datetime(form.received_at)),
        field(L.APPOINTMENT, format_datetime(form.appointment_at), bold=True),
        Spacer(1, 4),
        _hand_over_table(form.hand_overs, width),
    ]
    return story


def render_process_control_sheet_document(form: ProcessControlSheet) -> RenderedPdf:
    """Form 06 as a RenderedPdf (bytes, page count, QR position)."""
    return build(
        lambda width, placements: _story(form, width, placements),
        f"{' '.join(Labels.TITLE)} {form.dossier_code}",
        footer=form.dossier_code,
    )


def render_process_control_sheet(form: ProcessControlSheet) -> bytes:
    """Form 06 (process control sheet) as A4 PDF bytes; the hand-over table runs onto further pages."""
    return render_process_control_sheet_document(form).content
