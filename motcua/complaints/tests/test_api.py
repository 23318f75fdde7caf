"""POST /api/complaints: anonymous JSON, no CSRF token, limited per client → 201 {code, tracking_key, due_at}."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

BODY = {"subject": "Chậm trả kết quả", "content": "Hồ sơ quá hạn.", "name": "Lê Văn Nam", "phone": "0987654321"}


def post(body, **extra):
    return Client(enforce_csrf_checks=True).post("/api/complaints", body, content_type="application/json", **extra)


def test_filing_answers_201_with_code_key_and_due_date(world, at):
    response = post({**BODY, "about": "1.004227", "email": "nam@example.vn"})
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"code", "tracking_key", "due_at"}
    assert body["code"] == "PAKN-261123-0001" and len(body["tracking_key"]) == 11
    assert body["due_at"].startswith("2026-12-07T09:00:00")


def test_the_author_follows_it_with_the_key_only(world, at):
    filed = post(BODY).json()
    client = Client()
    seen = client.get(f"/api/complaints/{filed['code']}", {"key": filed["tracking_key"]})
    assert seen.status_code == 200 and seen.json()["status"] == "received" and seen.json()["answer"] is None
    assert "0987654321" not in seen.content.decode() and "Lê Văn Nam" not in seen.content.decode()
    assert client.get(f"/api/complaints/{filed['code']}", {"key": "AAAAA-AAAAA"}).status_code == 404
    assert client.get("/api/complaints/PAKN-000000-0000", {"key": filed["tracking_key"]}).status_code == 404


@pytest.mark.parametrize("body, code", [
    ({**BODY, "phone": "abc"}, "phone_format"),
    ({**BODY, "subject": ""}, "subject_required"),
    ({k: v for k, v in BODY.items() if k != "name"}, "validation_failed"),
])
def test_bad_input_is_a_422_with_a_code(world, at, body, code):
    response = post(body)
    assert response.status_code == 422 and response.json()["code"] == code


def test_filing_is_limited_per_client(world, at, settings):
    settings.MOTCUA_COMPLAINT_RATE = "2/d"
    assert [post(BODY).status_code for _ in range(3)] == [201, 201, 429]
    assert post(BODY, REMOTE_ADDR="203.0.113.5").status_code == 201
