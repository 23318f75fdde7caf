"""Satisfaction in a browser: the counter's rating tablet and the staff figures page."""

import datetime as dt
import re
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from e2e.helpers import PHONE, assert_no_horizontal_scroll, assert_page_basics

pytestmark = pytest.mark.e2e

MONDAY_9AM = dt.datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
PASSWORD = "Mot-cua-2025!"
TABLET = {"width": 1280, "height": 800}  # a 10" tablet in landscape


@pytest.fixture
def hall(organisation, monkeypatch):
    """Cầu Giấy (two counters, group B), an officer of its branch, the clock at 9:00 on a Monday."""
    from django.contrib.auth.models import User

    from motcua.core import clock, roles
    from motcua.org.models import Agency, Counter, Officer, ServiceGroup

    monkeypatch.setattr(clock, "now", lambda: MONDAY_9AM)
    monkeypatch.setattr(clock, "today", lambda: MONDAY_9AM.date())
    center = organisation.center
    center.working_periods = [["08:00", "12:00"], ["13:00", "17:00"]]
    center.save()
    point = organisation.points[2]
    land = ServiceGroup.objects.create(center=center, code="dat-dai", name="Đất đai", letter="B",
                                       average_service_minutes=12, position=1)
    counters = list(Counter.objects.filter(service_point=point).order_by("number"))
    for counter in counters:
        counter.service_groups.set([land])
    agency = Agency.objects.create(code="ttpvhcc", name="Trung tâm Phục vụ hành chính công", short_name="TTPVHCC",
                                   kind="center", e_id="000.00.01.H26")
    officer = User.objects.create_user("canbo", password=PASSWORD, first_name="Hà", last_name="Trần")
    officer.groups.add(roles.sync_roles()[roles.RECEPTION_OFFICER])
    Officer.objects.create(user=officer, agency=agency, branch=point.branch)
    return SimpleNamespace(point=point, land=land, counters=counters, officer=officer, served=0)


def serve(hall, counter=None):
    """Issue, call and finish a ticket through the queue's services (what the console does)."""
    from motcua.core.ids import make_national_id
    from motcua.queueing import services

    hall.served += 1
    services.issue_ticket(service_point=hall.point, group=hall.land,
                          national_id=make_national_id(province_code="001", gender="male", birth_year=1970,
                                                       sequence=hall.served))
    ticket = services.call_next(counter or hall.counters[0], user=hall.officer)
    return services.finish(ticket, user=hall.officer)


