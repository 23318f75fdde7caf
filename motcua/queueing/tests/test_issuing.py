"""Issuing tickets: numbering, binding to a person, the daily limit, flags and the capacity cut-off."""

import pytest

from motcua.core.errors import PermissionDenied, ValidationFailed
from motcua.core.phones import normalise_mobile
from motcua.org.calendars import calendar_for
from motcua.queueing import selectors
from motcua.queueing.models import CounterState, PersonDayQuota, QueueConfig, Ticket
from motcua.queueing.services import CapacityReached, TicketLimitReached, issue_ticket

from .conftest import citizen_id


def issue(hall, n=1, group=None, **kwargs):
    kwargs.setdefault("national_id", citizen_id(n))
    return issue_ticket(service_point=hall.point, group=group or hall.land, **kwargs)


def test_numbers_run_per_group_and_day(hall):
    assert [issue(hall, n).number for n in range(1, 4)] == ["B-001", "B-002", "B-003"]
    assert issue(hall, 9, group=hall.civil).number == "A-001"
    hall.clock.advance(days=2)  # Wednesday
    assert issue(hall, 1).number == "B-001"


def test_a_ticket_is_bound_to_the_id_and_shows_only_the_last_digits(hall):
    ticket = issue(hall, 7)
    assert ticket.national_id == citizen_id(7)
    assert ticket.masked_national_id == "********" + citizen_id(7)[-4:]
    assert ticket.source == Ticket.Source.KIOSK


def test_phone_only_ticket_is_normalised(hall):
    ticket = issue(hall, national_id="", phone="+84 912 345 678")
    assert ticket.phone == "0912345678" and ticket.masked_phone.endswith("678")


@pytest.mark.parametrize("value", ["12345", "0212345678", "02412345678", "09123456789", "abc"])
def test_bad_phone_numbers_are_refused(value):
    with pytest.raises(ValidationFailed) as error:
        normalise_mobile(value)
    assert error.value.code == "phone_format"


def test_an_id_or_a_phone_is_required_and_nothing_is_written(hall):
    with pytest.raises(ValidationFailed) as error:
        issue(hall, national_id="", phone="")
    assert error.value.code == "person_required"
    with pytest.raises(ValidationFailed) as error:
        issue(hall, national_id="123")
    assert error.value.code == "national_id_format"
    assert not Ticket.objects.exists() and not PersonDayQuota.objects.exists()


def test_at_most_two_tickets_per_person_per_day_across_groups(hall):
    issue(hall, 5)
    issue(hall, 5, group=hall.civil)
    with pytest.raises(TicketLimitReached) as error:
        issue(hall, 5)
    assert error.value.status == 409 and "2" in str(error.value.message)
    assert Ticket.objects.count() == 2
    hall.clock.advance(days=2)
    assert issue(hall, 5).number == "B-001"


def test_the_limit_is_configurable(hall):
    QueueConfig.objects.create(service_point=hall.point, tickets_per_person_per_day=1)
    issue(hall, 5)
    with pytest.raises(TicketLimitReached):
        issue(hall, 5, group=hall.civil)


def test_one_phone_for_many_people_is_flagged(hall):
    tickets = [issue(hall, n, phone="0912345678") for n in range(1, 4)]
    assert [t.flagged for t in tickets] == [False, False, True]
    assert "điện thoại" in tickets[-1].flag_reason


def test_many_tickets_from_one_device_are_flagged_but_not_from_the_kiosk(hall, django_user_model):
    flagged = [issue(hall, n, device="phone-abc", source="kiosk").flagged for n in range(1, 8)]
    assert not any(flagged)
    from motcua.queueing.services.issuing import _suspicion

    assert _suspicion(hall.point, citizen_id(30), "", "phone-abc", "booking", hall.clock.today()) != ""


def test_reception_confirms_priority_and_needs_an_officer_of_the_branch(hall):
    ticket = issue(hall, 3, priority="elderly", source="reception", user=hall.officer)
    assert ticket.priority_confirmed is True and ticket.issued_by == hall.officer
    with pytest.raises(PermissionDenied):
        issue(hall, 4, source="reception", user=hall.outsider)


