"""Complaints in a browser, on a phone: filing one, then its published answer (personal data removed)."""

import re

import pytest
from playwright.sync_api import Page, expect

from e2e.helpers import PHONE, assert_no_horizontal_scroll, assert_page_basics

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

pytestmark = pytest.mark.e2e


def test_filing_a_complaint_then_reading_its_published_answer_on_a_phone(page: Page, organisation, staff_user,
                                                                         screenshot):
    from motcua.complaints import services
    from motcua.complaints.models import Complaint

    page.set_viewport_size(PHONE)
    page.goto("/complaints/new/")
    assert_page_basics(page)
    page.get_by_label("Tiêu đề").fill("Quầy 3 gọi số chậm")
    page.get_by_label("Nội dung").fill("Tôi là Phạm Minh Tuấn, số điện thoại 0903123456. Tôi chờ 2 giờ ở quầy 3.")
    page.get_by_label("Về (mã thủ tục, mã hồ sơ, số quầy… nếu có)").fill("Quầy 3")
    page.get_by_label("Họ và tên", exact=True).fill("Phạm Minh Tuấn")
    page.get_by_label("Điện thoại", exact=True).fill("0903123456")
    page.get_by_label("Tệp đính kèm (không bắt buộc)").set_input_files(
        [{"name": "anh-quay-3.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    screenshot("form")
    page.get_by_role("button", name="Gửi", exact=True).last.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Đã nhận phản ánh, kiến nghị")
    code = page.locator("#complaint-code").inner_text()
    assert re.fullmatch(r"PAKN-\d{6}-\d{4}", code)
    expect(page.locator("#complaint-key")).to_have_text(re.compile(r"^[0-9A-Z]{5}-[0-9A-Z]{5}$"))
    assert_no_horizontal_scroll(page)
    screenshot("filed")

    complaint = Complaint.objects.get(code=code)
    assert [a.filename for a in complaint.attachments.all()] == ["anh-quay-3.pdf"]
    services.answer_complaint(staff_user.user, complaint, "Trung tâm đã bổ sung một quầy cho nhóm này từ ngày hôm sau.")
    services.approve_answer(staff_user.user, complaint)

    page.goto("/complaints/")
    page.get_by_label("Tìm trong các câu trả lời").fill("goi so cham")
    page.get_by_role("button", name="Tìm", exact=True).click()
    expect(page.get_by_role("link", name="Quầy 3 gọi số chậm")).to_be_visible()
    assert_no_horizontal_scroll(page)
    screenshot("search")
    page.get_by_role("link", name="Quầy 3 gọi số chậm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quầy 3 gọi số chậm")
    body = page.locator("main")
    expect(body).to_contain_text("Trung tâm đã bổ sung một quầy")
    expect(body).to_contain_text("[người gửi]")
    expect(body).not_to_contain_text("Phạm Minh Tuấn")
    expect(body).not_to_contain_text("0903123456")
    assert_no_horizontal_scroll(page)
    screenshot("published")


def test_the_author_reads_the_answer_and_rates_it(page: Page, organisation, staff_user, screenshot):
    from motcua.complaints import services

    complaint = services.file_complaint(subject="Thái độ cán bộ quầy 2", content="Cán bộ nói trống không.",
                                        name="Lê Thu Hà", phone="0912000111", about="Quầy 2")
    services.answer_complaint(staff_user.user, complaint, "Trung tâm đã nhắc nhở cán bộ và xin lỗi bà.")
    services.approve_answer(staff_user.user, complaint)

    page.set_viewport_size(PHONE)
    page.goto("/complaints/track/")
    assert_page_basics(page)
    page.get_by_label("Mã phản ánh").fill(complaint.code)
    page.get_by_label("Mã tra cứu").fill(complaint.printed_tracking_key.lower())
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.locator("#complaint-status")).to_contain_text("Trung tâm đã nhắc nhở cán bộ")
    page.get_by_role("button", name="4", exact=True).click()
    expect(page.locator("#complaint-status")).to_contain_text("4/5")
    assert_no_horizontal_scroll(page)
    screenshot("rated")


def test_the_head_answers_and_approves_from_the_inbox(page: Page, organisation, staff_user, screenshot):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from motcua.complaints import services
    from motcua.complaints.models import Complaint

    complaint = services.file_complaint(subject="Bảng điện tử không gọi số", content="Bảng ở sảnh tắt cả buổi sáng.",
                                        name="Vũ Văn Long", phone="0913000222", about="Quầy 1",
                                        files=[SimpleUploadedFile("bang-tat.pdf", PDF)])
    page.goto("/login/")
    page.get_by_label("Tên đăng nhập").fill(staff_user.username)
    page.get_by_label("Mật khẩu").fill(staff_user.password)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(r"/$"))

    page.goto("/complaints/inbox/")
    assert_page_basics(page)
    page.get_by_role("link", name=re.compile(complaint.code)).click()
    expect(page.locator("main")).to_contain_text("*******222")  # the author's phone, masked
    expect(page.locator("main")).not_to_contain_text("0913000222")
    attachment = page.get_by_role("link", name="bang-tat.pdf")
    expect(attachment).to_be_visible()
    assert page.request.get(attachment.get_attribute("href")).body() == PDF
    page.get_by_label("Trả lời").fill("Trung tâm đã thay bộ nguồn của bảng điện tử.")
    page.get_by_role("button", name="Lưu dự thảo trả lời").click()
    screenshot("drafted")
    page.get_by_role("button", name="Duyệt câu trả lời").click()
    expect(page.locator("main")).to_contain_text("Đã trả lời")
    assert Complaint.objects.get(pk=complaint.pk).status == "closed"
    assert_no_horizontal_scroll(page)
    screenshot("approved")
