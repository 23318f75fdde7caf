"""The queue API: the contract paths, clear 4xx answers on bad input, and nothing written then."""

import pytest

from motcua.core.models import LiveEvent
from motcua.queueing.models import PersonDayQuota, Ticket

from .conftest import citizen_id

JSON = "application/json"


@pytest.fixture
def officer_client(client, hall):
    client.force_login(hall.officer)
    return client


def post_ticket(client, hall, headers=None, **body):
    body.setdefault("group", "B")
    return client.post(f"/api/service-points/{hall.point.pk}/tickets", body, content_type=JSON, headers=headers)


def test_a_kiosk_takes_a_number_with_position_and_wait(kiosk_client, hall):
    client = kiosk_client
    response = post_ticket(client, hall, national_id=citizen_id(1), priority="elderly")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"] == "B-001" and body["position"] == 1 and body["estimated_wait_minutes"] == 0
    assert body["source"] == "kiosk" and body["priority"] == "elderly"
    assert citizen_id(1) not in response.content.decode()
    assert body["national_id_masked"].endswith(citizen_id(1)[-4:])
    second = post_ticket(client, hall, group="dat-dai", phone="0912345678").json()
    assert second["position"] == 2 and second["estimated_wait_minutes"] == 0  # one ahead, three free counters
    mine = client.get(f"/api/tickets/by-token/{second['token']}").json()
    assert mine["number"] == "B-002" and mine["position"] == 2


def test_an_officer_issues_from_the_reception_desk(officer_client, hall):
    body = post_ticket(officer_client, hall, national_id=citizen_id(2), priority="merit").json()
    assert body["source"] == "reception"
    assert Ticket.objects.get().priority_confirmed is True


@pytest.mark.parametrize("body,status,code", [
    ({}, 422, "person_required"),
    ({"national_id": "12345"}, 422, "national_id_format"),
    ({"national_id": "999012345678"}, 422, "national_id_province"),
    ({"phone": "12"}, 422, "phone_format"),
    ({"national_id": citizen_id(1), "group": "Z"}, 422, "group_not_found"),
    ({"national_id": citizen_id(1), "group": ""}, 422, "group_not_found"),
    ({"national_id": citizen_id(1), "priority": "vip"}, 422, "priority_invalid"),
    ({"national_id": citizen_id(1), "lane": "x"}, 422, "lane_invalid"),
    ({"national_id": 12}, 422, "validation_failed"),
])
def test_bad_ticket_requests_are_refused_and_nothing_is_written(kiosk_client, hall, body, status, code):
    client = kiosk_client
    response = post_ticket(client, hall, **body)
    assert response.status_code == status, response.content
    assert response.json()["code"] == code and response.json()["message"]
    assert not Ticket.objects.exists() and not PersonDayQuota.objects.exists() and not LiveEvent.objects.exists()


def test_malformed_json_and_unknown_point(kiosk_client, hall):
    client = kiosk_client
    response = client.post(f"/api/service-points/{hall.point.pk}/tickets", "{nope", content_type=JSON)
    assert response.status_code in (400, 422)
    response = client.post("/api/service-points/9999/tickets", {"group": "B", "phone": "0912345678"},
                           content_type=JSON)
    assert response.status_code == 404 and response.json()["code"] == "service_point_not_found"
    assert not Ticket.objects.exists()


def test_the_third_ticket_of_the_day_is_refused(kiosk_client, hall):
    client = kiosk_client
    for _ in range(2):
        assert post_ticket(client, hall, national_id=citizen_id(3)).status_code == 201
    response = post_ticket(client, hall, national_id=citizen_id(3))
    assert response.status_code == 409 and response.json()["code"] == "ticket_limit_reached"
    assert Ticket.objects.count() == 2


def test_capacity_cut_off_answers_409_in_vietnamese(kiosk_client, hall):
    client = kiosk_client
    hall.clock.moment = hall.clock.moment.replace(hour=17, minute=30)
    response = post_ticket(client, hall, national_id=citizen_id(4))
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "capacity_reached" and "Khung giờ đặt lịch còn trống gần nhất" in body["message"]
    assert body["details"]["next_slot"] > hall.clock.now().isoformat()
    assert not Ticket.objects.exists()


