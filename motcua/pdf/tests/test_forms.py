"""Forms 01-06: what pdftotext reads back from each rendered slip is the exact Vietnamese text."""

import unicodedata
from datetime import date

import pytest

from motcua.pdf import (
    Applicant,
    Issuer,
    Signature,
    render_apology,
    render_apology_document,
    render_process_control_sheet_document,
    render_receipt_slip,
    render_receipt_slip_document,
    render_refusal,
    render_refusal_document,
    render_refusal_letter,
    render_stop_notice,
    render_stop_notice_document,
    render_supplement_request,
    render_supplement_request_document,
)
from motcua.pdf import samples as S

from .support import flat, pdf_text, render_page

MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
CENTER_LINES = ["UBND THÀNH PHỐ HÀ NỘI", "CHI NHÁNH SỐ 1"]
LONG_NAME = flat(
    "Cấp giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất cho hộ gia "
    "đình, cá nhân, cộng đồng dân cư, người Việt Nam định cư ở nước ngoài được sở hữu nhà ở tại Việt Nam " * 6
)[:1000].strip()


def assert_in(text: str, *expected: str) -> None:
    missing = [e for e in expected if e not in text]
    assert not missing, f"missing {missing!r} in:\n{text}"


def test_receipt_slip_reads_back_every_field(tmp_path):
    text = pdf_text(render_receipt_slip(S.receipt_slip()), tmp_path)
    assert_in(
        text,
        *MOTTO,
        *CENTER_LINES,
        "Hà Nội, ngày 23 tháng 11 năm 2026",
        "Số: 2611/GTN-CN1",
        "GIẤY TIẾP NHẬN HỒ SƠ",
        "VÀ HẸN TRẢ KẾT QUẢ",
        "Mã hồ sơ: 000.00.06.H26-261123-0361",
        "Bộ phận Một cửa - Chi nhánh số 1 (258 Võ Chí Công) tiếp nhận hồ sơ của:",
        "Ông/Bà/Tổ chức: Nguyễn Thị Thuỳ Dương",
        "Số định danh cá nhân/Mã số tổ chức: 001190012345",
        "Địa chỉ: Số 12 ngõ 85 phố Hoàng Cầu, phường Đống Đa, thành phố Hà Nội",
        "Số điện thoại: 0912 345 678",
        "Thư điện tử: thuyduong.nguyen@example.vn",
        "Người được ủy quyền: Lê Văn Hùng",
        "Số định danh cá nhân: 001085004321",
        "Đơn đăng ký đất đai, tài sản gắn liền với đất (Mẫu số 04/ĐK)",
        "Bản sao chứng thực",
        "2. Số lượng hồ sơ: 01 bộ",
        "3. Thời gian giải quyết hồ sơ theo quy định: 20 ngày làm việc",
        "4. Thời gian nhận hồ sơ: 08:35 ngày 23/11/2026",
        "5. Thời gian trả kết quả giải quyết hồ sơ: 16:00 ngày 07/12/2026",
        "7. Phí, lệ phí: 1.250.000 đ",
        "Vào Sổ theo dõi hồ sơ, Quyển số: 03/2026, Số thứ tự: 1.297",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Đã ký số",
        "Người ký: Trần Minh Đức",
        "Thời gian ký: 08:39 23/11/2026",
    )
    assert_in(flat(text), "Nội dung yêu cầu giải quyết: " + S.PROCEDURE)
    # Once under the title, once under the QR code.
    assert text.count("000.00.06.H26-261123-0361") >= 2


def test_receipt_slip_without_digital_signature_leaves_room_to_sign(tmp_path):
    slip = S.receipt_slip(receiving_officer=Signature(name="Trần Minh Đức"), representative=None, fees=None)
    text = pdf_text(render_receipt_slip(slip), tmp_path)
    assert "Đã ký số" not in text
    assert "Người được ủy quyền" not in text
    assert "Phí, lệ phí" not in text
    # Without a representative the applicant signs.
    assert_in(text, "Trần Minh Đức", "Nguyễn Thị Thuỳ Dương")


