"""What every form shares: the parties, the page, the national motto header, signatures, the build."""

from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from io import BytesIO

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from .fonts import register_fonts
from .qr import QrCode, QrPlacement
from .text import clean, format_date, format_time, markup, place_date_line

# Labels shared by every form (each form keeps its own in its module).
MOTTO_COUNTRY = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_SLOGAN = "Độc lập - Tự do - Hạnh phúc"
NUMBER = "Số"
DOSSIER_CODE = "Mã hồ sơ"
SIGN_HINT = "(Ký và ghi rõ họ tên)"
SIGN_HINT_SEALED = "(Ký, ghi rõ họ tên và đóng dấu)"
DIGITALLY_SIGNED = "Đã ký số"
SIGNED_BY = "Người ký"
SIGNED_AT = "Thời gian ký"
PAGE = "Trang"

LEFT_MARGIN = 20 * mm
RIGHT_MARGIN = 15 * mm
TOP_MARGIN = 15 * mm
BOTTOM_MARGIN = 15 * mm
QR_SIZE = 25 * mm
SIGNATURE_SPACE = 24 * mm
GREY = colors.HexColor("#555555")
SIGNATURE_BLUE = colors.HexColor("#1F4E9A")


# --- Data shared by the forms ---------------------------------------------------------------------
@dataclass(frozen=True)
class Issuer:
    """The unit issuing the form, as printed top left, and the place written in the date line."""

    name: str  # e.g. "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG THÀNH PHỐ HÀ NỘI"
    place: str  # e.g. "Hà Nội"
    parent: str = ""  # the governing body printed above the name, e.g. "UBND THÀNH PHỐ HÀ NỘI"
    department: str = ""  # a line under the name, e.g. "CHI NHÁNH SỐ 1"


@dataclass(frozen=True)
class Applicant:
    """A citizen or an organisation filing a dossier."""

    name: str
    id_number: str = ""  # national ID (CCCD, 12 digits), passport, or the organisation's code
    address: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class Signature:
    """Who signs a form. With `digitally_signed` the form shows an "Đã ký số" block instead of a blank."""

    name: str
    title: str = ""  # position printed above the name, e.g. "GIÁM ĐỐC" or "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
    digitally_signed: bool = False
    signed_at: datetime | None = None
    # Leave the stamp's place empty and record it (RenderedPdf.signature_slots): the signature's own
    # visible appearance is put there when the PDF is signed (motcua.signing).
    stamp_slot: bool = False


@dataclass(frozen=True)
class RenderedPdf:
    """A rendered form: the PDF bytes, its page count and where the QR codes were drawn."""

    content: bytes
    page_count: int
    qr_placements: tuple[QrPlacement, ...] = ()
    signature_slots: tuple["SignatureSlot", ...] = ()


@dataclass(frozen=True)
class SignatureSlot:
    """Where a signature's stamp goes: page (1-based), lower-left corner, width and height in points."""

    page: int
    x: float
    y: float
    width: float
    height: float


# The slots drawn by the build running in this context (set by `build`).
_slots: ContextVar[list[SignatureSlot] | None] = ContextVar("signature_slots", default=None)


class _StampSlot(Flowable):
    """Empty space of the stamp's size that records where it was drawn."""

    def __init__(self, width: float, height: float):
        super().__init__()
        self.width, self.height = width, height

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        slots = _slots.get()
        if slots is not None:
            x, y = self.canv.absolutePosition(0, 0)
            slots.append(SignatureSlot(self.canv.getPageNumber(), x, y, self.width, self.height))


# --- Styles ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    body_center: ParagraphStyle
    stamp: ParagraphStyle
    hint: ParagraphStyle
    unit: ParagraphStyle
    motto: ParagraphStyle
    slogan: ParagraphStyle
    date_line: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    cell: ParagraphStyle
    cell_center: ParagraphStyle
    cell_head: ParagraphStyle
    register_cell: ParagraphStyle
    register_center: ParagraphStyle
    register_code: ParagraphStyle
    register_head: ParagraphStyle
    sign_title: ParagraphStyle
    sign_name: ParagraphStyle
    qr_code: ParagraphStyle


