"""The counter's rating tablet (pairing, rating once, bad input) and the staff figures page."""

import pytest

from motcua.queueing.models import Device
from motcua.queueing.pairing import DEVICE_COOKIE
from motcua.queueing.services import devices
from motcua.ratings import services
from motcua.ratings.models import Rating

pytestmark = pytest.mark.django_db


def tablet_url(counter, part=""):
    return f"/feedback/counters/{counter.pk}/{part}"


def pair(client, kind, target, name=""):
    return client.post("/queue/devices/pair/", {"kind": kind, "target": target, "name": name})


@pytest.fixture
def paired(client, hall):
    """A tablet paired with counter 1: an officer opened the page, pressed the pairing button, signed out."""
    client.force_login(hall.officer)
    page = client.get(tablet_url(hall.counters[0])).content.decode()
    assert 'id="pairing-panel"' in page and "Ghép nối thiết bị này" in page
    response = pair(client, "tablet", hall.counters[0].pk, "Máy tính bảng quầy 1")
    assert response.status_code == 302 and response["Location"] == tablet_url(hall.counters[0])
    cookie = response.cookies[DEVICE_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    client.logout()  # forgets every cookie, as a signed-out browser keeps only its own
    client.cookies[DEVICE_COOKIE] = cookie.value
    return client


def test_an_unpaired_device_cannot_use_the_tablet(client, hall):
    hall.served()
    response = client.get(tablet_url(hall.counters[0]))
    assert response.status_code == 403
    assert "chưa được ghép" in response.content.decode()
    assert client.get(tablet_url(hall.counters[0], "panel/")).status_code == 403
    assert client.post(tablet_url(hall.counters[0], "rate/"), {"score": "5"}).status_code == 403
    assert not Rating.objects.exists()


def test_an_officer_of_another_branch_cannot_pair_it(client, hall):
    client.force_login(hall.outsider)
    assert client.get(tablet_url(hall.counters[0])).status_code == 403
    response = pair(client, "tablet", hall.counters[0].pk)
    assert response.status_code == 403
    assert DEVICE_COOKIE not in response.cookies and not Device.objects.exists()


def test_opening_the_page_as_an_officer_pairs_nothing_by_itself(client, hall):
    client.force_login(hall.officer)
    response = client.get(tablet_url(hall.counters[0]))
    assert response.status_code == 200 and DEVICE_COOKIE not in response.cookies
    assert not Device.objects.exists()


def test_a_pairing_is_a_device_record_for_one_counter_and_cannot_be_forged(paired, hall):
    device = Device.objects.get()
    assert (device.kind, device.counter, device.service_point, device.created_by) == (
        "tablet", hall.counters[0], hall.point, hall.officer)
    assert device.name == "Máy tính bảng quầy 1" and device.last_seen_at is None
    assert paired.cookies[DEVICE_COOKIE].value not in device.key_hash  # only the hash is kept
    assert paired.get(tablet_url(hall.counters[0])).status_code == 200
    device.refresh_from_db()
    assert device.last_seen_at is not None
    assert paired.get(tablet_url(hall.counters[1])).status_code == 403
    paired.cookies[DEVICE_COOKIE] = "dk_forged"
    assert paired.get(tablet_url(hall.counters[0])).status_code == 403
    # The old signed cookie naming a counter no longer pairs anything.
    paired.cookies["motcua_tablet"] = str(hall.counters[0].pk)
    assert paired.get(tablet_url(hall.counters[0])).status_code == 403


def test_a_revoked_tablet_is_refused_at_once(paired, hall):
    hall.served()
    devices.revoke_device(Device.objects.get(), user=hall.officer)
    assert paired.get(tablet_url(hall.counters[0])).status_code == 403
    assert paired.get(tablet_url(hall.counters[0], "panel/")).status_code == 403
    assert paired.post(tablet_url(hall.counters[0], "rate/"), {"score": "5"}).status_code == 403
    assert not Rating.objects.exists()


def test_the_officer_unpairs_the_tablet_from_its_page(paired, hall):
    key = paired.cookies[DEVICE_COOKIE].value
    paired.force_login(hall.officer)
    paired.cookies[DEVICE_COOKIE] = key
    page = paired.get(tablet_url(hall.counters[0])).content.decode()
    device = Device.objects.get()
    assert 'id="pairing-bar"' in page and "Máy tính bảng quầy 1" in page
    response = paired.post(f"/queue/devices/{device.pk}/revoke/")
    assert response.status_code == 302 and response.cookies[DEVICE_COOKIE].value == ""
    device.refresh_from_db()
    assert device.revoked_at is not None and device.revoked_by == hall.officer


def test_the_tablet_shows_the_counter_and_its_officer_and_waits(paired, hall):
    hall.called()
    page = paired.get(tablet_url(hall.counters[0])).content.decode()
    assert "Quầy số 1 – cán bộ Hà Trần" in page
    assert "Mời quý khách đánh giá sau khi được phục vụ" in page
    assert 'hx-trigger="every 3s"' in page


def test_a_citizen_rates_once_on_the_tablet(paired, hall):
    ticket = hall.served()
    panel = paired.get(tablet_url(hall.counters[0], "panel/")).content.decode()
    assert ticket.number in panel and ticket.token in panel and "Rất hài lòng" in panel
    assert ticket.national_id not in panel
    # While the same ticket waits for its rating, polling does not redraw the form.
    assert paired.get(tablet_url(hall.counters[0], f"panel/?showing={ticket.pk}")).status_code == 204
    response = paired.post(tablet_url(hall.counters[0], "rate/"),
                           {"ticket": ticket.pk, "token": ticket.token, "score": "4", "comment": "Nhanh."},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Xin cảm ơn quý khách đã đánh giá!" in response.content.decode()
    assert Rating.objects.get().score == 4
    again = paired.post(tablet_url(hall.counters[0], "rate/"),
                        {"ticket": ticket.pk, "token": ticket.token, "score": "1"}, headers={"HX-Request": "true"})
    assert "không còn chờ đánh giá" in again.content.decode()
    assert Rating.objects.get().score == 4
    # Afterwards the tablet waits for the next service.
    assert "Mời quý khách đánh giá" in paired.get(tablet_url(hall.counters[0], "panel/")).content.decode()


@pytest.mark.parametrize("form", [
    {}, {"score": ""}, {"score": "9"}, {"score": "tốt"}, {"score": "4", "comment": "x" * 501},
    {"score": "4", "token": "wrong"}, {"score": "4", "ticket": "abc"},
])
def test_bad_input_on_the_tablet_shows_a_message_and_writes_nothing(paired, hall, form):
    ticket = hall.served()
    data = {"ticket": ticket.pk, "token": ticket.token, **form}
    response = paired.post(tablet_url(hall.counters[0], "rate/"), data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not Rating.objects.exists()


def test_the_tablet_form_works_without_javascript(paired, hall):
    ticket = hall.served()
    response = paired.post(tablet_url(hall.counters[0], "rate/"), {"ticket": ticket.pk, "token": ticket.token,
                                                                   "score": "5"})
    assert response.status_code == 200
    assert "<html" in response.content.decode() and "Xin cảm ơn" in response.content.decode()


def test_the_tablet_refuses_get_on_rate_and_unknown_counters(paired, hall):
    assert paired.get(tablet_url(hall.counters[0], "rate/")).status_code == 405
    assert paired.get("/feedback/counters/999999/").status_code == 404


def test_the_staff_page_shows_todays_figures_per_counter(client, hall):
    for score in (5, 5, 2):
        ticket = hall.served()
        services.rate_ticket(ticket.pk, token=ticket.token, score=score, comment="Chờ hơi lâu" if score == 2 else "")
    client.force_login(hall.director)
    page = client.get(f"/feedback/service-points/{hall.point.pk}/").content.decode()
    assert "66.7%" in page or "66,7%" in page
    assert "chưa đạt mục tiêu 95%" in page
    assert "Quầy 1" in page and "Quầy 2" in page and "Hà Trần" in page
    assert "Chờ hơi lâu" in page
    fragment = client.get(f"/feedback/service-points/{hall.point.pk}/", headers={"HX-Request": "true"})
    assert "<html" not in fragment.content.decode() and 'id="figures"' in fragment.content.decode()
    other_day = client.get(f"/feedback/service-points/{hall.point.pk}/?date=2026-11-22").content.decode()
    assert "Chưa có lượt đánh giá nào trong ngày." in other_day
    assert client.get(f"/feedback/service-points/{hall.point.pk}/?date=rác").status_code == 200


def test_the_staff_page_is_for_staff_only(client, hall):
    url = f"/feedback/service-points/{hall.point.pk}/"
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(hall.citizen)
    assert client.get(url).status_code == 403
    client.force_login(hall.outsider)
    assert client.get(url).status_code == 403
    client.force_login(hall.officer)
    assert client.get(url).status_code == 200
    assert client.get("/feedback/service-points/999999/").status_code == 404


def test_the_tablet_speaks_english_when_asked(paired, hall):
    ticket = hall.served()
    page = paired.get(tablet_url(hall.counters[0]), headers={"Accept-Language": "en"}).content.decode()
    assert "Counter 1 – officer Hà Trần" in page
    assert f"Are you satisfied with the service for ticket <strong>{ticket.number}</strong>?" in page
    assert "Very satisfied" in page and "Send rating" in page
