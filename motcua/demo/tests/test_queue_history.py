"""The demo's past queue tickets: working days and planned hours only, a weekday and intraday shape, removable."""

import datetime as dt
from collections import Counter as Tally
from zoneinfo import ZoneInfo

import pytest

from motcua.core import clock
from motcua.demo.queue_history import DEMO_HISTORY_DEVICE, generate_queue_history, remove_queue_history
from motcua.org.tests.factories import make_counter, make_counters, make_hall
from motcua.queueing.models import Ticket

pytestmark = pytest.mark.django_db
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2026, 3, 30, 9, 0, tzinfo=HANOI)  # a Monday


@pytest.fixture
def hall(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)
    monkeypatch.setattr(clock, "today", lambda: NOW.date())
    made = make_hall(groups=("dat-dai", "tu-phap"))
    make_counters(made.point, [1, 2], groups=[made.group["dat-dai"]])
    make_counter(made.point, 3, groups=[made.group["dat-dai"]], planned_periods=[["08:00", "12:00"]])
    make_counter(made.point, 4, groups=[made.group["tu-phap"]])
    return made


def test_history_is_served_in_planned_hours_on_working_days(hall):
    report = generate_queue_history(hall.center, days=21)
    tickets = list(Ticket.objects.select_related("counter"))
    assert report.created == len(tickets) > 300
    assert all(t.device == DEMO_HISTORY_DEVICE for t in tickets)
    days = {t.day for t in tickets}
    assert all(day.weekday() < 5 and day < NOW.date() for day in days)  # weekends are days off
    assert len(days) == 15
    for ticket in tickets:
        called = ticket.called_at.astimezone(HANOI)
        assert ticket.issued_at <= ticket.called_at
        assert dt.time(8) <= called.time() < dt.time(17) and not dt.time(12) <= called.time() < dt.time(13)
        if ticket.counter.number == 3:
            assert called.time() < dt.time(12)  # counter 3 is planned for the mornings only
        if ticket.status == Ticket.Status.DONE:
            assert ticket.finished_at.astimezone(HANOI).time() <= dt.time(17)
    statuses = Tally(t.status for t in tickets)
    assert 0 < statuses[Ticket.Status.NO_SHOW] < statuses[Ticket.Status.DONE] / 10
    assert 0.2 < sum(t.source == Ticket.Source.BOOKING for t in tickets) / len(tickets) < 0.5
    by_weekday = Tally(t.day.weekday() for t in tickets)
    assert by_weekday[0] > by_weekday[4]  # Mondays are busier than Fridays
    morning = sum(dt.time(8) <= t.issued_at.astimezone(HANOI).time() < dt.time(10) for t in tickets)
    afternoon = sum(dt.time(15) <= t.issued_at.astimezone(HANOI).time() < dt.time(17) for t in tickets)
    assert morning > 2 * afternoon


def test_numbers_follow_arrivals_and_the_history_is_made_once_and_removed(hall):
    generate_queue_history(hall.center, days=7)
    day = Ticket.objects.order_by("day").first().day
    land = list(Ticket.objects.filter(day=day, group=hall.group["dat-dai"]).order_by("sequence"))
    assert [t.number for t in land[:3]] == ["B-001", "B-002", "B-003"]
    assert [t.issued_at for t in land] == sorted(t.issued_at for t in land)
    count = Ticket.objects.count()
    assert generate_queue_history(hall.center, days=7).skipped
    assert Ticket.objects.count() == count
    assert remove_queue_history() == count and not Ticket.objects.exists()


def test_a_share_of_the_served_citizens_rated_and_the_ratings_go_with_the_history(hall):
    from motcua.ratings.models import Rating

    report = generate_queue_history(hall.center, days=14)
    ratings = list(Rating.objects.select_related("ticket"))
    served = Ticket.objects.filter(status=Ticket.Status.DONE).count()
    assert report.rated == len(ratings) and 0.25 * served < len(ratings) < 0.45 * served
    assert all(r.ticket.status == Ticket.Status.DONE and r.counter_id == r.ticket.counter_id
               and r.day == r.ticket.day and r.created_at > r.ticket.finished_at for r in ratings)
    satisfied = sum(r.score >= 4 for r in ratings) / len(ratings)
    assert 0.8 < satisfied < 0.95  # mostly satisfied, below the 95% target
    remove_queue_history()
    assert not Rating.objects.exists() and not Ticket.objects.exists()
