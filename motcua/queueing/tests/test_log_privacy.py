"""The queue journeys leave no ID or phone number, booking code, booking link or ticket token in any log line."""

import re

from motcua.integrations.sms.fake import OutboxSms
from motcua.queueing.models import Booking, Ticket
from motcua.queueing.services import check_in as check_in_service

from .conftest import citizen_id

JSON = "application/json"
PHONE = "0912345678"


def test_tickets_bookings_and_check_in_leave_no_personal_number_or_secret_in_the_logs(
        client, kiosk_client, kiosk, hall, written_logs):
    OutboxSms.clear()
    key = kiosk.key
    issued = client.post(f"/api/service-points/{hall.point.pk}/tickets", {"group": "A", "phone": "0987654321"},
                         content_type=JSON, headers={"X-Device-Key": key})
    assert issued.status_code == 201, issued.content
    ticket = Ticket.objects.get()
    client.get(f"/queue/tickets/{ticket.token}/")
    client.get(f"/api/tickets/by-token/{ticket.token}")
    booked = client.post("/api/bookings", {"service_point": hall.point.pk, "group": "B", "date": "2026-11-23",
                                           "time": "09:30", "national_id": citizen_id(1), "phone": PHONE},
                         content_type=JSON)
    assert booked.status_code == 201, booked.content
    booking = Booking.objects.get()
    otp = re.search(r": (\d{6}) ", OutboxSms.messages(PHONE)[-1].text).group(1)
    client.get(f"/queue/book/{booking.public_id}/")
    client.post(f"/queue/book/{booking.public_id}/", {"otp": "000000" if otp != "000000" else "111111"})
    assert client.post(f"/api/bookings/{booking.public_id}/confirm", {"otp": otp},
                       content_type=JSON).status_code == 200
    client.get(f"/api/bookings/{booking.code}")
    hall.clock.advance(minutes=5)
    check_in_service.send_reminders()
    checked_in = kiosk_client.post(f"/queue/kiosk/{hall.point.pk}/check-in/", {"reference": booking.code})
    assert checked_in.status_code == 302
    text = written_logs.getvalue()
    assert "booking #" in text and "fake SMS to" in text  # the journeys were logged, by row id
    booking.refresh_from_db()
    for secret in (PHONE, "0987654321", citizen_id(1), booking.code, booking.public_id, ticket.token,
                   booking.ticket.token, key):
        assert secret not in text, secret