@cache
def styles() -> Styles:
    fonts = register_fonts()
    regular = fonts.regular

    def style(name: str, size: float = 10, leading: float | None = None, **kw) -> ParagraphStyle:
        kw.setdefault("fontName", regular)
        return ParagraphStyle(name, fontSize=size, leading=leading or size * 1.35, **kw)

    return Styles(
        body=style("body", 10, spaceAfter=3, alignment=TA_LEFT),
        body_center=style("body_center", 10, alignment=TA_CENTER),
        stamp=style("stamp", 8.5, alignment=TA_CENTER, textColor=SIGNATURE_BLUE),
        hint=style("hint", 9, fontName=fonts.italic, alignment=TA_CENTER),
        unit=style("unit", 9.5, alignment=TA_CENTER),
        motto=style("motto", 9.5, fontName=fonts.bold, alignment=TA_CENTER),
        slogan=style("slogan", 10, fontName=fonts.bold, alignment=TA_CENTER),
        date_line=style("date_line", 10, fontName=fonts.italic, alignment=TA_CENTER),
        title=style("title", 12.5, leading=17, fontName=fonts.bold, alignment=TA_CENTER),
        subtitle=style("subtitle", 10, alignment=TA_CENTER),
        cell=style("cell", 9, leading=11.5),
        cell_center=style("cell_center", 9, leading=11.5, alignment=TA_CENTER),
        cell_head=style("cell_head", 9, leading=11.5, fontName=fonts.bold, alignment=TA_CENTER),
        register_cell=style("register_cell", 7.5, leading=9.5),
        register_center=style("register_center", 7.5, leading=9.5, alignment=TA_CENTER),
        register_code=style("register_code", 7, leading=9, alignment=TA_CENTER),
        register_head=style("register_head", 7.5, leading=9.5, fontName=fonts.bold, alignment=TA_CENTER),
        sign_title=style("sign_title", 10, fontName=fonts.bold, alignment=TA_CENTER),
        sign_name=style("sign_name", 10, fontName=fonts.bold, alignment=TA_CENTER),
        qr_code=style("qr_code", 7, leading=8.5, alignment=TA_CENTER),
    )


