"""The electronic receipt of fees: its fields come back from the PDF text, in A4 and 80 mm."""

import datetime as dt
import subprocess

import pytest

from motcua import pdf

RECEIPT = pdf.FeeReceipt(
    unit="TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG", department="CHI NHÁNH SỐ 1", template_symbol="01BLP0-001",
    series_symbol="CN01-26E", number="0000153", payer="Trần Thị Bình", dossier_code="000.00.11.H26-261207-0002",
    matter="Chứng thực bản sao", items=(pdf.FeeItem("Phí chứng thực bản sao", 5, 7000),), amount=1_250_000,
    method="Tiền mặt", issued_at=dt.datetime(2026, 12, 7, 9, 30), check_url="http://x/payments/receipts/check/K")


@pytest.mark.parametrize("narrow", [False, True])
def test_the_receipt_prints_its_fields_and_the_amount_in_words(tmp_path, narrow):
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf.render_fee_receipt(RECEIPT, narrow=narrow))
    text = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
                    .stdout.split())
    for expected in ("BIÊN LAI THU PHÍ, LỆ PHÍ", "01BLP0-001", "CN01-26E", "0000153", "Trần Thị Bình",
                     "1.250.000 đ", "Một triệu hai trăm năm mươi nghìn đồng", "07/12/2026"):
        assert expected in text
    size = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert ("226.772 x 566.929" in size) if narrow else ("595.276 x 841.89" in size)
