"""What the tablet offers and the satisfaction figures per counter, officer, service point and day."""

import datetime as dt

import pytest

from motcua.ratings import policies, selectors, services

pytestmark = pytest.mark.django_db


def rate(ticket, score):
    return services.rate_ticket(ticket.pk, token=ticket.token, score=score)


def test_the_tablet_offers_the_counters_latest_finished_ticket(hall):
    counter = hall.counters[0]
    assert selectors.pending_ticket(counter) is None
    first = hall.served()
    assert selectors.pending_ticket(counter) == first
    assert selectors.pending_ticket(hall.counters[1]) is None
    hall.clock.advance(minutes=5)
    second = hall.served()
    assert selectors.pending_ticket(counter) == second  # the first citizen has left


def test_a_rated_or_expired_ticket_is_no_longer_offered(hall):
    ticket = hall.served()
    rate(ticket, 4)
    assert selectors.pending_ticket(hall.counters[0]) is None
    hall.clock.advance(minutes=1)
    other = hall.served()
    hall.clock.advance(minutes=30, seconds=1)
    assert selectors.pending_ticket(hall.counters[0]) is None
    assert other.status == "done"


def test_a_ticket_being_served_is_not_offered(hall):
    hall.called()
    assert selectors.pending_ticket(hall.counters[0]) is None


def test_figures_per_counter_officer_and_point_against_the_95_percent_target(hall):
    scores_1 = [5] * 19 + [2]  # counter 1, officer Hà: 19/20 = 95%
    for score in scores_1:
        rate(hall.served(counter=hall.counters[0], officer=hall.officer), score)
    for score in (5, 4, 3):  # counter 2, officer Minh: 2/3
        rate(hall.served(counter=hall.counters[1], officer=hall.colleague), score)
    result = selectors.satisfaction(hall.point)
    assert result.day.isoformat() == "2026-11-23"
    assert result.total.total == 23 and result.total.satisfied == 21
    assert result.total.counts == {1: 0, 2: 1, 3: 1, 4: 1, 5: 20}
    assert result.total.meets_target is False
    one, two = result.counters
    assert (one.key, one.total, one.share, one.meets_target) == (1, 20, 0.95, True)
    assert (two.key, two.total, two.meets_target) == (2, 3, False)
    assert two.share_percent == 66.7
    by_name = {f.label: f for f in result.officers}
    assert by_name["Hà Trần"].total == 20 and by_name["Minh Lê"].satisfied == 2


def test_figures_are_per_day_and_per_service_point(hall):
    rate(hall.served(), 5)
    hall.clock.advance(days=1)
    rate(hall.served(), 1)
    import datetime as dt

    monday = selectors.satisfaction(hall.point, dt.date(2026, 11, 23))
    tuesday = selectors.satisfaction(hall.point)
    assert monday.total.counts[5] == 1 and monday.total.counts[1] == 0
    assert tuesday.total.counts[1] == 1 and tuesday.total.meets_target is False
    elsewhere = selectors.satisfaction(hall.other_point)
    assert elsewhere.total.total == 0 and elsewhere.total.share is None and elsewhere.total.meets_target is None
    assert [f.key for f in elsewhere.counters] == [1]


def test_who_sees_the_figures(hall):
    assert policies.can(hall.officer, "view_figures", hall.point)
    assert policies.can(hall.director, "view_figures", hall.point)
    assert policies.can(hall.director, "view_figures", hall.other_point)
    assert not policies.can(hall.outsider, "view_figures", hall.point)
    assert not policies.can(hall.citizen, "view_figures", hall.point)
    from django.contrib.auth.models import AnonymousUser

    assert not policies.can(AnonymousUser(), "view_figures", hall.point)


def test_figures_by_a_key_count_every_rated_day_of_the_period_and_no_other(hall):
    rate(hall.served(), 5)
    rate(hall.served(), 2)
    hall.clock.advance(days=1)
    rate(hall.served(), 4)
    hall.clock.advance(days=1)
    rate(hall.served(), 1)  # after the period
    monday = hall.clock.today() - dt.timedelta(days=2)
    figures = selectors.figures_by("service_point_id", monday, monday + dt.timedelta(days=1))
    assert list(figures) == [hall.point.pk]
    assert figures[hall.point.pk].counts == {1: 0, 2: 1, 3: 0, 4: 1, 5: 1}
    assert figures[hall.point.pk].share_percent == 66.7
    assert selectors.figures_by("service_point_id", monday - dt.timedelta(days=7), monday - dt.timedelta(days=1)) == {}
