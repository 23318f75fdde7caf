"""Booking API: slots (capacity, lunch, holidays, past and far days), booking with OTP, quota, cancel, bad input."""

import datetime as dt
import re

import pytest

from motcua.integrations.sms.fake import OutboxSms
from motcua.queueing.models import Booking, BookingSlot, PersonDayQuota, QueueConfig

from .conftest import HANOI, citizen_id

JSON = "application/json"
TOMORROW = "2026-11-25"  # Wednesday: the 24th is a holiday (Vietnamese Culture Day)


@pytest.fixture(autouse=True)
def empty_outbox():
    OutboxSms.clear()
    yield
    OutboxSms.clear()


def slots(client, hall, day=TOMORROW, group="B"):
    return client.get(f"/api/service-points/{hall.point.pk}/slots", {"date": day, "group": group})


def book(client, hall, n=1, day=TOMORROW, time="09:00", **body):
    payload = {"service_point": hall.point.pk, "group": "B", "date": day, "time": time,
               "national_id": citizen_id(n), "phone": "0912345678", **body}
    return client.post("/api/bookings", payload, content_type=JSON)


def otp_for(phone="0912345678") -> str:
    return re.search(r": (\d{6}) ", OutboxSms.messages(phone)[-1].text).group(1)


def booked_and_confirmed(client, hall, n=1, **kwargs) -> dict:
    body = book(client, hall, n, **kwargs).json()
    confirmed = client.post(f"/api/bookings/{body['id']}/confirm", {"otp": otp_for()}, content_type=JSON)
    assert confirmed.status_code == 200, confirmed.content
    return confirmed.json()


def test_slots_of_a_working_day_skip_lunch_and_derive_capacity_from_counters(client, hall):
    response = slots(client, hall)
    assert response.status_code == 200, response.content
    body = response.json()
    starts = [dt.datetime.fromisoformat(s["start"]).astimezone(HANOI).strftime("%H:%M") for s in body["slots"]]
    assert starts[0] == "08:00" and starts[-1] == "15:30" and "12:00" not in starts and "12:30" not in starts
    assert len(starts) == 14 and body["working_day"] is True
    # Group B: three counters × 30 min / 12 min = 7 places per slot; group A: two counters × 30 / 10 = 6.
    assert {s["capacity"] for s in body["slots"]} == {7} and body["slots"][0]["remaining"] == 7
    assert {s["capacity"] for s in slots(client, hall, group="tu-phap").json()["slots"]} == {6}


def test_today_lists_only_slots_still_ahead_and_a_shorter_interval_is_configurable(client, hall):
    QueueConfig.objects.create(service_point=hall.point, slot_minutes=15)
    body = slots(client, hall, day="2026-11-23").json()
    first = dt.datetime.fromisoformat(body["slots"][0]["start"]).astimezone(HANOI)
    assert first.strftime("%H:%M") == "09:15" and body["slots"][0]["capacity"] == 3  # 3 × 15 / 12


def test_days_off_and_holidays_have_no_slots(client, hall, settings):
    assert slots(client, hall, day="2026-11-28").json() == {
        "service_point": hall.point.pk, "group": "B", "date": "2026-11-28", "working_day": False, "slots": []}
    # Vietnamese Culture Day (24/11) is a working day until the operator declares it a day off.
    assert slots(client, hall, day="2026-11-24").json()["working_day"] is True
    settings.MOTCUA_CULTURE_DAY_OFF = True
    culture_day = slots(client, hall, day="2026-11-24").json()
    assert culture_day["working_day"] is False and culture_day["slots"] == []
    refused = book(client, hall, day="2026-11-24")
    assert refused.status_code == 422 and refused.json()["code"] == "slot_invalid"


def test_beyond_the_booking_window_and_past_times_are_refused(client, hall):
    assert slots(client, hall, day="2026-11-30").json()["code"] == "date_out_of_range"  # 7 days ahead
    assert slots(client, hall, day="2026-11-22").status_code == 422
    assert book(client, hall, day="2026-11-23", time="08:30").json()["code"] == "slot_invalid"
    assert book(client, hall, day=TOMORROW, time="12:00").json()["code"] == "slot_invalid"  # lunch
    assert book(client, hall, day=TOMORROW, time="16:00").json()["code"] == "slot_invalid"  # after hours
    assert book(client, hall, day=TOMORROW, time="09:10").json()["code"] == "slot_invalid"  # not a slot
    assert book(client, hall, day="2026-11-29", time="09:00").status_code == 422  # Sunday
    assert not Booking.objects.exists() and not BookingSlot.objects.exists()


