"""Booking against abuse: codes texted per phone, requests per client, parallel code guesses, a gateway down."""

import datetime as dt
import re

import pytest
from django.test import Client

from motcua.core.models import RateCounter
from motcua.integrations.sms.fake import OutboxSms
from motcua.queueing.models import Booking, BookingSlot, PersonDayQuota
from motcua.queueing.services import booking as booking_service

from .conftest import citizen_id
from .test_concurrency import run_in_threads

JSON = "application/json"
TOMORROW = "2026-11-25"
PHONE = "0912345678"


@pytest.fixture(autouse=True)
def empty_outbox():
    OutboxSms.clear()
    yield
    OutboxSms.clear()


def book(client, hall, n, phone=PHONE, time="09:00"):
    return client.post("/api/bookings", {"service_point": hall.point.pk, "group": "B", "date": TOMORROW,
                                         "time": time, "national_id": citizen_id(n), "phone": phone},
                       content_type=JSON)


def test_codes_texted_to_one_phone_are_limited_per_hour(client, hall, settings):
    settings.MOTCUA_BOOKING_RATE = "100/m"
    for n in range(1, 6):
        assert book(client, hall, n).status_code == 201
    refused = book(client, hall, 6)
    assert refused.status_code == 429 and refused.json()["code"] == "sms_limit"
    assert refused.json()["details"] == {"limit": 5, "per": "hour"}
    assert Booking.objects.count() == 5 and len(OutboxSms.messages(PHONE)) == 5
    # Another number is not affected, and the number is never stored in clear by the counter.
    assert book(client, hall, 6, phone="0987654321").status_code == 201
    assert not RateCounter.objects.filter(key_hash__contains="912345678").exists()
    hall.clock.advance(hours=1)  # the booking clock; the limit's window is the real clock
    assert book(client, hall, 7).status_code == 429


def test_codes_texted_to_one_phone_are_limited_per_day(client, hall, settings):
    settings.MOTCUA_BOOKING_RATE = "100/m"
    settings.MOTCUA_SMS_PER_PHONE_PER_HOUR = 100
    settings.MOTCUA_SMS_PER_PHONE_PER_DAY = 3
    assert [book(client, hall, n).status_code for n in range(1, 5)] == [201, 201, 201, 429]
    assert book(client, hall, 5).json()["details"] == {"limit": 3, "per": "day"}


def test_the_per_client_limit_covers_the_booking_pages_and_the_api_together(client, hall, settings):
    settings.MOTCUA_BOOKING_RATE = "3/m"
    assert book(client, hall, 1).status_code == 201
    assert book(client, hall, 2, phone="0987654321").status_code == 201
    page = client.post("/queue/book/", {"point": hall.point.pk, "procedure": "1.004227", "date": TOMORROW,
                                        "time": "09:30", "national_id": citizen_id(3), "phone": "0987654322"})
    assert page.status_code == 302
    assert book(client, hall, 4, phone="0987654323").status_code == 429
    refused_page = client.post("/queue/book/", {"point": hall.point.pk, "procedure": "1.004227", "date": TOMORROW,
                                                "time": "09:30", "national_id": citizen_id(5),
                                                "phone": "0987654324"})
    assert refused_page.status_code == 429 and "Quá nhiều yêu cầu" in refused_page.content.decode()
    # Guessing codes on the booking page counts in the same budget.
    booking = Booking.objects.first()
    guess = client.post(f"/queue/book/{booking.public_id}/", {"otp": "000000"})
    assert guess.status_code == 429 and Booking.objects.get(pk=booking.pk).otp_attempts == 0
    assert Booking.objects.count() == 3


def test_a_rotated_forwarded_for_header_does_not_reset_the_booking_limit(client, hall, settings):
    settings.MOTCUA_BOOKING_RATE = "2/m"
    answers = [client.post("/api/bookings", {"service_point": hall.point.pk, "group": "B", "date": TOMORROW,
                                             "time": "09:00", "national_id": citizen_id(n),
                                             "phone": f"09123400{n:02d}"},
                           content_type=JSON, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code
               for n in range(1, 6)]
    assert answers == [201, 201, 429, 429, 429]


def test_an_unreachable_sms_gateway_is_503_and_leaves_no_booking(client, hall, settings):
    settings.MOTCUA_SMS_GATEWAY_URL = "http://127.0.0.1:9/sms"  # nothing listens on the discard port
    settings.MOTCUA_SMS_GATEWAY_TIMEOUT = 1
    response = book(client, hall, 1)
    assert response.status_code == 503 and response.json()["code"] == "sms_unavailable"
    assert "chưa được tạo" in response.json()["message"]
    assert not Booking.objects.exists() and not BookingSlot.objects.exists() and not PersonDayQuota.objects.exists()


def test_an_unconfirmed_booking_is_not_a_place_the_citizen_can_check_in_with(hall, kiosk_client):
    body = book(Client(), hall, 1).json()
    answer = kiosk_client.post(f"/api/bookings/{body['id']}/check-in")
    assert answer.status_code == 409 and answer.json()["code"] == "booking_not_confirmed"


@pytest.mark.django_db(transaction=True)
def test_sixteen_parallel_wrong_codes_count_sixteen_and_only_the_allowed_five_are_checked(hall):
    booking = booking_service.create_booking(service_point=hall.point, group=hall.land,
                                             day=dt.date(2026, 11, 25), start=dt.time(9, 0),
                                             national_id=citizen_id(1), phone=PHONE)
    good = re.search(r": (\d{6}) ", OutboxSms.messages(PHONE)[-1].text).group(1)
    wrong = "000000" if good != "000000" else "111111"
    outcomes, copies = [], [Booking.objects.get(pk=booking.pk) for _ in range(16)]  # 16 requests, all pending

    def work(i):
        try:
            booking_service.confirm_booking(copies[i], wrong)
        except Exception as exc:  # noqa: BLE001 - the domain error's code is the outcome
            outcomes.append(getattr(exc, "code", repr(exc)))

    run_in_threads(16, work)
    booking.refresh_from_db()
    assert booking.otp_attempts == 16 and booking.status == "cancelled"
    # Four tries were told how many were left, the fifth cancelled; the other eleven were refused unchecked.
    assert sorted(outcomes) == sorted(["otp_invalid"] * 4 + ["otp_attempts_exceeded"] * 12)
    with pytest.raises(Exception) as late:
        booking_service.confirm_booking(booking, good)
    assert getattr(late.value, "code", "") == "booking_wrong_status"
    assert not BookingSlot.objects.filter(booked__gt=0).exists()