def para(text: object, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped, NFC)."""
    return Paragraph(markup(text), style)


def rich(text: str, style: ParagraphStyle | None = None) -> Paragraph:
    """A paragraph whose text is already markup (values inside it escaped with `markup`)."""
    return Paragraph(text, style or styles().body)


def field(label: str, value: object, style: ParagraphStyle | None = None, bold: bool = False) -> Paragraph:
    """`Label: value` with the value written as given (long values wrap under the label)."""
    text = markup(value)
    if bold and text:
        text = f"<b>{text}</b>"
    return Paragraph(f"{markup(label)}: {text}", style or styles().body)


def fields_in_row(pairs: Sequence[tuple[str, object]], width: float) -> Table:
    """Several short `Label: value` pairs side by side (phone and e-mail on one line)."""
    cells = [field(label, value) for label, value in pairs]
    table = Table([cells], colWidths=[width / len(cells)] * len(cells))
    table.setStyle(_plain_table_style())
    return table


def _plain_table_style() -> TableStyle:
    return TableStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ]
    )


class Rule(Flowable):
    """The short line under the unit name and under the motto."""

    def __init__(self, length: float, width: float):
        super().__init__()
        self.length = length
        self.width = width
        self.height = 3

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        left = (self.width - self.length) / 2
        self.canv.setLineWidth(0.6)
        self.canv.line(left, 1.5, left + self.length, 1.5)


# --- Header ---------------------------------------------------------------------------------------
def header(
    issuer: Issuer,
    issued_on: date,
    width: float,
    number: str = "",
    number_label: str = NUMBER,
) -> Table:
    """Unit name (left) and national motto with the place and date line (right)."""
    s = styles()
    # On a landscape page the two blocks keep their portrait widths, pushed to the edges.
    left_width = min(width * 0.42, 88 * mm)
    right_width = min(width - left_width, 105 * mm)
    gap = width - left_width - right_width
    left: list[Flowable] = []
    if issuer.parent:
        left.append(para(issuer.parent.upper(), s.unit))
    left.append(Paragraph(f"<b>{markup(issuer.name.upper())}</b>", s.unit))
    if issuer.department:
        left.append(Paragraph(f"<b>{markup(issuer.department.upper())}</b>", s.unit))
    left.append(Spacer(1, 2))
    left.append(Rule(22 * mm, left_width))
    if number:
        left.append(Spacer(1, 2))
        left.append(para(f"{number_label}: {number}", s.unit))
    right: list[Flowable] = [
        para(MOTTO_COUNTRY, s.motto),
        para(MOTTO_SLOGAN, s.slogan),
        Spacer(1, 1),
        Rule(48 * mm, right_width),
        Spacer(1, 4),
        para(place_date_line(issuer.place, issued_on), s.date_line),
    ]
    table = Table([[left, "", right]], colWidths=[left_width, gap, right_width])
    table.setStyle(_plain_table_style())
    return table


def title_block(
    lines: Sequence[str],
    width: float,
    dossier_code: str = "",
    tracking_url: str = "",
    placements: list[QrPlacement] | None = None,
    subtitle: str = "",
) -> Table:
    """The form's title centred on the page, the dossier's QR code and code on the right."""
    s = styles()
    side = QR_SIZE + 14 * mm
    middle: list[Flowable] = [Paragraph("<br/>".join(markup(line) for line in lines), s.title)]
    if subtitle:
        middle.append(para(subtitle, s.subtitle))
    if dossier_code:
        middle.append(Paragraph(f"{markup(DOSSIER_CODE)}: <b>{markup(dossier_code)}</b>", s.subtitle))
    qr: list[Flowable] = []
    if tracking_url:
        qr = [QrCode(clean(tracking_url), QR_SIZE, placements)]
        if dossier_code:
            qr.append(para(dossier_code, s.qr_code))
    table = Table([["", middle, qr]], colWidths=[side, width - 2 * side, side])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (2, 0), (2, 0), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


# --- Signatures -----------------------------------------------------------------------------------
def digital_signature_box(signature: Signature, width: float) -> Table:
    """The "Đã ký số" stamp shown where a handwritten signature would go."""
    s = styles()
    lines = [Paragraph(f"<b>{markup(DIGITALLY_SIGNED)}</b>", s.stamp)]
    lines.append(para(f"{SIGNED_BY}: {clean(signature.name)}", s.stamp))
    if signature.signed_at is not None:
        when = f"{format_time(signature.signed_at)} {format_date(signature.signed_at)}"
        lines.append(para(f"{SIGNED_AT}: {when}", s.stamp))
    box = Table([[lines]], colWidths=[width])
    box.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1, SIGNATURE_BLUE),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return box


def signature_cell(
    role: str, signature: Signature | None, width: float, hint: str = SIGN_HINT
) -> list[Flowable]:
    """One signature column: role, hint, then either blank space or the "Đã ký số" stamp, then the name."""
    s = styles()
    cell: list[Flowable] = []
    if signature is not None and signature.title:
        cell.append(
            Paragraph("<br/>".join(markup(t) for t in signature.title.upper().split("\n")), s.sign_title)
        )
    elif role:
        cell.append(para(role.upper(), s.sign_title))
    if hint:
        cell.append(para(hint, s.hint))
    # The same height with or without the stamp, so names in neighbouring columns line up.
    stamp: Flowable | str = ""
    if signature is not None and signature.stamp_slot:
        stamp = _StampSlot(min(width - 4 * mm, 72 * mm), SIGNATURE_SPACE - 2 * mm)
    elif signature is not None and signature.digitally_signed:
        stamp = digital_signature_box(signature, min(width - 8 * mm, 62 * mm))
    space = Table([[stamp]], colWidths=[width - 4], rowHeights=[SIGNATURE_SPACE])
    space.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (0, 0), (-1, -1), "CENTER")])
    )
    cell.append(space)
    if signature is not None and signature.name:
        cell.append(para(signature.name, s.sign_name))
    return cell


def signatures(
    columns: Sequence[tuple[str, Signature | None, str]],
    width: float,
    keep_with: Sequence[Flowable] = (),
    beside: Sequence[Flowable] = (),
) -> Flowable:
    """Signature columns side by side, kept on one page with the closing lines in `keep_with` (a
    signature never stands alone on a page). Each column: (role, signer, hint); a single column sits
    on the right, as on official letters, with `beside` on its left (the letter's recipients)."""
    row: list
    if len(columns) == 1:
        role, signer, hint = columns[0]
        column_width = width * 0.5
        row = [list(beside) or "", signature_cell(role, signer, column_width, hint)]
        widths = [width - column_width, column_width]
    else:
        column_width = width / len(columns)
        row = [signature_cell(role, signer, column_width, hint) for role, signer, hint in columns]
        widths = [column_width] * len(columns)
    table = Table([row], colWidths=widths)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return KeepTogether([*keep_with, Spacer(1, 5 * mm), table])


def grid_table_style(header_rows: int = 1) -> TableStyle:
    """Thin grid for the tables of documents, hand-overs and the register."""
    return TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("VALIGN", (0, 0), (-1, header_rows - 1), "MIDDLE"),
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#EEEEEE")),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
    )