def test_booking_texts_a_code_and_confirming_gives_the_time_and_a_qr(client, hall):
    response = book(client, hall)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending" and re.fullmatch(r"[A-Z2-9]{8}", body["code"])
    assert citizen_id(1) not in response.content.decode() and "0912345678" not in response.content.decode()
    assert body["national_id_masked"].endswith(citizen_id(1)[-4:]) and body["phone_masked"].endswith("678")
    assert body["arrive_at"] == "09:00 25/11/2026" and body["qr_code"].startswith("data:image/svg+xml")
    # A pending booking holds nothing: the place is taken when the code comes back.
    assert slots(client, hall).json()["slots"][2]["remaining"] == 7 and not PersonDayQuota.objects.exists()
    confirmed = client.post(f"/api/bookings/{body['id']}/confirm", {"otp": otp_for()}, content_type=JSON)
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    assert slots(client, hall).json()["slots"][2]["remaining"] == 6 and PersonDayQuota.objects.get().count == 1
    by_code = client.get(f"/api/bookings/{body['code']}").json()
    assert by_code["id"] == body["id"] and by_code["status"] == "confirmed"


def test_a_wrong_code_is_422_and_the_last_allowed_attempt_cancels(client, hall):
    body = book(client, hall).json()
    good = otp_for()
    wrong = "000000" if good != "000000" else "111111"
    for left in (4, 3, 2, 1):
        answer = client.post(f"/api/bookings/{body['id']}/confirm", {"otp": wrong}, content_type=JSON)
        assert answer.status_code == 422 and answer.json()["details"]["attempts_left"] == left
    last = client.post(f"/api/bookings/{body['id']}/confirm", {"otp": wrong}, content_type=JSON)
    assert last.status_code == 409 and last.json()["code"] == "otp_attempts_exceeded"
    assert Booking.objects.get().status == "cancelled" and not BookingSlot.objects.filter(booked__gt=0).exists()
    assert not PersonDayQuota.objects.filter(count__gt=0).exists()
    again = client.post(f"/api/bookings/{body['id']}/confirm", {"otp": good}, content_type=JSON)
    assert again.status_code == 409


def test_an_expired_code_releases_the_booking(client, hall):
    body = book(client, hall).json()
    hall.clock.advance(minutes=11)
    answer = client.post(f"/api/bookings/{body['id']}/confirm", {"otp": otp_for()}, content_type=JSON)
    assert answer.status_code == 409 and answer.json()["code"] == "otp_expired"
    assert Booking.objects.get().status == "released" and not PersonDayQuota.objects.filter(count__gt=0).exists()


def test_the_daily_limit_counts_bookings_and_counter_numbers_together(client, hall):
    from motcua.queueing import services

    services.issue_ticket(service_point=hall.point, group=hall.land, national_id=citizen_id(1))
    booked_and_confirmed(client, hall, day="2026-11-23", time="10:00")
    refused = book(client, hall, day="2026-11-23", time="10:30")
    assert refused.status_code == 409 and refused.json()["code"] == "ticket_limit_reached"
    assert Booking.objects.count() == 1
    # Another day has its own limit.
    assert book(client, hall, day=TOMORROW).status_code == 201


def test_the_daily_place_is_taken_at_confirmation_and_a_second_pending_booking_is_refused_then(client, hall):
    from motcua.queueing import services

    services.issue_ticket(service_point=hall.point, group=hall.land, national_id=citizen_id(1))
    first = book(client, hall, day="2026-11-23", time="10:00").json()
    first_otp = otp_for()
    second = book(client, hall, day="2026-11-23", time="10:30").json()  # one place left: both may ask
    assert client.post(f"/api/bookings/{first['id']}/confirm", {"otp": first_otp},
                       content_type=JSON).status_code == 200
    late = client.post(f"/api/bookings/{second['id']}/confirm", {"otp": otp_for()}, content_type=JSON)
    assert late.status_code == 409 and late.json()["code"] == "ticket_limit_reached"
    assert Booking.objects.get(public_id=second["id"]).status == "released"
    assert PersonDayQuota.objects.get().count == 2 and BookingSlot.objects.get().booked == 1


def test_cancelling_frees_the_slot_and_the_daily_place(client, hall):
    body = booked_and_confirmed(client, hall)
    assert PersonDayQuota.objects.get().count == 1
    response = client.delete(f"/api/bookings/{body['id']}")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert BookingSlot.objects.get().booked == 0 and PersonDayQuota.objects.get().count == 0
    assert client.post(f"/api/bookings/{body['id']}/cancel").json()["code"] == "booking_wrong_status"
    assert BookingSlot.objects.get().booked == 0


