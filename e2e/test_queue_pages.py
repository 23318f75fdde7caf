"""The queue in a browser: the kiosk, the counter console and the hall's display board (live)."""

import datetime as dt
import re
import time
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from e2e.helpers import (
    assert_no_horizontal_scroll,
    assert_page_basics,
    save_screenshots,
    screenshot_name,
    wait_until,
)

pytestmark = pytest.mark.e2e

# A Monday morning, so the capacity rule lets tickets through whenever the suite runs.
MONDAY_9AM = dt.datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
PASSWORD = "Mot-cua-2025!"


@pytest.fixture(autouse=True)
def short_streams(monkeypatch):
    """Event streams end after 2 s (the board reconnects), so none outlives the test and its database."""
    from motcua.core import events

    monkeypatch.setitem(events.stream.__kwdefaults__, "max_seconds", 2)
    yield
    time.sleep(2.5)  # after the browser closed: let the live server's last stream finish


@pytest.fixture
def hall(organisation, monkeypatch):
    """Cầu Giấy with groups A and B, four counters, a reception officer, the clock at 9:00 on a Monday."""
    from django.contrib.auth.models import User

    from motcua.core import clock, roles
    from motcua.org.models import Counter, Officer
    from motcua.org.tests.factories import make_center_agency, make_counters, make_group

    monkeypatch.setattr(clock, "now", lambda: MONDAY_9AM)
    monkeypatch.setattr(clock, "today", lambda: MONDAY_9AM.date())
    center = organisation.center
    center.working_periods = [["08:00", "12:00"], ["13:00", "17:00"]]
    center.save()
    point = organisation.points[2]
    civil = make_group(center, "tu-phap")
    land = make_group(center, "dat-dai")
    make_counters(point, (3, 4))
    counters = list(Counter.objects.filter(service_point=point).order_by("number"))
    for counter in counters:
        counter.service_groups.set([civil, land] if counter.number % 2 else [land])
    agency = make_center_agency(name="Trung tâm Phục vụ hành chính công")
    officer = User.objects.create_user("canbo", password=PASSWORD, first_name="Hà", last_name="Trần")
    officer.groups.add(roles.sync_roles()[roles.RECEPTION_OFFICER])
    Officer.objects.create(user=officer, agency=agency, branch=point.branch)
    return SimpleNamespace(point=point, civil=civil, land=land, counters=counters, officer=officer)


def citizen_id(n: int) -> str:
    from motcua.core.ids import make_national_id

    return make_national_id(province_code="001", gender="male", birth_year=1950 + n, sequence=n)


def issue(hall, n: int, **kwargs):
    from motcua.queueing import services

    return services.issue_ticket(service_point=hall.point, group=kwargs.pop("group", hall.land),
                                 national_id=citizen_id(n), **kwargs)


