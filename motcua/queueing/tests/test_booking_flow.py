"""Booked citizens at the center: check-in window, calling order, release of no-shows, reminders, races."""

import datetime as dt
import re

import pytest
from django.core.management import call_command

from motcua.core.errors import Conflict
from motcua.integrations.sms.fake import OutboxSms
from motcua.org.models import Counter
from motcua.org.tests.factories import make_point
from motcua.queueing import services
from motcua.queueing.models import Booking, BookingSlot, PersonDayQuota, QueueConfig, Ticket
from motcua.queueing.services import booking as booking_service
from motcua.queueing.services import check_in as check_in_service

from .conftest import citizen_id
from .test_concurrency import run_in_threads

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def empty_outbox():
    OutboxSms.clear()
    yield
    OutboxSms.clear()


def make_booking(hall, n=1, at=dt.time(9, 30), day=TODAY, group=None, confirm=True) -> Booking:
    phone = f"09123456{n:02d}"
    booking = booking_service.create_booking(service_point=hall.point, group=group or hall.land, day=day, start=at,
                                             national_id=citizen_id(n), phone=phone)
    if confirm:
        otp = re.search(r": (\d{6}) ", OutboxSms.messages(phone)[-1].text).group(1)
        booking_service.confirm_booking(booking, otp)
    return booking


def walk_in(hall, n, **kwargs) -> Ticket:
    return services.issue_ticket(service_point=hall.point, group=hall.land, national_id=citizen_id(n), **kwargs)


def test_check_in_is_open_from_before_the_slot_and_issues_one_booked_ticket(hall):
    booking = make_booking(hall, at=dt.time(10, 0))
    with pytest.raises(Conflict) as early:
        check_in_service.check_in(booking)
    assert early.value.code == "check_in_too_early" and "09:30" in str(early.value.message)
    hall.clock.advance(minutes=30)
    ticket = check_in_service.check_in(booking)
    assert ticket.source == "booking" and ticket.booking_reference == booking.code and ticket.number == "B-001"
    assert ticket.booked_for == booking.starts_at and ticket.national_id == citizen_id(1)
    assert Booking.objects.get().status == "checked_in" and Booking.objects.get().ticket == ticket
    assert PersonDayQuota.objects.get().count == 1  # the booking's place, not a second one
    assert check_in_service.check_in(Booking.objects.get()) == ticket and Ticket.objects.count() == 1


def test_check_in_after_the_grace_period_releases_the_booking(hall):
    booking = make_booking(hall, at=dt.time(9, 30))
    hall.clock.advance(minutes=46)  # 9:46, grace ends 9:45
    with pytest.raises(Conflict) as late:
        check_in_service.check_in(booking)
    assert late.value.code == "booking_expired"
    assert Booking.objects.get().status == "released" and BookingSlot.objects.get().booked == 0
    assert not Ticket.objects.exists()


def test_check_in_through_the_api_by_code_and_at_the_wrong_point(client, hall):
    booking = make_booking(hall, at=dt.time(9, 30))
    other = make_point(hall.branch, "cn-1-khac", name="Điểm khác", address="x")
    with pytest.raises(Conflict) as wrong:
        check_in_service.check_in(booking, service_point=other)
    assert wrong.value.code == "wrong_service_point"
    assert client.post(f"/api/bookings/{booking.code.lower()}/check-in").status_code == 401  # not from home
    client.force_login(hall.officer)  # the reception desk
    response = client.post(f"/api/bookings/{booking.code.lower()}/check-in")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "checked_in" and response.json()["ticket_number"] == "B-001"
    assert citizen_id(1) not in response.content.decode()
    found = check_in_service.find_for_check_in(hall.point, citizen_id(1))
    assert found.pk == booking.pk


def test_a_booked_ticket_is_called_at_its_slot_ahead_of_walk_ins_of_its_class(hall):
    first, second = walk_in(hall, 1), walk_in(hall, 2)
    booking = make_booking(hall, 3, at=dt.time(9, 30))
    hall.clock.advance(minutes=20)  # 9:20: checked in early
    booked = check_in_service.check_in(booking)
    counter = hall.counters[2]
    hall.clock.advance(minutes=5)  # 9:25: the slot has not started, the booked ticket waits its turn
    assert services.call_next(counter, user=hall.officer, finish_current=True) == first
    hall.clock.advance(minutes=5)  # 9:30: its slot has started
    from motcua.queueing import selectors

    assert selectors.ticket_estimate(Ticket.objects.get(pk=booked.pk))[0] == 1
    assert selectors.ticket_estimate(Ticket.objects.get(pk=second.pk))[0] == 2
    priority = walk_in(hall, 4, priority="elderly")
    # Priority first (as the policy says), then booked tickets whose slot has come, then walk-ins.
    assert services.call_next(counter, user=hall.officer, finish_current=True) == priority
    assert services.call_next(counter, user=hall.officer, finish_current=True) == booked
    assert services.call_next(counter, user=hall.officer, finish_current=True) == second


