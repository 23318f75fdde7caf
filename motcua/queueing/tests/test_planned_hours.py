"""Counters' planned hours: booking slots, the daily capacity guarantee and the wait count the counters
planned to be open then (`org.Counter.planned_periods`), not every counter of the group all day."""

import datetime as dt
import re

import pytest

from motcua.core.errors import ValidationFailed
from motcua.integrations.sms.fake import OutboxSms
from motcua.org.models import Counter
from motcua.queueing import selectors
from motcua.queueing.models import CounterState
from motcua.queueing.services import CapacityReached, issue_ticket
from motcua.queueing.services import booking as booking_service

from .conftest import citizen_id

TODAY = dt.date(2026, 11, 23)  # the hall's Monday
MORNING = [["08:00", "12:00"]]


def plan_hours(counter, periods):
    Counter.objects.filter(pk=counter.pk).update(planned_periods=periods)


def at(hall, hour, minute=0):
    hall.clock.moment = hall.clock.moment.replace(hour=hour, minute=minute)


def capacities(hall):
    return {s.start.strftime("%H:%M"): s.capacity for s in booking_service.slots_for(hall.point, hall.land, TODAY)}


def test_a_morning_only_counter_leaves_the_afternoon_slots_to_the_others(hall):
    plan_hours(hall.counters[2], MORNING)  # counter 3 serves land only, in the morning
    slots = capacities(hall)
    assert slots["11:30"] == 3 * 30 // 12  # the three land counters
    assert slots["13:00"] == slots["15:30"] == 2 * 30 // 12  # counters 1 and 2 only


def test_a_slot_outside_every_counters_hours_is_not_offered(hall):
    for counter in hall.counters:
        plan_hours(counter, [["08:00", "10:00"], ["14:00", "17:00"]])
    slots = capacities(hall)
    assert "10:00" not in slots and "13:30" not in slots
    assert "09:30" in slots and "14:00" in slots and slots["14:00"] == 3 * 30 // 12
    with pytest.raises(ValidationFailed) as refused:
        booking_service.create_booking(service_point=hall.point, group=hall.land, day=TODAY, start=dt.time(10, 30),
                                       national_id=citizen_id(1), phone="0912345601")
    assert refused.value.code == "slot_invalid"


def test_confirming_takes_a_place_only_within_the_planned_capacity_of_the_slot(hall):
    plan_hours(hall.counters[1], MORNING)
    plan_hours(hall.counters[2], MORNING)
    assert capacities(hall)["14:00"] == 1 * 30 // 12 == 2  # counter 1 alone in the afternoon
    codes = []
    for n in (1, 2, 3):
        phone = f"09123456{n:02d}"
        booking = booking_service.create_booking(service_point=hall.point, group=hall.land, day=TODAY,
                                                 start=dt.time(14, 0), national_id=citizen_id(n), phone=phone)
        codes.append((booking, re.search(r": (\d{6}) ", OutboxSms.messages(phone)[-1].text).group(1)))
    booking_service.confirm_booking(*codes[0])
    booking_service.confirm_booking(*codes[1])
    with pytest.raises(booking_service.SlotTaken):
        booking_service.confirm_booking(*codes[2])


def test_the_daily_capacity_counts_counter_hours(hall):
    plan_hours(hall.counters[2], MORNING)
    at(hall, 11)
    # counters 1 and 2: 60 min this morning + 240 this afternoon; counter 3: 60 min this morning.
    assert selectors.capacity(hall.point, hall.land).counter_minutes_left == 2 * (60 + 240) + 60
    at(hall, 14)
    assert selectors.capacity(hall.point, hall.land).counter_minutes_left == 2 * 180


def test_no_walk_in_ticket_once_every_counters_planned_hours_are_over(hall):
    for counter in hall.counters:
        plan_hours(counter, MORNING)
    at(hall, 13, 30)  # the center works until 17:00, but not one counter is planned this afternoon
    with pytest.raises(CapacityReached):
        issue_ticket(service_point=hall.point, group=hall.land, national_id=citizen_id(1))


def test_the_wait_counts_the_counters_planned_to_be_open_now(hall):
    plan_hours(hall.counters[2], MORNING)
    assert selectors.group_status(hall.point, hall.land).open_counters == 3  # 9:00
    at(hall, 14)
    assert selectors.group_status(hall.point, hall.land).open_counters == 2  # counter 3 went home, not closed
    assert not CounterState.objects.filter(counter=hall.counters[2], status=CounterState.Status.CLOSED).exists()


def test_over_lunch_the_wait_counts_the_counters_planned_for_the_afternoon(hall):
    plan_hours(hall.counters[2], MORNING)
    plan_hours(hall.counters[1], [["13:00", "17:00"]])
    at(hall, 12, 30)
    assert selectors.group_status(hall.point, hall.land).open_counters == 2  # counters 1 and 2 at 13:00
    at(hall, 17, 30)
    assert selectors.group_status(hall.point, hall.land).wait_minutes is None  # every counter's hours are over


def test_a_tickets_estimated_wait_uses_the_counters_planned_now(hall):
    plan_hours(hall.counters[2], MORNING)
    at(hall, 14)
    for n in range(1, 5):
        issue_ticket(service_point=hall.point, group=hall.land, national_id=citizen_id(n))
    fifth = issue_ticket(service_point=hall.point, group=hall.land, national_id=citizen_id(5))
    # four ahead, 12 minutes each, shared by counters 1 and 2 (not 3): (4 - 2 + 0.5) x 12 / 2 = 15
    # minutes, not (4 - 3 + 0.5) x 12 / 3 = 6.
    assert fifth.estimated_wait_minutes == 15


def test_the_api_lists_each_counters_planned_hours(client, hall):
    plan_hours(hall.counters[2], MORNING)
    listed = client.get(f"/api/service-points/{hall.point.pk}/counters").json()
    assert [c["planned_periods"] for c in listed] == [
        [["08:00", "12:00"], ["13:00", "17:00"]], [["08:00", "12:00"], ["13:00", "17:00"]], MORNING]
    point = client.get(f"/api/service-points/{hall.point.pk}").json()
    assert point["counters"][2]["planned_periods"] == MORNING