@pytest.mark.parametrize("field,value,code", [
    ("priority", "vip", "priority_invalid"), ("lane", "express", "lane_invalid"), ("source", "web", "source_invalid"),
])
def test_bad_choices_are_refused(hall, field, value, code):
    with pytest.raises(ValidationFailed) as error:
        issue(hall, 1, **{field: value})
    assert error.value.code == code
    assert not Ticket.objects.exists()


def test_a_group_without_counters_here_is_refused(hall):
    from motcua.org.models import ServiceGroup

    tax = ServiceGroup.objects.create(center=hall.center, code="thue", name="Thuế", letter="T")
    with pytest.raises(ValidationFailed) as error:
        issue(hall, 1, group=tax)
    assert error.value.code == "group_not_served"


def test_issuing_stops_when_the_counters_cannot_serve_more_today(hall):
    # 16:00: one hour left at three counters serving land (12 min) = 180 counter-minutes = 15 tickets.
    hall.clock.moment = hall.clock.moment.replace(hour=16)
    numbers = [issue(hall, n).number for n in range(1, 16)]
    assert numbers[-1] == "B-015"
    with pytest.raises(CapacityReached) as error:
        issue(hall, 16)
    # The refusal says when a booked visit is possible: no slot is left today (booking closes at 16:00),
    # so the first slot of the next working day.
    next_day = calendar_for(hall.center).next_working_day(hall.clock.today())
    assert error.value.code == "capacity_reached"
    assert f"08:00 ngày {next_day:%d/%m/%Y}" in str(error.value.message)
    assert error.value.details["next_slot"].startswith(f"{next_day:%Y-%m-%d}T08:00")
    assert not PersonDayQuota.objects.filter(count__gt=1).exists()


def test_without_bookable_slots_the_refusal_points_to_the_next_working_day(hall):
    hall.clock.moment = hall.clock.moment.replace(hour=16)
    QueueConfig.objects.update_or_create(service_point=hall.point, defaults={"booking_days_ahead": 0})
    for n in range(1, 16):
        issue(hall, n)
    with pytest.raises(CapacityReached) as error:
        issue(hall, 16)
    assert "ngày làm việc tiếp theo" in str(error.value.message) and error.value.details is None


def test_closing_a_counter_lowers_capacity_and_lunch_does_not_count(hall):
    hall.clock.moment = hall.clock.moment.replace(hour=16, minute=30)
    CounterState.objects.create(counter=hall.counters[2], status=CounterState.Status.CLOSED)
    assert selectors.capacity(hall.point, hall.land).counter_minutes_left == 60
    hall.clock.moment = hall.clock.moment.replace(hour=11, minute=0)
    assert selectors.capacity(hall.point, hall.land).counter_minutes_left == 2 * (60 + 240)


def test_no_tickets_after_hours_or_on_a_holiday(hall):
    hall.clock.moment = hall.clock.moment.replace(hour=17, minute=5)
    with pytest.raises(CapacityReached):
        issue(hall, 1)
    hall.clock.moment = hall.clock.moment.replace(day=28, hour=9)  # a Saturday
    with pytest.raises(CapacityReached):
        issue(hall, 1)


def test_capacity_can_be_switched_off(hall):
    QueueConfig.objects.create(service_point=hall.point, enforce_capacity=False)
    hall.clock.moment = hall.clock.moment.replace(hour=20)
    assert issue(hall, 1).number == "B-001"


def test_the_wait_estimate_is_stored_on_the_ticket(hall):
    for n in range(1, 7):
        issue(hall, n)
    sixth = Ticket.objects.get(number="B-006")
    # five ahead, three counters, 12 minutes each: three are called at once, then two more services
    # and half of one begin before this one: (5 - 3 + 0.5) x 12 / 3
    assert sixth.estimated_wait_minutes == 10
    assert selectors.ticket_estimate(sixth) == (6, 10)


def test_a_refused_ticket_gives_its_number_back(hall):
    issue(hall, 1)
    hall.clock.moment = hall.clock.moment.replace(hour=17, minute=30)
    with pytest.raises(CapacityReached):
        issue(hall, 2)
    QueueConfig.objects.create(service_point=hall.point, enforce_capacity=False)
    assert issue(hall, 2).number == "B-002"
