"""Form 07: the dossier register as a landscape PDF and as a workbook that reads back the same rows."""

from datetime import datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from motcua.pdf import (
    export_dossier_register_xlsx,
    render_dossier_register,
    render_dossier_register_document,
)
from motcua.pdf import samples as S
from motcua.pdf.register import XLSX_HEADER_ROW
from motcua.pdf.text import clean

from .support import flat, pdf_text, render_page

HEADER = [
    "STT",
    "Mã hồ sơ",
    "Tên thủ tục hành chính",
    "Tên cá nhân, tổ chức",
    "Địa chỉ, số điện thoại",
    "Cơ quan chủ trì giải quyết",
    "Ngày, giờ nhận hồ sơ",
    "Ngày, giờ hẹn trả kết quả",
    "Ngày, giờ trả kết quả",
    "Phương thức nhận kết quả",
    "Ký nhận",
]


def test_register_pdf_is_landscape_and_lists_every_dossier(tmp_path):
    register = S.dossier_register(12)
    rendered = render_dossier_register_document(register)
    image = render_page(rendered.content, tmp_path, page=1, dpi=30)
    assert image.width > image.height
    text = pdf_text(rendered.content, tmp_path)
    assert "SỔ THEO DÕI HỒ SƠ" in text
    assert "Quyển số: 03/2026 - Từ ngày 01/11/2026 đến ngày 30/11/2026" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Hà Nội, ngày 30 tháng 11 năm 2026" in text
    for row in register.rows:
        assert row.dossier_code in text
    assert "Công ty Cổ phần Xây dựng Thăng Long" in flat(text)
    assert "Dịch vụ bưu chính công ích" in flat(text)
    assert "23/11/2026" in text and "08:35" in text


def test_long_register_repeats_its_header_on_every_page(tmp_path):
    rendered = render_dossier_register_document(S.dossier_register(40))
    assert rendered.page_count >= 3
    last = pdf_text(rendered.content, tmp_path, first=rendered.page_count, last=rendered.page_count)
    assert "Mã hồ sơ" in last and "000.00.06.H26-261123-0400" in last
    assert f"Trang {rendered.page_count}/{rendered.page_count}" in last


def test_register_xlsx_reads_back_the_same_rows():
    register = S.dossier_register(15)
    workbook = load_workbook(BytesIO(export_dossier_register_xlsx(register)))
    sheet = workbook.active
    assert sheet.title == "Sổ theo dõi hồ sơ"
    assert sheet["A2"].value == "SỔ THEO DÕI HỒ SƠ"
    assert [c.value for c in sheet[XLSX_HEADER_ROW]] == HEADER
    rows = list(sheet.iter_rows(min_row=XLSX_HEADER_ROW + 1, values_only=True))
    assert len(rows) == len(register.rows)
    for got, row in zip(rows, register.rows, strict=True):
        expected_contact = ", ".join(p for p in (row.address, row.phone) if p)
        naive = lambda m: m.replace(tzinfo=None) if m else None  # noqa: E731 (sample times are local)
        assert got == (
            row.sequence,
            row.dossier_code,
            row.procedure,
            row.applicant_name,
            expected_contact,
            row.lead_agency,
            naive(row.received_at),
            naive(row.appointment_at),
            naive(row.returned_at),
            row.collection_method or None,
            None,
        )
    assert isinstance(rows[0][6], datetime)
    assert sheet.cell(row=XLSX_HEADER_ROW + 1, column=7).number_format == "dd/mm/yyyy hh:mm"


def test_register_xlsx_writes_aware_times_as_vietnam_wall_clock():
    from datetime import UTC

    first = S.register_rows(1)[0]
    utc_row = type(first)(**{**first.__dict__, "received_at": datetime(2026, 11, 23, 1, 35, tzinfo=UTC)})
    workbook = load_workbook(BytesIO(export_dossier_register_xlsx(S.dossier_register(rows=[utc_row]))))
    assert workbook.active.cell(row=XLSX_HEADER_ROW + 1, column=7).value == datetime(2026, 11, 23, 8, 35)


def test_empty_register_still_renders():
    register = S.dossier_register(rows=[])
    assert render_dossier_register(register).startswith(b"%PDF-")
    sheet = load_workbook(BytesIO(export_dossier_register_xlsx(register))).active
    assert [c.value for c in sheet[XLSX_HEADER_ROW]] == HEADER


@pytest.mark.parametrize("text", ['=HYPERLINK("http://example.invalid","Bấm")', "+84 1", "-1+2", "@SUM(A1)",
                                  "\t=1", "\r=1"])
def test_register_xlsx_never_writes_a_formula(text):
    """An applicant named like a formula is shown as text in the register, never run (form 07)."""
    from dataclasses import replace

    row = replace(S.register_rows(1)[0], applicant_name=text, lead_agency=text)
    workbook = load_workbook(BytesIO(export_dossier_register_xlsx(S.dossier_register(rows=[row]))))
    for column in (4, 6):
        cell = workbook.active.cell(row=XLSX_HEADER_ROW + 1, column=column)
        assert cell.data_type == "s"
        assert cell.value == "'" + clean(text)


def test_neutralise_leaves_ordinary_values_alone():
    from motcua.core.exports import neutralise

    assert neutralise("Nguyễn Văn An") == "Nguyễn Văn An"
    assert neutralise(12) == 12 and neutralise(None) is None
    assert neutralise("=1") == "'=1"