def test_the_place_in_the_date_line_is_the_issuers(tmp_path):
    issuer = Issuer(name="Trung tâm Phục vụ hành chính công thành phố Đà Nẵng", place="Đà Nẵng")
    text = pdf_text(render_receipt_slip(S.receipt_slip(issuer=issuer, issued_on=date(2026, 1, 5))), tmp_path)
    assert_in(text, "Đà Nẵng, ngày 05 tháng 01 năm 2026", "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH")
    assert "Hà Nội, ngày" not in text


def test_decomposed_input_comes_back_composed(tmp_path):
    """Data typed on some keyboards arrives as NFD; the font needs precomposed letters."""
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Thuỳ Dương")
    slip = S.receipt_slip(applicant=Applicant(name=nfd, id_number="001190012345"))
    assert_in(pdf_text(render_receipt_slip(slip), tmp_path), "Ông/Bà/Tổ chức: Nguyễn Thị Thuỳ Dương")


def test_markup_characters_in_data_are_printed_literally(tmp_path):
    slip = S.receipt_slip(applicant=Applicant(name="Công ty A & B <Việt Nam>", id_number="0101234567"))
    assert_in(pdf_text(render_receipt_slip(slip), tmp_path), "Công ty A & B <Việt Nam>")


def test_a_1000_character_procedure_name_wraps_and_comes_back_whole(tmp_path):
    assert len(LONG_NAME) > 990
    rendered = render_receipt_slip_document(S.receipt_slip(matter=LONG_NAME))
    assert rendered.page_count == 2  # the name takes 13 lines; the slip goes on overleaf
    assert_in(flat(pdf_text(rendered.content, tmp_path, first=1, last=1)), LONG_NAME)


def test_many_documents_run_onto_a_second_page_with_the_signatures_together(tmp_path):
    from motcua.pdf import ReceivedDocument

    documents = [ReceivedDocument(f"Giấy tờ kèm theo số {i}", "Bản chính", 1) for i in range(1, 41)]
    rendered = render_receipt_slip_document(S.receipt_slip(documents=documents))
    assert rendered.page_count == 2
    page_two = pdf_text(rendered.content, tmp_path, first=2, last=2)
    assert_in(
        page_two,
        "Tên giấy tờ",
        "Giấy tờ kèm theo số 40",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Trang 2/2",
    )


def test_supplement_request(tmp_path):
    text = pdf_text(render_supplement_request(S.supplement_request()), tmp_path)
    assert_in(
        text,
        *MOTTO,
        "PHIẾU YÊU CẦU BỔ SUNG,",
        "HOÀN THIỆN HỒ SƠ",
        "Số: 0417/PYCBS-CN1",
        "Mã hồ sơ: 000.00.06.H26-261123-0361",
        "Ông/Bà/Tổ chức: Nguyễn Thị Thuỳ Dương",
        "Số điện thoại: 0912 345 678",
        "Thời gian tiếp nhận: 08:35 ngày 23/11/2026",
        "Nội dung cần bổ sung, hoàn thiện",
        "Lý do",
        "Tờ khai lệ phí trước bạ (Mẫu số 01/LPTB)",
        "Tờ khai chưa ghi mã số thuế",
        "Thời hạn bổ sung, hoàn thiện hồ sơ: trước ngày 14/12/2026",
        "NGƯỜI HƯỚNG DẪN",
        "Phạm Thu Hà",
    )
    assert_in(
        flat(text),
        "liên hệ với bà Phạm Thu Hà, Bộ phận Một cửa - Chi nhánh số 1, số điện thoại 024 3771 2345 để được "
        "hướng dẫn./.",
    )
    lines = text.splitlines()
    assert [line for line in lines if line.strip() in {"1", "2", "3"}], "the items are numbered"


