"""The leaders' service index (with its formulas and the dossiers behind a figure) and the public transparency page."""

from types import SimpleNamespace

import pytest
from playwright.sync_api import Page, expect

from e2e.test_dossier_pages import PASSWORD, center, check_page, log_in  # noqa: F401 - `center` is a fixture

pytestmark = pytest.mark.e2e

NOVEMBER = "from=2026-11-01&to=2026-11-30"


@pytest.fixture
def history(center):  # noqa: F811 - the fixture's value
    """Three resolved dossiers of November (early, on time, late with an apology) and a director."""
    from django.contrib.auth.models import User

    from motcua.catalog.models import Procedure
    from motcua.core import roles
    from motcua.dossiers.models import Dossier
    from motcua.insights.tests.factories import at, dossier

    land = Procedure.objects.get(code="1.004227")
    world = SimpleNamespace(land=land, department=land.agency, branch=center.leader.officer.branch)
    dossier(world, received=at(2), due=at(10, 17), result=at(6), documents=(("upload", "a.pdf"),))
    dossier(world, received=at(2), due=at(10, 17), result=at(10, 11), channel="online")
    dossier(world, received=at(3), original_due=at(9, 17), due=at(20, 17), result=at(12))
    director = User.objects.create_user("giamdoc", password=PASSWORD, first_name="Lan", last_name="Nguyễn")
    director.groups.add(roles.sync_roles()[roles.CENTER_DIRECTOR])
    return SimpleNamespace(late=Dossier.objects.get(original_due_at__isnull=False))


def test_the_director_reads_the_index_and_the_dossiers_behind_a_figure(page: Page, history, screenshot):
    log_in(page, "giamdoc")
    page.goto("/")
    page.locator("[data-menu=insights-service-index]").click()
    expect(page.locator("h1")).to_contain_text("Chỉ số phục vụ")
    page.goto(f"/insights/service-index/?{NOVEMBER}")
    row = page.locator("#indicator-2\\.1")
    expect(row).to_contain_text("Số hồ sơ giải quyết trước hạn + đúng hạn")
    expect(row.locator("td").nth(0)).to_have_text("2")
    expect(row.locator("td").nth(1)).to_have_text("3")
    expect(row.locator("td").nth(3)).to_contain_text("13,33")  # 20 × 2/3
    expect(page.locator("#indicator-4\\.3")).to_contain_text("Chưa có dữ liệu")
    check_page(page)
    screenshot("index")
    page.set_viewport_size({"width": 1920, "height": 1080})  # the projector
    screenshot("projector")
    page.set_viewport_size({"width": 1280, "height": 800})

    page.locator("#indicator-1\\.3 td").nth(0).get_by_role("link").click()
    expect(page.locator("#behind-count")).to_contain_text("1 hồ sơ")
    expect(page.locator("#behind-table")).to_contain_text(history.late.code)
    check_page(page)


def test_a_branch_leader_sees_their_branch_only(page: Page, history):
    log_in(page, "lanhdao")
    page.goto(f"/insights/service-index/?{NOVEMBER}")
    expect(page.locator("#total-title")).to_contain_text("Chi nhánh số 1")
    expect(page.locator("#index-scope option")).to_have_count(1)


def test_transparency_is_public(page: Page, history):
    page.goto(f"/transparency/?{NOVEMBER}")
    expect(page.locator("h1")).to_contain_text("Công khai")
    expect(page.locator("#transparency-table")).to_contain_text("Sở Nông nghiệp và Môi trường")
    expect(page.locator("#city-index")).to_contain_text("/ 100")
    assert "Nguyễn Văn An" not in page.content()
    check_page(page)


def test_the_dashboard_updates_itself_when_a_dossier_is_received(page: Page, history, center, screenshot):  # noqa: F811
    from e2e.test_live_inbox import counter_dossier, watch_requests

    log_in(page, "giamdoc")
    page.goto("/")
    page.locator("[data-menu=insights-dashboard]").click()
    expect(page.locator("#live-status")).to_have_attribute("data-state", "live")
    expect(page.locator("#kpi-received")).to_have_text("0")
    requests = watch_requests(page)
    page.wait_for_timeout(1200)
    assert not [url for url in requests if "/insights/dashboard/" in url], "the dashboard asked without a change"
    counter_dossier(center)
    expect(page.locator("#kpi-received")).to_have_text("1", timeout=10_000)
    expect(page.locator("#table-branch")).to_contain_text("Chi nhánh số 1")
    check_page(page)
    screenshot("live")
    page.set_viewport_size({"width": 1920, "height": 1080})
    screenshot("projector")
    page.set_viewport_size({"width": 1280, "height": 800})


def test_the_director_reads_trends_and_follows_a_hot_spot_to_its_dossiers(page: Page, history, screenshot):
    log_in(page, "giamdoc")
    page.goto("/insights/dashboard/")
    expect(page.locator("#alerts-title")).to_have_text("Cảnh báo quá hạn")
    page.get_by_role("link", name="Phân tích và điểm nóng").click()
    page.goto(f"/insights/analysis/?{NOVEMBER}&grain=week")
    expect(page.locator("h1")).to_contain_text("Phân tích và điểm nóng")
    expect(page.locator("#table-trends tbody tr")).to_have_count(6)  # the weeks from 26/10 to 30/11
    drawn = page.evaluate("() => !!(window.Chart && window.Chart.getChart(document.getElementById('trends-chart')))")
    assert drawn, "the trend chart was not drawn"
    late = page.locator("#late-procedure li a")
    expect(late).to_have_count(1)
    expect(page.locator("#late-procedure li")).to_contain_text("1 trễ / 3 đã giải quyết")
    check_page(page)
    screenshot("analysis")
    late.click()
    expect(page.locator("h1")).to_have_text("Hồ sơ giải quyết trễ hạn")
    expect(page.locator("#behind-table")).to_contain_text(history.late.code)
    check_page(page)