def test_a_full_slot_answers_409(client, hall):
    QueueConfig.objects.create(service_point=hall.point, slot_minutes=15)  # 3 places
    for n in (1, 2, 3):
        booked_and_confirmed(client, hall, n)
    full = book(client, hall, 4)
    assert full.status_code == 409 and full.json()["code"] == "slot_full"
    assert Booking.objects.count() == 3 and PersonDayQuota.objects.filter(count__gt=0).count() == 3


def test_unconfirmed_requests_cannot_fill_a_slot_and_a_late_confirmation_gets_slot_taken(client, hall):
    QueueConfig.objects.create(service_point=hall.point, slot_minutes=15)  # 3 places
    pending = []
    for n in range(1, 5):
        body = book(client, hall, n, phone=f"09123450{n:02d}").json()
        pending.append((body["id"], otp_for(f"09123450{n:02d}")))
    assert slots(client, hall).json()["slots"][4]["remaining"] == 3  # 4 asked, none confirmed: all free
    answers = [client.post(f"/api/bookings/{bid}/confirm", {"otp": otp}, content_type=JSON) for bid, otp in pending]
    assert [a.status_code for a in answers] == [200, 200, 200, 409]
    assert answers[-1].json()["code"] == "slot_taken"
    assert Booking.objects.get(public_id=pending[-1][0]).status == "released"
    assert BookingSlot.objects.get().booked == 3 and PersonDayQuota.objects.filter(count__gt=0).count() == 3


def test_an_unconfirmed_request_expires_within_the_hold_and_is_released_by_the_job(client, hall, settings):
    from motcua.queueing.services.check_in import release_expired

    settings.MOTCUA_BOOKING_HOLD_MINUTES = 5
    body = book(client, hall).json()
    assert "5 phut" in OutboxSms.messages("0912345678")[-1].text
    hall.clock.advance(minutes=4)
    assert release_expired() == 0
    hall.clock.advance(minutes=2)
    assert release_expired() == 1 and Booking.objects.get(public_id=body["id"]).status == "released"
    assert not BookingSlot.objects.filter(booked__gt=0).exists()


@pytest.mark.parametrize(("body", "status", "code"), [
    ({"national_id": ""}, 422, "national_id_required"),
    ({"national_id": "12345"}, 422, "national_id_format"),
    ({"phone": ""}, 422, "phone_required"),
    ({"phone": "12345"}, 422, "phone_format"),
    ({"group": "Z"}, 422, "group_not_found"),
    ({"date": "24/11/2026"}, 422, "date_format"),
    ({"time": "nine"}, 422, "time_format"),
    ({"service_point": 999999}, 404, "service_point_not_found"),
    ({"date": "2026-12-24"}, 422, "date_out_of_range"),
])
def test_bad_booking_input_is_refused_and_nothing_is_written(client, hall, body, status, code):
    response = book(client, hall, **body)
    assert response.status_code == status and response.json()["code"] == code, response.content
    assert not Booking.objects.exists() and not BookingSlot.objects.exists()
    assert not PersonDayQuota.objects.exists() and not OutboxSms.outbox


def test_bad_input_on_the_other_endpoints(client, hall):
    point = hall.point.pk
    assert client.get(f"/api/service-points/{point}/slots", {"date": TOMORROW}).json()["code"] == "group_not_found"
    assert client.get(f"/api/service-points/{point}/slots", {"group": "B"}).json()["code"] == "date_format"
    assert client.get("/api/service-points/999999/slots", {"group": "B", "date": TOMORROW}).status_code == 404
    for method, path in (("post", "/api/bookings/nope/confirm"), ("delete", "/api/bookings/nope"),
                         ("get", "/api/bookings/nope")):
        answer = getattr(client, method)(path, *([{"otp": "123456"}] if method == "post" else []),
                                         **({"content_type": JSON} if method == "post" else {}))
        assert answer.status_code == 404 and answer.json()["code"] == "booking_not_found"
    body = book(client, hall).json()
    assert client.post(f"/api/bookings/{body['id']}/confirm", "{", content_type=JSON).status_code in (400, 422)
    assert client.post(f"/api/bookings/{body['id']}/confirm", {"otp": "12"}, content_type=JSON).status_code == 422
    assert client.post(f"/api/bookings/{body['id']}/check-in").status_code == 401  # at the hall only
    client.force_login(hall.officer)
    assert client.post("/api/bookings/nope/check-in").json()["code"] == "booking_not_found"
    unconfirmed = client.post(f"/api/bookings/{body['id']}/check-in")
    assert unconfirmed.status_code == 409 and unconfirmed.json()["code"] == "booking_not_confirmed"
    assert not Booking.objects.filter(status="checked_in").exists()