def test_refusal(tmp_path):
    text = pdf_text(render_refusal(S.refusal()), tmp_path)
    assert_in(
        text,
        *MOTTO,
        "PHIẾU TỪ CHỐI TIẾP NHẬN",
        "GIẢI QUYẾT HỒ SƠ",
        "Ông/Bà/Tổ chức: Công ty TNHH Thương mại Đồng Xuân",
        "Số định danh cá nhân/Mã số tổ chức: 0109876543",
        "Thư điện tử: lienhe@dongxuan.example.vn",
        "Mã hồ sơ (nếu có): 000.00.06.H26-261123-0377",
        "Nội dung yêu cầu giải quyết: Cấp Giấy phép kinh doanh bán lẻ sản phẩm rượu",
        "1. Thủ tục hành chính không thuộc thẩm quyền giải quyết của Ủy ban nhân dân thành phố.",
        "Hà Nội, ngày 23 tháng 11 năm 2026",
    )
    assert_in(flat(text), "2. Hồ sơ đã được trả lại vì không bổ sung trong thời hạn 15 ngày làm việc")


def test_refusal_of_a_dossier_without_a_code_has_no_qr_code(tmp_path):
    rendered = render_refusal_document(S.refusal(dossier_code="", tracking_url=""))
    assert rendered.qr_placements == ()
    assert_in(pdf_text(rendered.content, tmp_path), "Mã hồ sơ (nếu có): —")


def test_refusal_letter_of_the_competent_agency(tmp_path):
    text = pdf_text(render_refusal_letter(S.refusal_letter()), tmp_path)
    assert_in(
        text,
        *MOTTO,
        "UBND THÀNH PHỐ HÀ NỘI",
        "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG",
        "THÔNG BÁO",
        "Kính gửi: Ông/Bà/Tổ chức Nguyễn Thị Thuỳ Dương",
        "Mã hồ sơ: 000.00.06.H26-261123-0361",
        "GIÁM ĐỐC",
        "Nguyễn Văn Thắng",
        "Nơi nhận:",
        "Hà Nội, ngày 04 tháng 12 năm 2026",
    )
    assert_in(flat(text), "Sau khi xem xét, Sở Nông nghiệp và Môi trường không giải quyết hồ sơ",
              "1. Thửa đất đang có tranh chấp", "có quyền khiếu nại, khởi kiện")
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN" not in text  # not form 03: the agency's own answer


def test_apology(tmp_path):
    text = pdf_text(render_apology(S.apology()), tmp_path)
    assert_in(
        text,
        *MOTTO,
        "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG",
        "Hà Nội, ngày 04 tháng 12 năm 2026",
        "PHIẾU XIN LỖI VÀ HẸN LẠI",
        "NGÀY TRẢ KẾT QUẢ",
        "Kính gửi: Ông/Bà/Tổ chức Nguyễn Thị Thuỳ Dương",
        "Số định danh cá nhân/Mã số tổ chức: 001190012345",
        "Mã hồ sơ: 000.00.06.H26-261123-0361",
        "Thời hạn trả kết quả giải quyết hồ sơ: 16:00 ngày 07/12/2026",
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "Nguyễn Văn Thắng",
        "Đã ký số",
    )
    flat_text = flat(text)
    assert_in(
        flat_text,
        "Ngày 23/11/2026, Sở Nông nghiệp và Môi trường tiếp nhận giải quyết hồ sơ đề nghị " + S.PROCEDURE,
        "Lý do: Phải lấy ý kiến của Ủy ban nhân dân phường Đống Đa về nguồn gốc sử dụng đất.",
        "sẽ trả kết quả giải quyết hồ sơ cho Ông/Bà/Tổ chức vào 16:00 ngày 14/12/2026.",
    )


def test_apology_signature_follows_the_text_onto_a_new_page(tmp_path):
    rendered = render_apology_document(S.apology(matter=LONG_NAME, reason=LONG_NAME))
    assert rendered.page_count == 2
    page_two = pdf_text(rendered.content, tmp_path, first=2, last=2)
    assert_in(page_two, "Xin trân trọng cảm ơn sự hợp tác của Ông/Bà/Tổ chức./.", "Nguyễn Văn Thắng")


