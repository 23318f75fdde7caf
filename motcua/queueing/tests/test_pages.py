"""Queue pages through Django's test client: kiosk, slip, console, board, announcement audio."""

import pytest

from motcua.queueing import announce, services
from motcua.queueing.models import Ticket

from .conftest import citizen_id

HX = {"HX-Request": "true"}


def test_the_kiosk_issues_and_shows_the_slip(kiosk_client, hall):
    client = kiosk_client
    page = client.get(f"/queue/kiosk/{hall.point.pk}/")
    assert page.status_code == 200 and "Lấy số thứ tự" in page.content.decode()
    response = client.post(f"/queue/kiosk/{hall.point.pk}/", {"group": hall.land.pk, "national_id": citizen_id(1),
                                                              "priority": "elderly", "lane": "in_person"})
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/queue/tickets/{ticket.token}/"
    slip = client.get(response["Location"]).content.decode()
    assert "B-001" in slip and citizen_id(1) not in slip and citizen_id(1)[-4:] in slip
    assert "thứ 1 trong hàng chờ" in slip


@pytest.mark.parametrize("data,message", [
    ({"national_id": "1"}, "chọn lĩnh vực"),
    ({"group": "x", "national_id": "1"}, "chọn lĩnh vực"),
    ({"group": "LAND", "national_id": "123"}, "12 chữ số"),
    ({"group": "LAND"}, "số định danh cá nhân hoặc số điện thoại"),
])
def test_kiosk_errors_are_shown_in_vietnamese_and_nothing_is_written(kiosk_client, hall, data, message):
    client = kiosk_client
    data = {k: (hall.land.pk if v == "LAND" else v) for k, v in data.items()}
    response = client.post(f"/queue/kiosk/{hall.point.pk}/", data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not Ticket.objects.exists()


def test_the_console_needs_an_officer_of_the_branch(client, hall):
    url = f"/queue/counters/{hall.counters[0].pk}/"
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(hall.outsider)
    assert client.get(url).status_code == 403
    assert client.post(f"{url}call-next/").status_code == 403
    client.force_login(hall.officer)
    assert client.get(url).status_code == 200
    assert client.get("/queue/counters/999/").status_code == 404


def test_the_console_calls_confirms_and_finishes_with_htmx(client, hall):
    services.issue_ticket(service_point=hall.point, group=hall.land, national_id=citizen_id(2), priority="merit")
    client.force_login(hall.officer)
    base = f"/queue/counters/{hall.counters[0].pk}/"
    panel = client.post(f"{base}call-next/", headers=HX).content.decode()
    assert 'id="console-panel"' in panel and "B-001" in panel and citizen_id(2) in panel  # the officer sees it all
    ticket = Ticket.objects.get()
    panel = client.post(f"{base}confirm/", {"ticket": ticket.pk, "identity": "yes", "priority_confirmed": "yes"},
                        headers=HX).content.decode()
    assert "đã xác nhận đúng người" in panel
    client.post(f"{base}start/", {"ticket": ticket.pk}, headers=HX)
    panel = client.post(f"{base}finish/", {"ticket": ticket.pk}, headers=HX).content.decode()
    assert "Chưa gọi số nào" in panel
    ticket.refresh_from_db()
    assert ticket.status == "done" and ticket.priority_confirmed is True and ticket.identity_confirmed_at


def test_call_next_with_a_ticket_open_asks_first_then_finishes_or_marks_it_absent(client, hall):
    for n in (1, 2, 3):
        services.issue_ticket(service_point=hall.point, group=hall.land, national_id=citizen_id(n))
    client.force_login(hall.officer)
    base = f"/queue/counters/{hall.counters[0].pk}/"
    client.post(f"{base}call-next/", headers=HX)
    first = Ticket.objects.get(number="B-001")
    asked = client.post(f"{base}call-next/", headers=HX).content.decode()
    assert 'id="still-open"' in asked and "Số B-001 vẫn đang ở quầy" in asked
    assert Ticket.objects.get(pk=first.pk).status == "called" and not Ticket.objects.filter(number="B-002",
                                                                                          status="called").exists()
    # Without JavaScript the same question is a page of its own, not a silent redirect.
    plain = client.post(f"{base}call-next/")
    assert plain.status_code == 409 and 'id="still-open"' in plain.content.decode()
    client.post(f"{base}call-next/", {"ticket": first.pk, "current": "finish"}, headers=HX)
    assert Ticket.objects.get(pk=first.pk).status == "done"
    second = Ticket.objects.get(number="B-002")
    assert second.status == "called"
    client.post(f"{base}call-next/", {"ticket": second.pk, "current": "no-show"}, headers=HX)
    assert Ticket.objects.get(pk=second.pk).status == "no_show"
    assert Ticket.objects.get(number="B-003").status == "called"
    stale = client.post(f"{base}call-next/", {"ticket": second.pk, "current": "finish"}, headers=HX)
    assert "không còn ở quầy" in stale.content.decode() and Ticket.objects.get(number="B-003").status == "called"


def test_the_api_refuses_call_next_while_a_ticket_is_open_unless_asked_to_finish_it(client, hall):
    for n in (1, 2):
        services.issue_ticket(service_point=hall.point, group=hall.land, national_id=citizen_id(n))
    client.force_login(hall.officer)
    url = f"/api/counters/{hall.counters[0].pk}/call-next"
    assert client.post(url).json()["ticket"]["number"] == "B-001"
    refused = client.post(url)
    assert refused.status_code == 409 and refused.json()["code"] == "ticket_still_open"
    assert refused.json()["details"]["ticket"] == "B-001"
    assert client.post(f"{url}?finish_current=true").json()["ticket"]["number"] == "B-002"
    assert Ticket.objects.get(number="B-001").status == "done"


def test_a_stale_console_button_says_so(client, hall):
    client.force_login(hall.officer)
    panel = client.post(f"/queue/counters/{hall.counters[0].pk}/finish/", {"ticket": "5"}, headers=HX)
    assert "không còn ở quầy" in panel.content.decode()
    assert client.post(f"/queue/counters/{hall.counters[0].pk}/explode/").status_code == 404


def test_the_board_shows_numbers_only(client, hall):
    services.issue_ticket(service_point=hall.point, group=hall.land, national_id=citizen_id(3), phone="0912345678")
    services.call_next(hall.counters[1], user=hall.officer)
    for url in (f"/queue/board/{hall.point.pk}/", f"/queue/board/{hall.point.pk}/panel/"):
        html = client.get(url).content.decode()
        assert "B-001" in html and citizen_id(3)[-4:] not in html and "0912345678" not in html
    assert "Mời công dân có số B-001 đến quầy số 2" in client.get(f"/queue/board/{hall.point.pk}/").content.decode()


def test_the_panel_for_an_event_is_rendered_once_for_every_board(client, hall, django_assert_num_queries):
    from django.core.cache import cache

    cache.clear()
    services.issue_ticket(service_point=hall.point, group=hall.land, national_id=citizen_id(4))
    url = f"/queue/board/{hall.point.pk}/panel/?v=41"
    first = client.get(url).content.decode()
    assert 'data-group="B"' in first and citizen_id(4)[-4:] not in first
    services.issue_ticket(service_point=hall.point, group=hall.land, national_id=citizen_id(5))
    with django_assert_num_queries(0):  # the next boards get the same fragment, without the database
        assert client.get(url).content.decode() == first
    assert client.get(f"/queue/board/{hall.point.pk}/panel/?v=42").content.decode() != first  # the newer event
    assert client.get(f"/queue/board/{hall.point.pk}/panel/?v=x").status_code == 200  # a bad version: as without
    assert client.get("/queue/board/999/panel/?v=43").status_code == 404


def test_a_call_event_carries_what_the_board_shows(hall, django_capture_on_commit_callbacks):
    from motcua.core.models import LiveEvent

    services.issue_ticket(service_point=hall.point, group=hall.land, national_id=citizen_id(6), phone="0912345678")
    with django_capture_on_commit_callbacks(execute=True):
        services.call_next(hall.counters[1], user=hall.officer)
    call = LiveEvent.objects.get(name="call")
    assert call.payload == {"ticket": "B-001", "counter": 2, "group": "B", "recall": False}


def test_announcement_text_and_audio(client, hall, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    assert announce.spoken_text("B-027", 5) == "Mời công dân có số bê, không hai bảy, đến quầy số 5"
    assert client.get("/queue/announcements/b-027-5.wav").status_code == 404
    response = client.get("/queue/announcements/B-027-5.wav")
    if announce.speech_available():
        assert response.status_code == 200 and response["Content-Type"] == "audio/wav"
        assert b"".join(response.streaming_content)[:4] == b"RIFF"
        assert len(list((tmp_path / "cache" / "announcements").glob("*.wav"))) == 1
    else:
        assert response.status_code == 404


def test_without_espeak_there_is_no_audio(client, hall, settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(announce.shutil, "which", lambda name: None)
    assert client.get("/queue/announcements/A-001-1.wav").status_code == 404
    assert 'data-speech="0"' in client.get(f"/queue/board/{hall.point.pk}/").content.decode()


def test_an_officer_on_the_kiosk_page_is_the_reception_desk(client, hall):
    client.force_login(hall.officer)
    page = client.get(f"/queue/kiosk/{hall.point.pk}/").content.decode()
    assert "Bàn đón tiếp" in page
    client.post(f"/queue/kiosk/{hall.point.pk}/", {"group": hall.civil.pk, "phone": "0987654321",
                                                   "priority": "pregnant"})
    ticket = Ticket.objects.get()
    assert ticket.source == "reception" and ticket.priority_confirmed is True and ticket.issued_by == hall.officer


def test_the_console_opens_a_prefilled_dossier_for_the_called_citizen(client, hall):
    services.issue_ticket(service_point=hall.point, group=hall.land, national_id=citizen_id(3))
    client.force_login(hall.officer)
    panel = client.post(f"/queue/counters/{hall.counters[0].pk}/call-next/", headers=HX).content.decode()
    assert f'href="/dossiers/receive/?ticket=B-001&amp;point={hall.point.code}"' in panel
    assert f"national_id={citizen_id(3)}" not in panel
    reception = client.get(f"/dossiers/receive/?ticket=B-001&point={hall.point.code}").content.decode()
    assert f'value="{citizen_id(3)}"' in reception
    page = client.get(f"/queue/counters/{hall.counters[0].pk}/").content.decode()
    assert f'href="/feedback/counters/{hall.counters[0].pk}/"' in page
