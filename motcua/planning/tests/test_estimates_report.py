"""The wait estimates report: the estimator against the naive rule on real tickets, per group and day."""

import datetime as dt

import pytest

from motcua.core import roles
from motcua.queueing import services
from motcua.queueing.models import Ticket, WaitEstimate
from motcua.queueing.tests.conftest import citizen_id, fake_clock, hall, make_officer  # noqa: F401

_n = iter(range(1, 10_000))


def ticket_with(hall, *, estimate, naive, real, day_offset=0, group=None):
    """A ticket issued now whose recorded estimates and first call are set to the given minutes."""
    hall.clock.advance(minutes=1)
    ticket = services.issue_ticket(
        service_point=hall.point, group=group or hall.land, national_id=citizen_id(next(_n))
    )
    WaitEstimate.objects.filter(ticket=ticket).update(minutes=estimate, naive_minutes=naive)
    if real is not None:
        called = ticket.issued_at + dt.timedelta(minutes=real)
        Ticket.objects.filter(pk=ticket.pk).update(
            status=Ticket.Status.DONE, counter=hall.counters[0], called_at=called, first_called_at=called
        )
    if day_offset:
        Ticket.objects.filter(pk=ticket.pk).update(day=ticket.day + dt.timedelta(days=day_offset))
    return ticket


@pytest.fixture
def history(hall):
    ticket_with(hall, estimate=10, naive=4, real=12)  # errors -2 and -8
    ticket_with(hall, estimate=20, naive=30, real=18)  # +2 and +12
    ticket_with(hall, estimate=5, naive=9, real=None)  # never called: not judged
    ticket_with(hall, estimate=None, naive=None, real=3)  # no counter open at issue: no estimate
    ticket_with(hall, estimate=6, naive=6, real=10, group=hall.civil)  # -4 and -4
    ticket_with(hall, estimate=8, naive=2, real=8, day_offset=-1)  # the day before: 0 and -6
    return hall


@pytest.fixture
def leader(hall):
    return make_officer("lanhdao1", hall.branch, role=roles.BRANCH_LEADER)


def test_the_report_judges_both_estimates_on_the_called_tickets(history):
    from motcua.planning.selectors import estimates

    day = history.clock.today()
    report = estimates.report(
        history.point, estimates.period_of((day - dt.timedelta(days=1)).isoformat(), day.isoformat())
    )

    assert report.total.tickets == 4
    assert report.total.estimator_mae == 2.0 and report.total.naive_mae == 7.5  # (2+2+4+0)/4, (8+12+4+6)/4
    assert report.total.ratio == round(2 / 7.5, 2)
    land = next(r for r in report.groups if r.group == history.land)
    # (2 + 2 + 0) / 3 and (8 + 12 + 6) / 3
    assert (land.accuracy.tickets, land.accuracy.estimator_mae, land.accuracy.naive_mae) == (3, 1.3, 8.7)
    assert [(r.day, r.group.letter, r.accuracy.tickets) for r in report.days] == [
        (day - dt.timedelta(days=1), "B", 1),
        (day, "A", 1),
        (day, "B", 2),
    ]
    today_land = next(r for r in report.days if r.day == day and r.group == history.land)
    assert (today_land.accuracy.estimator_mae, today_land.accuracy.naive_mae, today_land.accuracy.ratio) == (
        2.0,
        10.0,
        0.2,
    )


def test_later_displays_are_judged_on_the_time_left_and_their_swing(history, client):
    from motcua.planning.selectors import estimates

    ticket = ticket_with(history, estimate=30, naive=30, real=None)
    WaitEstimate.objects.create(
        ticket=ticket,
        moment="display",
        shown_at=ticket.issued_at + dt.timedelta(minutes=10),
        position=2,
        minutes=24,
        naive_minutes=20,
    )
    called = ticket.issued_at + dt.timedelta(minutes=25)
    Ticket.objects.filter(pk=ticket.pk).update(
        status=Ticket.Status.DONE, counter=history.counters[0], called_at=called, first_called_at=called
    )

    report = estimates.report(history.point, estimates.period_of(None, None))

    # Shown 24 when 15 were left: error 9; 30 shown 10 minutes before, so 20 expected: a change of 4.
    assert (report.displays.count, report.displays.mae, report.displays.max_step) == (1, 9.0, 4.0)


def test_the_api_answers_the_branch_leaders(history, leader, client):
    client.force_login(leader)
    day = history.clock.today()
    url = f"/api/service-points/{history.point.pk}/wait-estimates"

    body = client.get(url, {"from": (day - dt.timedelta(days=1)).isoformat(), "to": day.isoformat()}).json()

    assert body["total"] == {
        "tickets": 4,
        "estimator_mae": 2.0,
        "naive_mae": 7.5,
        "ratio": 0.27,
        "estimator_bias": -1.0,
    }
    assert [g["letter"] for g in body["groups"]] == ["A", "B"]  # the groups' display order
    assert [(d["day"], d["letter"]) for d in body["days"]] == [
        ((day - dt.timedelta(days=1)).isoformat(), "B"),
        (day.isoformat(), "A"),
        (day.isoformat(), "B"),
    ]
    assert client.get(url, {"from": "07/12/2026"}).status_code == 422
    assert (
        client.get(url, {"from": day.isoformat(), "to": (day - dt.timedelta(days=3)).isoformat()}).status_code
        == 422
    )
    assert client.get("/api/service-points/999999/wait-estimates").status_code == 404


def test_only_the_branch_leaders_and_the_director_read_it(history, client):
    url = f"/api/service-points/{history.point.pk}/wait-estimates"
    assert client.get(url).status_code == 401
    client.force_login(history.officer)  # a reception officer of the branch
    assert client.get(url).status_code == 403
    assert client.get("/planning/estimates/").status_code == 403
    client.force_login(make_officer("lanhdao2", history.outsider.officer.branch, role=roles.BRANCH_LEADER))
    assert client.get(url).status_code == 403
    client.force_login(make_officer("giamdoc", history.branch, role=roles.CENTER_DIRECTOR))
    assert client.get(url).status_code == 200


def test_the_page_shows_the_figures_per_group_and_day(history, leader, client):
    client.force_login(leader)
    day = history.clock.today()

    page = client.get("/planning/estimates/", {"from": (day - dt.timedelta(days=1)).isoformat()})

    assert page.status_code == 200
    html = page.content.decode()
    assert history.point.name in html and 'id="estimate-ratio">0,27<' in html  # Vietnamese decimals
    assert day.strftime("%d/%m/%Y") in html and (day - dt.timedelta(days=1)).strftime("%d/%m/%Y") in html
    bad = client.get("/planning/estimates/", {"from": "hôm qua"})
    assert bad.status_code == 422 and "YYYY-MM-DD" in bad.content.decode()
