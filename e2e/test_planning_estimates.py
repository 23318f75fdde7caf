"""The wait estimates report in a browser: a branch leader compares the estimator with the naive rule."""

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from e2e.helpers import assert_no_horizontal_scroll, assert_page_basics
from e2e.test_queue_pages import MONDAY_9AM, PASSWORD, citizen_id, hall, log_in  # noqa: F401 - `hall` is a fixture

pytestmark = pytest.mark.e2e


@pytest.fixture
def history(hall):  # noqa: F811 - the fixture's value
    """Three days of called tickets at Cầu Giấy with the estimates they were given, and the branch's leader."""
    from django.contrib.auth.models import User

    from motcua.core import roles
    from motcua.org.models import Officer
    from motcua.queueing.models import Ticket, WaitEstimate

    n = 0
    # Thursday 19, Friday 20 and Monday 23 November.
    for days_back, rows in (
        (4, ((12, 10, 4), (20, 18, 30))),
        (3, ((8, 9, 3), (15, 25, 12))),
        (0, ((5, 6, 2),)),
    ):
        for estimate, real, naive in rows:
            n += 1
            issued = MONDAY_9AM - dt.timedelta(days=days_back, minutes=60 - n)
            for group in (hall.land, hall.civil):
                ticket = Ticket.objects.create(
                    service_point=hall.point,
                    group=group,
                    day=issued.date(),
                    sequence=n,
                    number=f"{group.letter}-{n:03d}",
                    national_id=citizen_id(n + (50 if group == hall.civil else 0)),
                    status=Ticket.Status.DONE,
                    counter=hall.counters[0],
                    issued_at=issued,
                    queued_at=issued,
                    called_at=issued + dt.timedelta(minutes=real),
                    first_called_at=issued + dt.timedelta(minutes=real),
                )
                WaitEstimate.objects.create(
                    ticket=ticket,
                    moment="issue",
                    shown_at=issued,
                    position=1,
                    minutes=estimate + (2 if group == hall.civil else 0),
                    naive_minutes=naive,
                )
    leader = User.objects.create_user("lanhdao", password=PASSWORD, first_name="Minh", last_name="Lê")
    leader.groups.add(roles.sync_roles()[roles.BRANCH_LEADER])
    Officer.objects.create(user=leader, agency=hall.officer.officer.agency, branch=hall.point.branch)
    return hall


def test_a_branch_leader_reads_the_estimates_report_by_group_and_day(page: Page, history, screenshot):
    log_in(page, "lanhdao")
    page.locator("[data-menu=planning-estimates]").click()
    expect(page.locator("h1")).to_contain_text("Độ chính xác của thời gian chờ dự kiến")
    expect(page.locator("h1")).to_contain_text(history.point.name)

    page.fill("#est-from", "2026-11-19")
    page.fill("#est-to", "2026-11-23")
    page.get_by_role("button", name="Xem").click()
    groups = page.locator("#table-estimate-groups")
    expect(groups).to_contain_text("Tất cả")
    expect(groups.locator("tbody tr")).to_have_count(3)  # A, B and the total
    # Land: errors 2, 2, -1, -10, -1 against the naive -6, 12, -6, -13, -4: MAE 3,2 and 8,2.
    land = groups.locator("tbody tr", has_text="B –")
    expect(land.locator("td").nth(0)).to_have_text("5")
    expect(land.locator("td").nth(1)).to_have_text("3,2")
    expect(land.locator("td").nth(2)).to_have_text("8,2")
    days = page.locator("#table-estimate-days")
    expect(days).to_contain_text("19/11/2026")
    expect(days).to_contain_text("23/11/2026")
    expect(days.locator("tbody tr")).to_have_count(6)
    assert_page_basics(page)
    assert_no_horizontal_scroll(page)
    screenshot("report")

    page.set_viewport_size({"width": 390, "height": 844})
    assert_no_horizontal_scroll(page)
    page.set_viewport_size({"width": 1280, "height": 800})
