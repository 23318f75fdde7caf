"""Form 07: Sổ theo dõi hồ sơ (dossier register), as a landscape PDF and as an XLSX workbook."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from motcua.core.exports import neutralise

from .base import Issuer, RenderedPdf, build, grid_table_style, header, para, styles
from .qr import QrCode, QrPlacement
from .text import clean, format_date, format_time, local, markup


class Labels:
    """Every text printed on form 07, in one place (the PDF and the workbook share them)."""

    TITLE = "SỔ THEO DÕI HỒ SƠ"
    BOOK = "Quyển số"
    PERIOD = "Từ ngày {start} đến ngày {end}"
    SEQ = "STT"
    CODE = "Mã hồ sơ"
    PROCEDURE = "Tên thủ tục hành chính"
    APPLICANT = "Tên cá nhân, tổ chức"
    CONTACT = "Địa chỉ, số điện thoại"
    LEAD_AGENCY = "Cơ quan chủ trì giải quyết"
    RECEIVED = "Ngày, giờ nhận hồ sơ"
    APPOINTMENT = "Ngày, giờ hẹn trả kết quả"
    RETURNED = "Ngày, giờ trả kết quả"
    COLLECTION = "Phương thức nhận kết quả"
    SIGNATURE = "Ký nhận"
    SHEET = "Sổ theo dõi hồ sơ"  # worksheet names: at most 31 characters


COLUMNS = (
    Labels.SEQ,
    Labels.CODE,
    Labels.PROCEDURE,
    Labels.APPLICANT,
    Labels.CONTACT,
    Labels.LEAD_AGENCY,
    Labels.RECEIVED,
    Labels.APPOINTMENT,
    Labels.RETURNED,
    Labels.COLLECTION,
    Labels.SIGNATURE,
)
# Millimetres on the landscape page (262 mm between the margins); the procedure column takes the rest.
PDF_WIDTHS_MM = (8, 39, 0, 26, 30, 24, 19, 19, 19, 19, 15)
XLSX_WIDTHS = (6, 28, 48, 24, 32, 26, 17, 17, 17, 16, 14)
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
REGISTER_QR_SIZE = 16 * mm


@dataclass(frozen=True)
class RegisterRow:
    sequence: int
    dossier_code: str
    procedure: str
    applicant_name: str
    address: str
    phone: str
    lead_agency: str
    received_at: datetime
    appointment_at: datetime
    returned_at: datetime | None = None
    collection_method: str = ""  # e.g. "Trực tiếp", "Dịch vụ bưu chính công ích", "Trực tuyến"
    tracking_url: str = ""  # optional: prints a small QR code in the row


@dataclass(frozen=True)
class DossierRegister:
    issuer: Issuer
    issued_on: date
    rows: Sequence[RegisterRow]
    book: str = ""
    period_start: date | None = None
    period_end: date | None = None


def _when(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return f"{format_date(moment)}<br/>{format_time(moment)}"


def _subtitle(register: DossierRegister) -> str:
    parts = []
    if register.book:
        parts.append(f"{Labels.BOOK}: {clean(register.book)}")
    if register.period_start and register.period_end:
        parts.append(
            Labels.PERIOD.format(
                start=format_date(register.period_start), end=format_date(register.period_end)
            )
        )
    return " - ".join(parts)


def _row(row: RegisterRow, placements: list[QrPlacement]) -> list:
    s = styles()
    small, center = s.register_cell, s.register_center
    code: list[Flowable] | Paragraph = para(row.dossier_code, s.register_code)
    if row.tracking_url:
        code = [QrCode(clean(row.tracking_url), REGISTER_QR_SIZE, placements), code]
    contact = markup(row.address)
    if row.phone:
        contact += ("<br/>" if contact else "") + markup(row.phone)
    return [
        para(row.sequence, center),
        code,
        para(row.procedure, small),
        para(row.applicant_name, small),
        Paragraph(contact, small),
        para(row.lead_agency, small),
        Paragraph(_when(row.received_at), center),
        Paragraph(_when(row.appointment_at), center),
        Paragraph(_when(row.returned_at), center),
        para(row.collection_method, center),
        "",
    ]


def _story(register: DossierRegister, width: float, placements: list[QrPlacement]) -> list[Flowable]:
    s = styles()
    widths = [w * mm for w in PDF_WIDTHS_MM]
    widths[2] = width - sum(widths)
    rows: list[list] = [[para(label, s.register_head) for label in COLUMNS]]
    rows += [_row(row, placements) for row in register.rows]
    table = Table(rows, colWidths=widths, repeatRows=1, splitInRow=1)
    style = grid_table_style()
    style.add("ALIGN", (1, 1), (1, -1), "CENTER")
    table.setStyle(style)
    story: list[Flowable] = [
        header(register.issuer, register.issued_on, width),
        Spacer(1, 8),
        para(Labels.TITLE, s.title),
    ]
    subtitle = _subtitle(register)
    if subtitle:
        story.append(para(subtitle, s.subtitle))
    story += [Spacer(1, 8), table]
    return story


def render_dossier_register_document(register: DossierRegister) -> RenderedPdf:
    """Form 07 as a RenderedPdf (bytes, page count, QR positions)."""
    return build(
        lambda width, placements: _story(register, width, placements),
        Labels.TITLE,
        landscape_page=True,
        footer=f"{Labels.TITLE} {_subtitle(register)}".strip(),
    )


def render_dossier_register(register: DossierRegister) -> bytes:
    """Form 07 (dossier register) as landscape A4 PDF bytes."""
    return render_dossier_register_document(register).content


# --- XLSX -----------------------------------------------------------------------------------------
XLSX_HEADER_ROW = 5  # rows 1-4: unit, title, period; the data starts on the next row


def _excel_time(moment: datetime | None) -> datetime | None:
    """Excel has no time zones: write the local wall-clock time."""
    if moment is None:
        return None
    return local(moment).replace(tzinfo=None)


def register_values(row: RegisterRow) -> list:
    """The cell values of one row, as written to (and read back from) the workbook."""
    return [
        row.sequence,
        clean(row.dossier_code),
        clean(row.procedure),
        clean(row.applicant_name),
        ", ".join(p for p in (clean(row.address), clean(row.phone)) if p),
        clean(row.lead_agency),
        _excel_time(row.received_at),
        _excel_time(row.appointment_at),
        _excel_time(row.returned_at),
        clean(row.collection_method) or None,
        None,
    ]


def export_dossier_register_xlsx(register: DossierRegister) -> bytes:
    """Form 07 as an XLSX workbook: one sheet, the header on row 5, one row per dossier, real dates."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = Labels.SHEET
    last = get_column_letter(len(COLUMNS))
    sheet["A1"] = clean(register.issuer.name).upper()
    sheet["A1"].font = Font(bold=True)
    sheet["A2"] = Labels.TITLE
    sheet["A2"].font = Font(bold=True, size=14)
    sheet["A2"].alignment = Alignment(horizontal="center")
    sheet.merge_cells(f"A2:{last}2")
    sheet["A3"] = _subtitle(register) or None
    sheet["A3"].alignment = Alignment(horizontal="center")
    sheet.merge_cells(f"A3:{last}3")
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for col, (label, col_width) in enumerate(zip(COLUMNS, XLSX_WIDTHS, strict=True), start=1):
        cell = sheet.cell(row=XLSX_HEADER_ROW, column=col, value=label)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEEEEE")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
        sheet.column_dimensions[get_column_letter(col)].width = col_width
    for r, row in enumerate(register.rows, start=XLSX_HEADER_ROW + 1):
        for col, value in enumerate(register_values(row), start=1):
            cell = sheet.cell(row=r, column=col, value=neutralise(value))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text
            cell.border = border
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if isinstance(value, datetime):
                cell.number_format = DATETIME_FORMAT
    sheet.freeze_panes = sheet.cell(row=XLSX_HEADER_ROW + 1, column=1)
    sheet.print_title_rows = f"{XLSX_HEADER_ROW}:{XLSX_HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if register.rows:
        sheet.auto_filter.ref = f"A{XLSX_HEADER_ROW}:{last}{XLSX_HEADER_ROW + len(register.rows)}"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
