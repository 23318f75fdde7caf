"""Online booking in a browser: choose a slot, confirm with the code, then check in at the kiosk."""

import datetime as dt
import re
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from e2e.helpers import assert_no_horizontal_scroll, assert_page_basics, pair_as_kiosk

pytestmark = pytest.mark.e2e

# A Monday morning; the week's Saturday and Sunday are not offered.
MONDAY_9AM = dt.datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture
def hall(organisation, monkeypatch, settings):
    """Cầu Giấy with group B served by its two counters, the clock at 9:00 on a Monday, the demo's fake SMS."""
    from motcua.core import clock
    from motcua.integrations.sms.fake import OutboxSms
    from motcua.org.models import Counter
    from motcua.org.tests.factories import make_group

    settings.DEBUG = True  # the demo shows the one-time code on the page
    monkeypatch.setattr(clock, "now", lambda: MONDAY_9AM)
    monkeypatch.setattr(clock, "today", lambda: MONDAY_9AM.date())
    OutboxSms.clear()
    center = organisation.center
    center.working_periods = [["08:00", "12:00"], ["13:00", "17:00"]]
    center.save()
    point = organisation.points[2]
    land = make_group(center, "dat-dai")
    for counter in Counter.objects.filter(service_point=point):
        counter.service_groups.set([land])
    from motcua.catalog.models import Field, Procedure

    field = Field.objects.create(code="dat-dai", name="Đất đai", service_group="dat-dai")
    Procedure.objects.create(code="1.004227", name="Đăng ký thế chấp quyền sử dụng đất", field=field,
                             processing_days=3, competent_by_commune=True)
    return SimpleNamespace(point=point, land=land)


def citizen_id(n: int) -> str:
    from motcua.core.ids import make_national_id

    return make_national_id(province_code="001", gender="female", birth_year=1980 + n, sequence=n)


def test_a_citizen_books_a_slot_confirms_it_and_checks_in_at_the_kiosk(page: Page, hall, screenshot, browser_log,
                                                                       base_url):
    browser_log.expect("status of 422")  # a form refused with its message answers 422
    page.goto("/queue/book/")
    assert_page_basics(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Đặt lịch lấy số thứ tự")
    page.get_by_label("Điểm tiếp nhận").select_option(label="Điểm tiếp nhận Cầu Giấy")  # under its branch
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_label("Thủ tục cần giải quyết").select_option(label="Đăng ký thế chấp quyền sử dụng đất")
    days = page.get_by_label("Ngày").locator("option")
    expect(days).not_to_contain_text(["28/11/2026"])  # the weekend is not offered
    page.get_by_label("Ngày").select_option("2026-11-23")
    page.get_by_role("button", name="Xem khung giờ còn chỗ").click()
    expect(page.locator(".slot").first).to_contain_text("09:30–10:00")  # 9:00 has started already
    expect(page.locator(".slot").first).to_contain_text("còn 5 chỗ")  # two counters × 30 min / 12 min
    assert_no_horizontal_scroll(page)
    screenshot("slots")

    page.get_by_role("button", name="Đặt lịch và nhận mã xác nhận").click()  # no slot chosen
    expect(page.get_by_role("alert")).to_contain_text("chọn một khung giờ")
    page.locator(".slot", has_text="09:30–10:00").click()  # check-in opens 30 minutes before: now
    page.get_by_label("Số định danh cá nhân (12 số)").fill(citizen_id(1))
    page.get_by_label("Số điện thoại di động (nhận mã xác nhận)").fill("0912345678")
    page.get_by_role("button", name="Đặt lịch và nhận mã xác nhận").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Xác nhận lịch hẹn")
    otp = page.locator("#demo-otp strong").inner_text()
    assert re.fullmatch(r"\d{6}", otp)
    screenshot("otp")
    page.get_by_label("Mã xác nhận (OTP)").fill("000000" if otp != "000000" else "111111")
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("alert")).to_contain_text("Còn 4 lần thử")
    page.get_by_label("Mã xác nhận (OTP)").fill(otp)
    page.get_by_role("button", name="Xác nhận").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Lịch hẹn đã được xác nhận")
    expect(page.locator("#booking-when")).to_contain_text("09:30")
    expect(page.get_by_role("img", name=re.compile("Mã QR"))).to_be_visible()
    expect(page.locator(".booking")).not_to_contain_text(citizen_id(1))
    code = page.locator("#booking-code").inner_text()
    assert_page_basics(page)
    assert_no_horizontal_scroll(page)
    screenshot("confirmed")

    # At the center: the kiosk's "Tôi đã đặt lịch", the QR scanner types the code.
    pair_as_kiosk(page, base_url, hall.point)
    page.goto(f"/queue/kiosk/{hall.point.pk}/")
    page.get_by_role("link", name="Tôi đã đặt lịch").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tôi đã đặt lịch")
    expect(page.get_by_label("Mã đặt lịch hoặc số định danh cá nhân")).to_be_focused()
    page.keyboard.type(code.lower())
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/queue/tickets/[\w-]+/$"))
    expect(page.locator(".slip-number")).to_have_text("B-001")
    assert_page_basics(page)


def test_kiosk_check_in_explains_a_wrong_code(page: Page, hall, browser_log, base_url):
    browser_log.expect("status of 422")
    pair_as_kiosk(page, base_url, hall.point)
    page.goto(f"/queue/kiosk/{hall.point.pk}/check-in/")
    assert_page_basics(page)
    page.get_by_label("Mã đặt lịch hoặc số định danh cá nhân").fill("ABCD2345")
    page.get_by_role("button", name="Nhận số thứ tự").click()
    expect(page.get_by_role("alert")).to_contain_text("Không có lịch hẹn này")
    assert_no_horizontal_scroll(page)
