"""The staffing planner at a service point: the recommendation from its history, saving, what follows the plan."""

import datetime as dt

import pytest

from motcua.core.errors import PermissionDenied, ValidationFailed
from motcua.core.ids import make_national_id
from motcua.planning.models import StaffingPlan
from motcua.planning.services import staffing
from motcua.queueing.services import booking
from motcua.queueing.services.issuing import CapacityReached, issue_ticket

from .conftest import HANOI

pytestmark = pytest.mark.django_db
HOURS = [8, 9, 10, 11, 13, 14, 15, 16]


def counters_of(plan, group):
    return {h.hour: h.counters for g in plan.groups if g.group == group for h in g.hours}


def test_the_recommendation_comes_from_the_points_history_within_the_counters_planned(hall):
    plan = staffing.staffing_plan(hall.leader, hall.point, hall.fake_clock.today())
    assert plan.saved is None and plan.hours == HOURS
    land = next(g for g in plan.groups if g.group == hall.land)
    assert land.history.same_weekday and land.history.days_observed == 4  # four Mondays
    assert land.history.day.service_samples and 0 < land.history.day.no_show_rate < 0.15
    assert {h.hour: h.available for h in land.hours} == {8: 4, 9: 4, 10: 4, 11: 4, 13: 3, 14: 3, 15: 3, 16: 3}
    for hour in land.hours:
        assert hour.counters == hour.recommended <= hour.available
        assert hour.expected.arrivals >= 0 and hour.expected.queue_length >= 0
    morning = sum(h.expected.arrivals for h in land.hours if h.hour < 12)
    assert morning > sum(h.expected.arrivals for h in land.hours if h.hour >= 15)
    assert [p.label for p in land.history.officers][0].startswith("Quầy 1")


def test_only_the_branchs_leaders_plan(hall):
    day = hall.fake_clock.today()
    for user in (hall.officer, hall.other_leader):
        with pytest.raises(PermissionDenied):
            staffing.staffing_plan(user, hall.point, day)


def test_a_day_off_has_no_plan(hall):
    with pytest.raises(ValidationFailed) as caught:
        staffing.staffing_plan(hall.leader, hall.point, dt.date(2026, 11, 28))  # a Saturday
    assert caught.value.code == "day_off"


def full_plan(land: dict, civil: dict, hall):
    return {
        hall.land.pk: {h: land.get(h, 1) for h in HOURS},
        hall.civil.pk: {h: civil.get(h, 1) for h in HOURS},
    }


def test_saving_a_plan_replaces_the_recommendation_and_keeps_what_it_expected(hall):
    day = hall.fake_clock.today()
    plan = staffing.save_staffing_plan(hall.leader, hall.point, day, full_plan({8: 4, 9: 4}, {}, hall))
    assert (
        plan.saved is not None
        and counters_of(plan, hall.land)[8] == 4
        and counters_of(plan, hall.civil)[8] == 1
    )
    saved = StaffingPlan.objects.get()
    assert (
        saved.saved_by == hall.leader and saved.wait_target_percent == 90 and saved.wait_target_minutes == 15
    )
    assert set(saved.expected) == {str(hall.land.pk), str(hall.civil.pk)}
    assert "mean_wait" in saved.expected[str(hall.land.pk)]["hours"]["8"]
    again = staffing.save_staffing_plan(hall.leader, hall.point, day, full_plan({8: 2}, {}, hall))
    assert counters_of(again, hall.land)[8] == 2 and StaffingPlan.objects.count() == 1
    one_less = staffing.staffing_plan(hall.leader, hall.point, day)
    civil = next(g for g in one_less.groups if g.group == hall.civil)
    assert all(h.counters == 1 for h in civil.hours)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda p, hall: p[hall.land.pk].pop(8), "plan_invalid"),
        (lambda p, hall: p[hall.land.pk].update({8: -1}), "plan_invalid"),
        (lambda p, hall: p.update({999: {8: 1}}), "plan_invalid"),
        (lambda p, hall: p.pop(hall.civil.pk), "plan_invalid"),
    ],
)
def test_a_plan_must_give_every_group_and_working_hour(hall, change, code):
    counters = full_plan({}, {}, hall)
    change(counters, hall)
    with pytest.raises(ValidationFailed) as caught:
        staffing.save_staffing_plan(hall.leader, hall.point, hall.fake_clock.today(), counters)
    assert caught.value.code == code and not StaffingPlan.objects.exists()


def test_a_past_day_cannot_be_planned(hall):
    with pytest.raises(ValidationFailed) as caught:
        staffing.save_staffing_plan(hall.leader, hall.point, dt.date(2026, 11, 20), full_plan({}, {}, hall))
    assert caught.value.code == "day_past"


def test_booking_capacity_follows_the_saved_plan(hall):
    day = hall.fake_clock.today()
    before = {
        s.start.astimezone(HANOI).hour: s.capacity for s in booking.slots_for(hall.point, hall.land, day)
    }
    assert before[8] == 4 * 30 // 12 and before[13] == 3 * 30 // 12  # the counters' planned hours
    staffing.save_staffing_plan(hall.leader, hall.point, day, full_plan({8: 1, 13: 0}, {}, hall))
    slots = booking.slots_for(hall.point, hall.land, day)
    after = {s.start.astimezone(HANOI).hour: s.capacity for s in slots}
    assert after[8] == 1 * 30 // 12 and 13 not in after  # no counter planned: no slot offered
    assert after[9] == 1 * 30 // 12


def test_the_capacity_guarantee_follows_the_saved_plan(hall):
    day = hall.fake_clock.today()
    hall.fake_clock.moment = dt.datetime(2026, 11, 23, 16, 30, tzinfo=HANOI)

    def issue(n):
        return issue_ticket(
            service_point=hall.point,
            group=hall.land,
            national_id=make_national_id(province_code="001", gender="male", birth_year=1980, sequence=n),
        )

    issue(1)  # the counters' planned hours: three counters until 17:00
    staffing.save_staffing_plan(hall.leader, hall.point, day, full_plan({16: 0}, {}, hall))
    with pytest.raises(CapacityReached):
        issue(2)  # the plan: no counter for land in the last hour
    staffing.save_staffing_plan(hall.leader, hall.point, day, full_plan({16: 2}, {}, hall))
    assert issue(3).number == "B-002"


def test_after_the_day_the_plan_is_compared_with_what_happened(hall):
    day = hall.fake_clock.today()
    staffing.save_staffing_plan(hall.leader, hall.point, day, full_plan({}, {}, hall))
    # The day's tickets: the history generator serves a day like those before it.
    from motcua.demo.queue_history import generate_queue_history

    hall.fake_clock.moment = dt.datetime(2026, 11, 24, 8, 0, tzinfo=HANOI)
    from motcua.demo.queue_history import remove_queue_history
    from motcua.queueing.models import Ticket

    remove_queue_history()  # with the ratings of those tickets
    Ticket.objects.all().delete()
    generate_queue_history(hall.center, days=1)
    assert Ticket.objects.filter(day=day).exists()
    groups = staffing.plan_against_actual(hall.leader, hall.point, day)
    land = next(g for g in groups if g.group == hall.land)
    assert land.arrivals == Ticket.objects.filter(day=day, group=hall.land).count()
    assert land.served + land.sent_home <= land.arrivals and land.mean_wait is not None
    assert land.expected_mean_wait is not None
    eight = next(h for h in land.hours if h.hour == 8)
    assert eight.planned == 1 and eight.expected_within is not None and eight.arrivals > 0