# --- Build ----------------------------------------------------------------------------------------
def _numbered_canvas(footer: str, regular_font: str) -> type[Canvas]:
    """A canvas that writes "Trang x/y" once the page count is known (only on multi-page forms)."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._page_states: list[dict] = []

        def showPage(self):  # noqa: N802 (reportlab's name)
            self._page_states.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._page_states)
            for state in self._page_states:
                self.__dict__.update(state)
                if total > 1:
                    self.saveState()
                    self.setFont(regular_font, 7.5)
                    self.setFillColor(GREY)
                    text = f"{footer}   ·   {PAGE} {self._pageNumber}/{total}".strip(" ·")
                    self.drawRightString(self._pagesize[0] - RIGHT_MARGIN, BOTTOM_MARGIN / 2, text)
                    self.restoreState()
                super().showPage()
            super().save()

    return NumberedCanvas


def build(
    story: Callable[[float, list[QrPlacement]], list[Flowable]],
    title: str,
    *,
    landscape_page: bool = False,
    footer: str = "",
    pagesize: tuple[float, float] | None = None,
    margin: float | None = None,
) -> RenderedPdf:
    """Lay out `story(frame_width, qr_placements)` on A4 pages (or `pagesize`, e.g. a receipt printer's
    roll, with one `margin` all round) and return the PDF."""
    fonts = register_fonts()
    pagesize = pagesize or (landscape(A4) if landscape_page else A4)
    buffer = BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=LEFT_MARGIN if margin is None else margin,
        rightMargin=RIGHT_MARGIN if margin is None else margin,
        topMargin=TOP_MARGIN if margin is None else margin,
        bottomMargin=BOTTOM_MARGIN if margin is None else margin,
        title=clean(title),
        author="",
        creator="motcua",
        lang="vi",
    )
    frame = Frame(
        doc.leftMargin,
        doc.bottomMargin,
        doc.width,
        doc.height,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    placements: list[QrPlacement] = []
    slots: list[SignatureSlot] = []
    token = _slots.set(slots)
    try:
        doc.build(story(doc.width, placements), canvasmaker=_numbered_canvas(clean(footer), fonts.regular))
    finally:
        _slots.reset(token)
    return RenderedPdf(buffer.getvalue(), doc.page, tuple(placements), tuple(slots))