def test_a_point_for_priority_walk_ins_only_refuses_other_walk_ins_but_not_bookings(hall):
    QueueConfig.objects.create(service_point=hall.point, walk_in_priority_only=True)
    with pytest.raises(Conflict) as refused:
        walk_in(hall, 1)
    assert refused.value.code == "walk_in_priority_only" and "đặt lịch" in str(refused.value.message)
    assert walk_in(hall, 2, priority="disability").priority == "disability"
    assert walk_in(hall, 3, source="reception", user=hall.officer).source == "reception"
    booking = make_booking(hall, 4, at=dt.time(9, 30))
    assert check_in_service.check_in(booking).source == "booking"


def test_release_command_frees_no_shows_and_unconfirmed_bookings(hall):
    no_show = make_booking(hall, 1, at=dt.time(9, 30))
    unconfirmed = make_booking(hall, 2, at=dt.time(11, 0), confirm=False)
    later = make_booking(hall, 3, at=dt.time(11, 0))
    hall.clock.advance(minutes=44)
    call_command("release_bookings")
    assert Booking.objects.get(pk=no_show.pk).status == "confirmed"  # 9:44: still in its grace period
    assert Booking.objects.get(pk=unconfirmed.pk).status == "released"  # its code expired at 9:10
    hall.clock.advance(minutes=2)
    call_command("release_bookings")
    assert Booking.objects.get(pk=no_show.pk).status == "released"
    assert Booking.objects.get(pk=later.pk).status == "confirmed"
    assert BookingSlot.objects.get(starts_at=no_show.starts_at).booked == 0
    assert BookingSlot.objects.get(starts_at=later.starts_at).booked == 1
    quotas = {q.key: q.count for q in PersonDayQuota.objects.all()}
    from motcua.queueing.services.issuing import person_key

    assert quotas[person_key(citizen_id(1), "")] == 1  # a no-show keeps its daily place
    assert person_key(citizen_id(2), "") not in quotas  # an unconfirmed booking never took one
    assert check_in_service.release_expired() == 0


def test_reminders_are_sent_once_before_the_slot(hall):
    booking = make_booking(hall, 1, at=dt.time(10, 30))
    make_booking(hall, 2, at=dt.time(10, 30), confirm=False)
    OutboxSms.clear()
    assert check_in_service.send_reminders() == 0  # 9:00, 90 minutes before
    hall.clock.advance(minutes=30)
    call_command("send_booking_reminders")
    assert len(OutboxSms.outbox) == 1
    message = OutboxSms.outbox[0]
    assert message.phone == booking.phone and booking.code in message.text and "10:30" in message.text
    call_command("send_booking_reminders")
    assert check_in_service.send_reminders() == 0 and len(OutboxSms.outbox) == 1
    assert Booking.objects.get(pk=booking.pk).reminded_at is not None


@pytest.mark.django_db(transaction=True)
def test_eight_people_confirming_for_the_last_place_one_gets_it_the_others_409(hall):
    Counter.objects.filter(pk__in=[c.pk for c in hall.counters[1:]]).update(is_active=False)
    QueueConfig.objects.create(service_point=hall.point, slot_minutes=15)  # 1 counter × 15 / 12 = 1 place
    asked = []
    for i in range(8):  # asking holds nothing: all eight get a code
        phone = f"09876543{i:02d}"
        booking = booking_service.create_booking(service_point=hall.point, group=hall.land, day=TODAY,
                                                 start=dt.time(10, 0), national_id=citizen_id(10 + i), phone=phone)
        asked.append((booking, re.search(r": (\d{6}) ", OutboxSms.messages(phone)[-1].text).group(1)))
    outcomes = []

    def work(i):
        booking, otp = asked[i]
        try:
            booking_service.confirm_booking(booking, otp)
            outcomes.append("confirmed")
        except Conflict as exc:
            outcomes.append(exc.code)

    run_in_threads(8, work)
    assert sorted(outcomes) == ["confirmed"] + ["slot_taken"] * 7
    assert Booking.objects.filter(status="confirmed").count() == 1 and BookingSlot.objects.get().booked == 1
    assert Booking.objects.filter(status="released").count() == 7
    assert sum(PersonDayQuota.objects.values_list("count", flat=True)) == 1


def test_the_api_refuses_early_check_in_and_non_priority_walk_ins_clearly(kiosk_client, hall):
    client = kiosk_client
    booking = make_booking(hall, 1, at=dt.time(11, 0))
    early = client.post(f"/api/bookings/{booking.public_id}/check-in")
    assert early.status_code == 409 and early.json()["code"] == "check_in_too_early"
    assert "10:30" in early.json()["message"] and not Ticket.objects.exists()
    QueueConfig.objects.create(service_point=hall.point, walk_in_priority_only=True)
    refused = client.post(f"/api/service-points/{hall.point.pk}/tickets", {"group": "B", "national_id": citizen_id(2)},
                          content_type="application/json")
    assert refused.status_code == 409 and refused.json()["code"] == "walk_in_priority_only"
    assert not Ticket.objects.exists() and Booking.objects.get().status == "confirmed"
