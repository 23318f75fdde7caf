"""The staffing planner page: a branch leader reads the day's plan and its charts, changes it and saves it."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from e2e.test_dossier_pages import PASSWORD, check_page, log_in

pytestmark = pytest.mark.e2e
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = dt.datetime(2026, 11, 23, 7, 30, tzinfo=HANOI)


@pytest.fixture
def hall(transactional_db, monkeypatch, settings):
    """Cầu Giấy with land (four counters, one mornings only) and civil status (two), four weeks of history."""
    from django.contrib.auth.models import User

    from motcua.core import clock, roles
    from motcua.demo.queue_history import generate_queue_history
    from motcua.org.models import Officer
    from motcua.org.tests.factories import make_counter, make_counters, make_hall

    monkeypatch.setattr(clock, "now", lambda: MONDAY)
    monkeypatch.setattr(clock, "today", lambda: MONDAY.date())
    settings.MOTCUA_PLANNING_RUNS = 8
    made = make_hall(groups=("dat-dai", "tu-phap"))
    land, civil = made.group["dat-dai"], made.group["tu-phap"]
    make_counters(made.point, [1, 2, 3], groups=[land])
    make_counter(made.point, 4, groups=[land], planned_periods=[["08:00", "12:00"]])
    make_counters(made.point, [5, 6], groups=[civil])
    generate_queue_history(made.center, days=28)
    leader = User.objects.create_user("lanhdao", password=PASSWORD, first_name="Bảo", last_name="Lê")
    leader.groups.add(roles.sync_roles()[roles.BRANCH_LEADER])
    Officer.objects.create(user=leader, agency=made.agency, branch=made.branch)
    made.land = land
    return made


def test_the_leader_plans_the_day_and_saves_it(page: Page, hall, screenshot):
    log_in(page, "lanhdao")
    page.goto("/")
    page.locator("[data-menu=planning-staffing]").click()
    expect(page.locator("h1")).to_contain_text("Kế hoạch bố trí quầy")
    expect(page.locator("h1")).to_contain_text("24/11/2026")  # the next working day
    page.fill("#sp-date", "2026-11-23")
    page.get_by_role("button", name="Xem").click()
    expect(page.locator("#plan-state")).to_contain_text("Chưa lưu")
    expect(page.locator("#table-dat-dai tbody tr")).to_have_count(8)
    assert page.evaluate("() => !!window.Chart && !!window.Chart.getChart('counters-chart')")
    check_page(page)
    screenshot("recommended")

    field = page.locator(f"#c-{hall.land.pk}-8")
    field.fill("4")
    page.locator("#save-plan").click()
    expect(page.locator("#plan-state")).to_contain_text("Kế hoạch đã lưu")
    expect(page.locator(f"#c-{hall.land.pk}-8")).to_have_value("4")
    expect(page.locator("main")).to_contain_text("Đã lưu kế hoạch bố trí quầy ngày 23/11/2026")

    page.locator("#changes-link-dat-dai").click()
    expect(page.locator("#table-changes tbody tr")).to_have_count(8)
    check_page(page)
    screenshot("changes")


def test_the_plan_beside_what_happened(page: Page, hall, screenshot):
    log_in(page, "lanhdao")
    page.goto("/planning/staffing/?date=2026-11-16")
    expect(page.locator("#actual-dat-dai tbody tr").first).to_be_visible()
    expect(page.locator("#actual")).to_contain_text("Kế hoạch và thực tế")
    check_page(page)
    screenshot("actual")
