"""The analysis' queue and satisfaction figures: waits per service point, satisfaction per point, counter, officer."""

import datetime as dt

import pytest

from motcua.insights import analysis_selectors as analysis
from motcua.insights.policies import AGENCY, BRANCH, CITY, Scope
from motcua.insights.selectors import Period
from motcua.queueing import services as queue
from motcua.queueing.tests.conftest import fake_clock  # noqa: F401
from motcua.ratings import services as rating_services
from motcua.ratings.tests.conftest import citizen_id, hall  # noqa: F401  (the ratings' hall)

pytestmark = pytest.mark.django_db


def test_waits_average_the_time_from_issue_to_the_first_call(hall):
    for n in (1, 2):
        queue.issue_ticket(service_point=hall.point, group=hall.land, national_id=citizen_id(200 + n))
    hall.clock.advance(minutes=6)
    first = queue.call_next(hall.counters[0], user=hall.officer)  # waited 6 minutes
    queue.finish(first, user=hall.officer)
    hall.clock.advance(minutes=4)
    queue.call_next(hall.counters[0], user=hall.officer)  # waited 10 minutes
    day = hall.clock.today()
    (spot,) = analysis.wait_spots(Scope(CITY), Period(day, day))
    assert (spot.key, spot.value, spot.total) == (str(hall.point.pk), 8.0, 2)
    assert spot.url.endswith(f"/map/#point-{hall.point.pk}")
    assert analysis.wait_spots(Scope(BRANCH, branch=hall.other_point.branch), Period(day, day)) == []
    assert analysis.wait_spots(Scope(AGENCY, agency=None), Period(day, day)) == []


def test_satisfaction_per_point_counter_and_officer_lowest_first(hall):
    def rated(score, counter, officer, comment=""):
        ticket = hall.served(counter=counter, officer=officer)
        rating_services.rate_ticket(ticket.pk, token=ticket.token, score=score, comment=comment)

    for score in (5, 5, 4, 5, 5):
        rated(score, hall.counters[0], hall.officer)
    for score in (2, 5, 3, 5, 1):
        rated(score, hall.counters[1], hall.colleague, comment="Chờ lâu quá" if score == 1 else "")
    day = hall.clock.today()
    detail = analysis.satisfaction(Scope(CITY), Period(day - dt.timedelta(days=1), day))
    assert (detail.total.total, detail.total.share_percent) == (10, 70.0)
    assert [(f.label, f.share_percent) for f in detail.officers] == [("Minh Lê", 40.0), ("Hà Trần", 100.0)]
    assert [f.total for f in detail.counters] == [5, 5] and detail.counters[0].label.endswith("· 2")
    assert [r.comment for r in detail.comments] == ["Chờ lâu quá"]
    lowest = analysis.lowest_satisfaction(detail)
    assert [f.label for f in lowest][:1] == ["Minh Lê"]
    other = analysis.satisfaction(Scope(BRANCH, branch=hall.other_point.branch), Period(day, day))
    assert other.total.total == 0 and other.comments == []