def log_in(page: Page, username: str, password: str = PASSWORD) -> None:
    page.goto("/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(r"/$"))


def pair_tablet(page: Page, hall) -> str:
    """An officer opens the counter's rating page on the tablet and pairs it, then the session is dropped."""
    url = f"/feedback/counters/{hall.counters[0].pk}/"
    log_in(page, "canbo")
    page.goto(url)
    page.get_by_label("Tên thiết bị (để nhận ra trong danh sách)").fill("Máy tính bảng quầy 1")
    page.get_by_role("button", name="Ghép nối thiết bị này").click()
    expect(page).to_have_url(re.compile(re.escape(url) + "$"))
    expect(page.locator("#pairing-bar")).to_contain_text("Máy tính bảng quầy 1")
    page.context.clear_cookies(name="sessionid")
    return url


def test_a_citizen_rates_the_service_once_on_the_counters_tablet(page: Page, hall, screenshot):
    page.set_viewport_size(TABLET)
    url = pair_tablet(page, hall)
    page.goto(url)
    assert_page_basics(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Quầy số 1")
    expect(page.locator("#waiting-title")).to_have_text("Mời quý khách đánh giá sau khi được phục vụ")
    screenshot("waiting")

    ticket = serve(hall)  # the officer presses "Kết thúc" on the console
    # The tablet notices within a poll and names the officer who served.
    expect(page.get_by_role("heading", level=1)).to_have_text("Quầy số 1 – cán bộ Hà Trần")
    legend = page.locator("#rate-title")
    expect(legend).to_contain_text(ticket.number)
    assert_page_basics(page)
    assert ticket.national_id not in page.content()
    levels = page.locator(".level")
    expect(levels).to_have_count(5)
    expect(levels).to_have_text(["Rất không hài lòng", "Không hài lòng", "Bình thường", "Hài lòng", "Rất hài lòng"])
    for box in (levels.nth(i).bounding_box() for i in range(5)):
        assert box["height"] >= 120 and box["width"] >= 120  # large touch targets on a tablet
    assert_no_horizontal_scroll(page)

    # Keyboard only: the levels are one radio group (arrow keys), then the comment, then the button.
    page.get_by_label("Rất không hài lòng", exact=True).focus()
    for _step in range(4):
        page.keyboard.press("ArrowRight")
    expect(page.get_by_label("Rất hài lòng", exact=True)).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.locator("#rating-comment")).to_be_focused()
    page.keyboard.type("Cán bộ hướng dẫn rất tận tình.")
    screenshot("chosen")

    # A second tab still shows the same ticket: the stale form (a double submit) will be refused.
    other = page.context.new_page()
    other.goto(url)
    expect(other.locator("#rate-title")).to_contain_text(ticket.number)

    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Gửi đánh giá")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#thanks-title")).to_have_text("Xin cảm ơn quý khách đã đánh giá!")
    screenshot("thanks")

    other.get_by_label("Không hài lòng", exact=True).check()
    other.get_by_role("button", name="Gửi đánh giá").click()
    expect(other.locator("#rating-error")).to_contain_text("không còn chờ đánh giá")
    other.close()

    # The API refuses a second rating of the ticket, with the same token, in Vietnamese.
    response = page.request.post(f"/api/tickets/{ticket.pk}/rating",
                                 data={"token": ticket.token, "score": 1})
    assert response.status == 409
    assert response.json()["code"] == "already_rated"

    from motcua.ratings.models import Rating

    rating = Rating.objects.get()
    assert (rating.score, rating.counter_id, rating.officer_id) == (5, hall.counters[0].pk, hall.officer.pk)

    # After the thanks the tablet waits for the next citizen.
    expect(page.locator("#waiting-title")).to_be_visible()


def test_the_tablet_works_on_a_phone(page: Page, hall):
    page.set_viewport_size(PHONE)
    url = pair_tablet(page, hall)
    ticket = serve(hall)
    page.goto(url)
    expect(page.locator("#rate-title")).to_contain_text(ticket.number)
    assert_no_horizontal_scroll(page)
    box = page.locator(".level").first.bounding_box()
    assert box["height"] >= 48 and box["width"] >= 300
    page.get_by_text("Hài lòng", exact=True).click()
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.locator("#thanks-title")).to_be_visible()


def test_an_unpaired_device_is_told_how_to_pair(page: Page, hall, browser_log):
    browser_log.expect(r"status of 403")
    page.goto(f"/feedback/counters/{hall.counters[0].pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Máy tính bảng chưa được ghép với quầy")
    assert_page_basics(page)


def test_the_staff_page_shows_todays_satisfaction_per_counter(page: Page, hall, staff_user):
    from motcua.ratings import services

    for score, counter in ((5, 0), (5, 0), (4, 0), (2, 1)):
        ticket = serve(hall, hall.counters[counter])
        services.rate_ticket(ticket.pk, token=ticket.token, score=score,
                             comment="Phải chờ khá lâu." if score == 2 else "")
    log_in(page, staff_user.username, staff_user.password)
    page.goto(f"/feedback/service-points/{hall.point.pk}/")
    assert_page_basics(page)
    expect(page.locator("#point-share")).to_contain_text("75")
    expect(page.locator("#point-share")).to_contain_text("chưa đạt mục tiêu 95%")
    rows = page.locator("#counter-figures tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("100")
    expect(rows.nth(1)).to_contain_text("0")
    expect(page.locator("#officer-figures")).to_contain_text("Hà Trần")
    expect(page.locator("#comments-title")).to_be_visible()
    assert_no_horizontal_scroll(page)