def test_an_unpaired_browser_is_told_how_to_pair_the_kiosk(page: Page, hall, browser_log):
    browser_log.expect("status of 403")
    page.goto(f"/queue/kiosk/{hall.point.pk}/")
    assert_page_basics(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kiosk chưa được ghép nối")
    expect(page.get_by_role("alert")).to_contain_text("Cán bộ tiếp nhận của chi nhánh cần đăng nhập")
    expect(page.get_by_label("Số định danh cá nhân (12 số)")).to_have_count(0)
    expect(page.get_by_role("link", name="Cán bộ đăng nhập để ghép nối")).to_be_visible()
    assert_no_horizontal_scroll(page)


def pair_kiosk(page: Page, hall, screenshot=None) -> None:
    """An officer signs in on the kiosk, pairs it from the kiosk page, and the session is dropped."""
    log_in(page, "canbo")
    page.goto(f"/queue/kiosk/{hall.point.pk}/")
    expect(page.locator("#pairing-panel")).to_contain_text("chưa được ghép nối làm kiosk lấy số")
    assert_no_horizontal_scroll(page)
    if screenshot:
        screenshot("pairing")
    page.get_by_label("Tên thiết bị (để nhận ra trong danh sách)").fill("Kiosk cửa chính")
    page.get_by_role("button", name="Ghép nối thiết bị này").click()
    expect(page).to_have_url(re.compile(rf"/queue/kiosk/{hall.point.pk}/$"))
    expect(page.locator("#pairing-bar")).to_contain_text("Kiosk cửa chính")
    page.context.clear_cookies(name="sessionid")


def test_kiosk_issues_a_ticket_bound_to_the_id(page: Page, hall, screenshot):
    issue(hall, 1)
    pair_kiosk(page, hall, screenshot)
    page.goto(f"/queue/kiosk/{hall.point.pk}/")
    assert_page_basics(page)
    expect(page.locator("#pairing-panel, #pairing-bar, #desk-note")).to_have_count(0)  # a kiosk, not the desk
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lấy số thứ tự")
    land = page.locator("label.tile", has_text="Đất đai")
    expect(land).to_contain_text("1 người đang chờ")
    assert_no_horizontal_scroll(page)

    page.get_by_role("button", name="In số thứ tự").click()  # nothing chosen
    expect(page.get_by_role("alert")).to_contain_text("chọn lĩnh vực")
    screenshot("error")

    page.locator("label.tile", has_text="Đất đai").click()
    page.get_by_label("Số định danh cá nhân (12 số)").fill(citizen_id(2))
    page.get_by_label("Người cao tuổi").check()
    page.get_by_role("button", name="In số thứ tự").click()

    expect(page).to_have_url(re.compile(r"/queue/tickets/[\w-]+/$"))
    expect(page.locator(".slip-number")).to_have_text("B-002")
    expect(page.locator("#slip-position")).to_contain_text("thứ 1")  # the elderly go first
    expect(page.locator(".slip")).to_contain_text("********" + citizen_id(2)[-4:])
    expect(page.locator(".slip")).not_to_contain_text(citizen_id(2))
    assert_page_basics(page)
    assert_no_horizontal_scroll(page)


def log_in(page: Page, username: str) -> None:
    page.goto("/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(r"/$"))


def test_a_call_on_the_console_appears_on_the_board_within_a_second(page: Page, hall, browser_log, request):
    issue(hall, 1)
    issue(hall, 2, priority="merit")
    issue(hall, 3, group=hall.civil, phone="0912345678")

    # The hall's TV.
    page.goto(f"/queue/board/{hall.point.pk}/")
    expect(page.locator("#board-live")).to_have_attribute("data-state", "live")
    expect(page.locator("tr[data-group='B'] .count")).to_have_text("2")
    page.get_by_role("button", name="Bật âm thanh").click()  # browsers play sound after one gesture
    expect(page.get_by_role("button", name="Bật âm thanh")).to_be_hidden()

    # The officer at counter 1, in another tab.
    console = page.context.new_page()
    console.on("console", browser_log.on_console)
    console.on("pageerror", browser_log.on_page_error)
    log_in(console, "canbo")
    console.goto(f"/queue/counters/{hall.counters[0].pk}/")
    assert_page_basics(console)
    expect(console.locator("#current-ticket")).to_contain_text("Chưa gọi số nào")
    announcements = []
    page.on("request", lambda r: announcements.append(r.url) if "/queue/announcements/" in r.url else None)
    panels = []
    page.on("request", lambda r: panels.append(r.url) if "/panel/" in r.url else None)
    console.get_by_role("button", name="Gọi số tiếp theo").click()
    expect(console.locator("#current-number")).to_have_text("B-002")  # priority (merit) first
    expect(console.locator("#bound-id")).to_have_text(citizen_id(2))  # in full, for the officer only

    expect(page.locator("#announcement")).to_have_text("Mời công dân có số B-002 đến quầy số 1")
    expect(page.locator(".counter-cell[data-counter='1'] .cell-ticket")).to_have_text("B-002")
    expect(page.locator(".counter-cell.latest")).to_have_count(1)
    expect(page.locator(".latest-calls li.latest")).to_have_text("B-002 → quầy 1")
    expect(page.locator("tr[data-group='B'] .count")).to_have_text("1")
    assert panels == [], f"the call should update the board from its event alone: {panels}"
    expect(page.locator("body")).not_to_contain_text(citizen_id(2)[-4:])
    from motcua.queueing.announce import speech_available

    if speech_available():  # the spoken call is fetched from the server (the chime needs nothing)
        wait_until(page, lambda: any(url.endswith("/queue/announcements/B-002-1.wav") for url in announcements),
                   f"the board did not fetch the spoken call: {announcements}")

    # Confirm the person and the priority, serve, and finish; then the next ticket, which does not come.
    console.get_by_label("Đối tượng ưu tiên").select_option("yes")
    console.get_by_role("button", name="Đúng người lấy số").click()
    expect(console.locator("#current-ticket")).to_contain_text("đã xác nhận đúng người")
    console.get_by_role("button", name="Bắt đầu phục vụ").click()
    expect(console.locator("#current-ticket")).to_contain_text("Đang phục vụ")
    save_screenshots(console, f"{screenshot_name(request.node.name)}-console")
    console.get_by_role("button", name="Kết thúc").click()
    expect(console.locator("#current-ticket")).to_contain_text("Chưa gọi số nào")

    console.get_by_role("button", name="Gọi số tiếp theo").click()
    expect(console.locator("#current-number")).to_have_text("B-001")
    expect(page.locator("#announcement")).to_contain_text("B-001")
    console.get_by_role("button", name="Gọi lại").click()
    expect(console.locator("#current-ticket")).to_contain_text("đã gọi 2 lần")
    # "Call next" with B-001 still at the counter asks first: go back, or mark it absent and call the next.
    console.get_by_role("button", name="Gọi số tiếp theo").click()
    expect(console.locator("#still-open")).to_contain_text("Số B-001 vẫn đang ở quầy")
    expect(console.locator("#current-number")).to_have_text("B-001")
    save_screenshots(console, f"{screenshot_name(request.node.name)}-console-still-open")
    console.get_by_role("link", name="Quay lại, tiếp tục phục vụ").click()
    expect(console.locator("#still-open")).to_have_count(0)
    console.get_by_role("button", name="Gọi số tiếp theo").click()
    console.get_by_role("button", name="Số B-001 vắng mặt, gọi số tiếp theo").click()

    # Transfer the civil-status ticket to counter 3; the board follows.
    expect(console.locator("#current-number")).to_have_text("A-001")
    console.get_by_label("Chuyển đến").select_option(label="Quầy 3")
    console.get_by_role("button", name="Chuyển", exact=True).click()
    expect(console.locator("#current-ticket")).to_contain_text("Chưa gọi số nào")
    expect(page.locator(".counter-cell[data-counter='1'] .cell-ticket")).to_have_text("–")
    expect(page.locator("tr[data-group='A'] .count")).to_have_text("1")

    console.get_by_role("button", name="Tạm dừng quầy").click()
    expect(console.locator("#counter-status")).to_have_text("Tạm dừng")
    expect(console.get_by_role("button", name="Gọi số tiếp theo")).to_be_disabled()
    expect(page.locator(".counter-cell[data-counter='1'] .cell-ticket")).to_have_text("Tạm dừng")
    save_screenshots(console, f"{screenshot_name(request.node.name)}-console-paused")
    assert_no_horizontal_scroll(console)
    assert_no_horizontal_scroll(page)
    console.close()


def test_the_board_reconnects_after_the_stream_ends(page: Page, hall):
    from motcua.queueing import services

    issue(hall, 4)
    page.goto(f"/queue/board/{hall.point.pk}/")
    expect(page.locator("#board-live")).to_have_attribute("data-state", "live")
    page.wait_for_timeout(3_000)  # the server closed the stream (after 2 s) at least once; EventSource came back
    services.call_next(hall.counters[1], user=hall.officer)
    expect(page.locator("#announcement")).to_have_text("Mời công dân có số B-001 đến quầy số 2")


def test_the_officers_menu_leads_to_the_counters_of_the_branch(page: Page, hall, screenshot):
    log_in(page, "canbo")
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    expect(nav.get_by_role("link", name="Quầy và điểm tiếp nhận")).to_be_visible()
    expect(nav.get_by_role("link", name="Mức độ hài lòng")).to_be_visible()
    expect(nav.get_by_role("link", name="Phê duyệt")).to_have_count(0)  # a leader's page, not this officer's
    nav.get_by_role("link", name="Quầy và điểm tiếp nhận").click()
    expect(page.get_by_role("heading", name="Quầy và điểm tiếp nhận")).to_be_visible()
    expect(page.locator(".point-hub").first).to_contain_text("Quầy 1")
    assert_page_basics(page)
    screenshot("hub")
    assert_no_horizontal_scroll(page)
    page.get_by_role("link", name="Quầy 1", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile("Quầy số 1"))).to_be_visible()