def test_stop_notice(tmp_path):
    text = pdf_text(render_stop_notice(S.stop_notice()), tmp_path)
    assert_in(
        text,
        *MOTTO,
        "PHIẾU DỪNG GIẢI QUYẾT HỒ SƠ",
        "Kính gửi: Ông/Bà/Tổ chức Nguyễn Thị Thuỳ Dương",
        "Mã hồ sơ: 000.00.06.H26-261123-0361",
        "Thời gian tiếp nhận: 08:35 ngày 23/11/2026",
        "Hà Nội, ngày 26 tháng 11 năm 2026",
        "Hoàng Thị Lan",
    )
    assert_in(
        flat(text),
        "thông báo dừng giải quyết hồ sơ nêu trên kể từ ngày 26/11/2026.",
        "Lý do: Người nộp hồ sơ có đơn đề nghị dừng giải quyết hồ sơ ngày 26/11/2026.",
    )


def test_process_control_sheet_short_fits_one_page(tmp_path):
    rendered = render_process_control_sheet_document(S.process_control_sheet(6))
    assert rendered.page_count == 1
    text = pdf_text(rendered.content, tmp_path)
    assert_in(
        text,
        *MOTTO,
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH",
        "Mã hồ sơ: 000.00.06.H26-261123-0361",
        "Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả số: 2611/GTN-CN1",
        "Cơ quan phối hợp giải quyết: UBND phường Đống Đa; Chi cục Thuế khu vực I",
        "Thời gian nhận hồ sơ: 08:35 ngày 23/11/2026",
        "Thời gian hẹn trả kết quả: 16:00 ngày 07/12/2026",
        "Bên giao",
        "Bên nhận",
        "Trần Minh Đức",
        "Đỗ Quang Vinh",
        "Trước hạn",
        "Đúng hạn",
        "Quá hạn",
        "23/11/2026",
    )
    assert "Trang 1/1" not in text  # page numbers only on multi-page forms


def test_process_control_sheet_long_log_spans_two_pages_with_the_header_repeated(tmp_path):
    form = S.process_control_sheet(25)
    rendered = render_process_control_sheet_document(form)
    assert rendered.page_count == 2
    first = pdf_text(rendered.content, tmp_path, first=1, last=1)
    second = pdf_text(rendered.content, tmp_path, first=2, last=2)
    last_step = form.hand_overs[-1]
    assert_in(first, "Bên giao", "Trang 1/2", "PHIẾU KIỂM SOÁT QUÁ TRÌNH")
    assert_in(second, "Bên giao", "Bên nhận", "Trang 2/2", "25", f"{last_step.handed_at:%d/%m/%Y}")
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH" not in second
    # Only one QR code: on the first page.
    assert [p.page for p in rendered.qr_placements] == [1]


@pytest.mark.parametrize(
    "render, make",
    [
        (render_receipt_slip_document, S.receipt_slip),
        (render_supplement_request_document, S.supplement_request),
        (render_refusal_document, S.refusal),
        (render_apology_document, S.apology),
        (render_stop_notice_document, S.stop_notice),
        (render_process_control_sheet_document, S.process_control_sheet),
    ],
    ids=["01", "02", "03", "04", "05", "06"],
)
def test_every_form_is_one_portrait_a4_page_with_the_motto_and_date_line(render, make, tmp_path):
    rendered = render(make())
    assert rendered.content.startswith(b"%PDF-")
    assert rendered.page_count == 1
    image = render_page(rendered.content, tmp_path, page=1, dpi=72)
    assert abs(image.width - 595.3) < 1 and abs(image.height - 841.9) < 1  # A4 in points
    text = pdf_text(rendered.content, tmp_path)
    assert_in(text, *MOTTO)
    assert "Hà Nội, ngày " in text