def test_call_next_and_the_ticket_actions(officer_client, hall):
    post_ticket(officer_client, hall, national_id=citizen_id(5))
    counter = hall.counters[0]
    response = officer_client.post(f"/api/counters/{counter.pk}/call-next", content_type=JSON)
    assert response.status_code == 200
    body = response.json()
    assert body["ticket"]["number"] == "B-001" and body["ticket"]["national_id"] == citizen_id(5)
    assert body["message"] == "Mời công dân có số B-001 đến quầy số 1"
    ticket_id = body["ticket"]["id"]
    for action, status in [("recall", "called"), ("start", "serving"), ("finish", "done")]:
        response = officer_client.post(f"/api/tickets/{ticket_id}/{action}", content_type=JSON)
        assert response.status_code == 200 and response.json()["status"] == status
    response = officer_client.post(f"/api/tickets/{ticket_id}/no-show", content_type=JSON)
    assert response.status_code == 409 and response.json()["code"] == "ticket_wrong_status"
    empty = officer_client.post(f"/api/counters/{counter.pk}/call-next", content_type=JSON).json()
    assert empty["ticket"] is None and "Không còn ai" in empty["message"]


def test_transfer_and_confirm_through_the_api(officer_client, hall):
    post_ticket(officer_client, hall, national_id=citizen_id(6), priority="pregnant")
    called = officer_client.post(f"/api/counters/{hall.counters[0].pk}/call-next", content_type=JSON).json()["ticket"]
    url = f"/api/tickets/{called['id']}"
    response = officer_client.post(f"{url}/confirm", {}, content_type=JSON)
    assert response.status_code == 422 and response.json()["code"] == "identity_matches_required"
    response = officer_client.post(f"{url}/confirm", {"identity_matches": True, "priority_confirmed": False},
                                   content_type=JSON)
    assert response.json()["priority_confirmed"] is False
    for body, status, code in [({"counter": 99}, 404, "counter_not_found"), ({"group": "Q"}, 422, "group_not_found"),
                               ({}, 422, "transfer_target_required")]:
        response = officer_client.post(f"{url}/transfer", body, content_type=JSON)
        assert (response.status_code, response.json()["code"]) == (status, code)
    response = officer_client.post(f"{url}/transfer", {"counter": 3}, content_type=JSON)
    assert response.status_code == 200 and response.json()["status"] == "waiting"


def test_actions_need_an_officer_of_the_branch(client, hall, kiosk, django_user_model):
    response = post_ticket(client, hall, national_id=citizen_id(7), headers={"X-Device-Key": kiosk.key})
    ticket_id = response.json()["id"]
    assert client.post(f"/api/counters/{hall.counters[0].pk}/call-next", content_type=JSON).status_code == 401
    assert client.post(f"/api/tickets/{ticket_id}/start", content_type=JSON).status_code == 401
    client.force_login(hall.outsider)
    response = client.post(f"/api/counters/{hall.counters[0].pk}/call-next", content_type=JSON)
    assert response.status_code == 403 and response.json()["code"] == "not_branch_officer"
    assert client.post(f"/api/tickets/{ticket_id}/recall", content_type=JSON).status_code == 403
    assert Ticket.objects.get().status == "waiting"


def test_unknown_things_are_404(officer_client, hall):
    assert officer_client.post("/api/counters/999/call-next", content_type=JSON).json()["code"] == "counter_not_found"
    assert officer_client.post("/api/tickets/999/start", content_type=JSON).json()["code"] == "ticket_not_found"
    assert officer_client.post("/api/tickets/1/explode", content_type=JSON).json()["code"] == "unknown_action"
    assert officer_client.post(f"/api/counters/{hall.counters[0].pk}/explode", content_type=JSON).json()["code"] == "unknown_action"
    assert officer_client.get("/api/service-points/999/board").status_code == 404
    assert officer_client.get("/api/service-points/999/events").status_code == 404
    assert officer_client.get("/api/tickets/by-token/nope").status_code == 404


def test_pause_and_resume_a_counter(officer_client, hall):
    url = f"/api/counters/{hall.counters[0].pk}"
    assert officer_client.post(f"{url}/pause").json()["status"] == "paused"
    response = officer_client.post(f"{url}/call-next")
    assert response.status_code == 409 and response.json()["code"] == "counter_not_open"
    assert officer_client.post(f"{url}/pause").status_code == 409
    assert officer_client.post(f"{url}/resume").json()["status"] == "open"


def test_the_board_is_public_and_shows_numbers_only(client, officer_client, hall):
    post_ticket(client, hall, national_id=citizen_id(8), phone="0987654321")
    officer_client.post(f"/api/counters/{hall.counters[1].pk}/call-next", content_type=JSON)
    client.logout()
    response = client.get(f"/api/service-points/{hall.point.pk}/board")
    assert response.status_code == 200
    body = response.json()
    assert body["counters"][1]["ticket"] == "B-001" and body["latest_calls"][0]["counter"] == 2
    text = response.content.decode()
    assert citizen_id(8) not in text and "0987654321" not in text and citizen_id(8)[-4:] not in text
