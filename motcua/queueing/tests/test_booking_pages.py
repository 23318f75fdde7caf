"""Booking pages: choose and book, confirm with the code (shown in the demo only), kiosk check-in."""

import datetime as dt
import re

import pytest

from motcua.integrations.sms.fake import OutboxSms
from motcua.queueing.models import Booking, QueueConfig, Ticket

from .conftest import citizen_id


@pytest.fixture(autouse=True)
def empty_outbox():
    OutboxSms.clear()
    yield
    OutboxSms.clear()


def choose(hall, day="2026-11-25"):
    return {"point": hall.point.pk, "procedure": "1.004227", "date": day}


def test_the_booking_page_leads_from_point_to_slots(client, hall):
    first = client.get("/queue/book/")
    assert first.status_code == 200 and "Điểm Cầu Giấy" in first.content.decode()
    assert 'name="procedure"' not in first.content.decode()
    assert "Chi nhánh số 1 – Điểm Cầu Giấy" not in first.content.decode()  # the branch is the option group
    second = client.get("/queue/book/", {"point": hall.point.pk}).content.decode()
    assert 'name="group"' not in second  # the citizen chooses the procedure, the group follows
    assert "Đăng ký thế chấp quyền sử dụng đất" in second and "Đăng ký khai sinh" in second
    assert "2026-11-25" in second and "2026-11-28" not in second  # Saturday left out
    third = client.get("/queue/book/", choose(hall)).content.decode()
    assert 'value="08:00"' in third and 'value="12:00"' not in third and "còn 7 chỗ" in third


def test_booking_then_confirming_on_the_page(client, hall, settings):
    response = client.post("/queue/book/", {**choose(hall), "time": "09:30", "national_id": citizen_id(1),
                                            "phone": "0912 345 678"})
    booking = Booking.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/queue/book/{booking.public_id}/"
    settings.DEBUG = False
    page = client.get(response["Location"]).content.decode()
    assert 'id="demo-otp"' not in page and citizen_id(1) not in page and "0912345678" not in page
    settings.DEBUG = True
    page = client.get(response["Location"]).content.decode()
    otp = re.search(r": (\d{6}) ", OutboxSms.outbox[-1].text).group(1)
    assert f"<strong>{otp}</strong>" in page
    wrong = client.post(response["Location"], {"otp": "abc"})
    assert wrong.status_code == 422 and "Còn 4 lần thử" in wrong.content.decode()
    confirmed = client.post(response["Location"], {"otp": otp, "action": "confirm"})
    assert confirmed.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "data:image/svg+xml" in page and booking.code in page and "09:30" in page and 'id="demo-otp"' not in page
    assert client.get(f"/queue/book/{booking.code}/").status_code == 404  # the short code is not the link
    client.post(response["Location"], {"action": "cancel"})
    assert Booking.objects.get().status == "cancelled"


def test_the_booking_is_for_the_procedure_chosen_and_its_group_follows(client, hall):
    response = client.post("/queue/book/", {**choose(hall), "procedure": "1.001193", "time": "09:30",
                                            "national_id": citizen_id(1), "phone": "0912345678"})
    booking = Booking.objects.get()
    assert response.status_code == 302 and booking.group == hall.civil and booking.procedure.code == "1.001193"
    assert "Đăng ký khai sinh" in client.get(response["Location"]).content.decode()


def test_a_procedure_the_point_does_not_take_is_not_offered_nor_booked(client, hall):
    from motcua.catalog.models import Field, Procedure

    other = Field.objects.create(code="y-te", name="Y tế", service_group="y-te")  # no counter serves it
    Procedure.objects.create(code="1.000001", name="Cấp chứng chỉ hành nghề", field=other, processing_days=5,
                             competent_by_commune=True)
    tied = Procedure.objects.create(code="1.000002", name="Thủ tục chỉ ở chi nhánh 4", processing_days=5,
                                    competent_by_commune=True, field=Field.objects.get(code="dat-dai"),
                                    anywhere=False, filing_branches=[4])
    page = client.get("/queue/book/", {"point": hall.point.pk}).content.decode()
    assert "Cấp chứng chỉ hành nghề" not in page and tied.name not in page
    for code in ("1.000001", "1.000002"):
        client.post("/queue/book/", {**choose(hall), "procedure": code, "time": "09:30",
                                     "national_id": citizen_id(2), "phone": "0912345678"})
    assert not Booking.objects.exists()
    api = client.post("/api/bookings", {"service_point": hall.point.pk, "procedure": "1.000001",
                                        "date": "2026-11-25", "time": "09:30", "national_id": citizen_id(2),
                                        "phone": "0912345678"}, content_type="application/json")
    assert api.status_code == 422 and api.json()["code"] == "procedure_not_served"


def test_booking_page_errors_keep_the_form_and_write_nothing(client, hall):
    response = client.post("/queue/book/", {**choose(hall), "time": "09:30", "national_id": "123",
                                            "phone": "0912345678"})
    assert response.status_code == 422 and "12 chữ số" in response.content.decode()
    assert client.post("/queue/book/", {**choose(hall), "national_id": citizen_id(1),
                                        "phone": "0912345678"}).status_code == 422
    assert client.post("/queue/book/", {"point": hall.point.pk}).status_code == 422
    assert not Booking.objects.exists()


def test_kiosk_check_in_by_national_id_prints_the_slip(kiosk_client, hall):
    client = kiosk_client
    from .test_booking_flow import make_booking

    booking = make_booking(hall, 1, at=dt.time(9, 30))
    page = client.get(f"/queue/kiosk/{hall.point.pk}/")
    assert f"/queue/kiosk/{hall.point.pk}/check-in/" in page.content.decode()
    missing = client.post(f"/queue/kiosk/{hall.point.pk}/check-in/", {"reference": "ZZZZZZZZ"})
    assert missing.status_code == 422 and "Không có lịch hẹn" in missing.content.decode()
    response = client.post(f"/queue/kiosk/{hall.point.pk}/check-in/", {"reference": citizen_id(1)})
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/queue/tickets/{ticket.token}/"
    assert ticket.booking_reference == booking.code


def test_a_priority_only_kiosk_points_to_online_booking(kiosk_client, hall):
    client = kiosk_client
    QueueConfig.objects.create(service_point=hall.point, walk_in_priority_only=True)
    response = client.post(f"/queue/kiosk/{hall.point.pk}/", {"group": hall.land.pk, "national_id": citizen_id(1)})
    body = response.content.decode()
    assert "chỉ cấp số trực tiếp cho đối tượng ưu tiên" in body and "/queue/book/?point=" in body
    assert not Ticket.objects.exists()


def test_the_booking_page_is_translated(client, hall):
    page = client.get("/queue/book/", choose(hall), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Book a queue number" in page and "Show free slots" in page and "7 places left" in page
