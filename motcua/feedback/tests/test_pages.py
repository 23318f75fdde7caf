"""The counter's rating tablet (pairing, rating once, bad input) and the staff figures page."""

import pytest

from motcua.feedback import services, views
from motcua.feedback.models import Rating

pytestmark = pytest.mark.django_db


def tablet_url(counter, part=""):
    return f"/feedback/counters/{counter.pk}/{part}"


@pytest.fixture
def paired(client, hall):
    """A tablet paired with counter 1: an officer opened the page once, then signed out."""
    client.force_login(hall.officer)
    response = client.get(tablet_url(hall.counters[0]))
    assert response.status_code == 200
    assert views.PAIRING_COOKIE in response.cookies
    cookie = response.cookies[views.PAIRING_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    client.logout()
    client.cookies[views.PAIRING_COOKIE] = cookie.value
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
    response = client.get(tablet_url(hall.counters[0]))
    assert response.status_code == 403
    assert views.PAIRING_COOKIE not in response.cookies


def test_a_pairing_is_for_one_counter_and_cannot_be_forged(paired, hall):
    assert paired.get(tablet_url(hall.counters[0])).status_code == 200
    assert paired.get(tablet_url(hall.counters[1])).status_code == 403
    paired.cookies[views.PAIRING_COOKIE] = f"{hall.counters[1].pk}:forged"
    assert paired.get(tablet_url(hall.counters[1])).status_code == 403


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
