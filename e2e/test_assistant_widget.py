"""The assistant's chat widget on a phone: three kinds of questions, answered with facts and links."""

import pytest
from playwright.sync_api import Page, expect

from e2e.helpers import PHONE, assert_no_horizontal_scroll, assert_page_basics

pytestmark = pytest.mark.e2e


def ask(page: Page, question: str) -> None:
    box = page.get_by_role("textbox", name="Câu hỏi của bạn")
    box.fill(question)
    page.get_by_role("button", name="Gửi").click()


def test_the_widget_answers_documents_fees_and_hours_on_a_phone(page: Page, catalog, organisation, screenshot):
    page.set_viewport_size(PHONE)
    page.goto("/procedures/")
    assert_page_basics(page)
    page.get_by_text("Hỏi trợ lý ảo").click()
    log = page.get_by_role("log")

    ask(page, "con toi moi sinh can giay to gi")
    answer = log.locator(".assistant-answer").nth(0)
    expect(answer).to_contain_text("Tờ khai đăng ký khai sinh")
    expect(answer.get_by_role("link", name="Đăng ký khai sinh")).to_have_attribute("href", "/procedures/1.001193/")
    expect(page.get_by_role("textbox", name="Câu hỏi của bạn")).to_have_value("")  # the form came back empty

    ask(page, "phí cấp sổ đỏ lần đầu bao nhiêu")
    expect(log.locator(".assistant-answer").nth(1)).to_contain_text("1.250.000 đ")

    ask(page, "mấy giờ mở cửa")
    expect(log.locator(".assistant-answer").nth(2)).to_contain_text("08:00–12:00")
    assert_no_horizontal_scroll(page)
    screenshot("three-answers")

    # The answer's link leads to the procedure, where the same facts are shown.
    log.get_by_role("link", name="Đăng ký khai sinh").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Đăng ký khai sinh")


def test_the_assistant_page_works_without_the_widget(page: Page, catalog, organisation):
    page.goto("/assistant/")
    assert_page_basics(page)
    ask(page, "lam giay ket hon")
    expect(page.get_by_role("log")).to_contain_text("Đăng ký kết hôn")


def test_a_complaint_filed_in_the_widget_on_a_phone(page: Page, catalog, organisation, screenshot):
    from motcua.complaints.models import Complaint

    page.set_viewport_size(PHONE)
    page.goto("/procedures/")
    page.get_by_text("Hỏi trợ lý ảo").click()
    log = page.get_by_role("log")
    for number, text in enumerate(("tôi muốn phản ánh", "Bảng gọi số ở sảnh tắt cả buổi sáng.", "Đỗ Văn Hùng",
                                   "0987000111", "đồng ý")):
        ask(page, text)
        expect(log.locator(".assistant-answer")).to_have_count(number + 1)
    complaint = Complaint.objects.get()
    last = log.locator(".assistant-answer").last
    expect(last).to_contain_text(complaint.code)
    expect(last.get_by_role("link", name="Theo dõi phản ánh")).to_be_visible()
    assert complaint.channel == "assistant" and complaint.phone == "0987000111"
    assert_no_horizontal_scroll(page)
    screenshot("complaint-filed")
