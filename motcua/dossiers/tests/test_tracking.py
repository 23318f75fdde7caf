"""Public tracking: the code plus 4 check digits; no personal data; the same 404 for every miss."""

import json

import pytest

from .conftest import OTHER_ID, act, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def code(client, world):
    code = submit(client, world.reception).json()["code"]
    act(client, world.reception, code, "forward")
    client.logout()
    return code


def test_tracking_with_phone_or_id_digits_shows_progress_only(client, code):
    for check in ("4321", OTHER_ID[-4:]):
        response = client.get(f"/api/tracking/{code}?check={check}")
        assert response.status_code == 200
        body = response.json()
        assert body["code"] == code and body["state"] == "processing" and body["national_status"] == 4
        assert body["current_step"]["name"] == "Thẩm định" and body["appointment_at"]
        assert [e["event"] for e in body["timeline"]][:2] == ["submitted", "received"]
        text = json.dumps(body, ensure_ascii=False)
        for secret in (OTHER_ID, "0987654321", "Trần Thị Bình", "4321\""):
            assert secret not in text


@pytest.mark.parametrize("query", ["", "?check=", "?check=0000", "?check=54321", "?check=432"])
def test_wrong_or_missing_check_is_the_same_404_as_an_unknown_code(client, code, query):
    miss = client.get(f"/api/tracking/{code}{query}")
    unknown = client.get("/api/tracking/000.00.11.H26-000000-9999?check=4321")
    assert miss.status_code == unknown.status_code == 404
    assert miss.json() == unknown.json()


def test_tracking_is_rate_limited_per_client(client, code, settings):
    statuses = [client.get(f"/api/tracking/{code[:-4]}{i:04d}?check=0000").status_code for i in range(30)]
    assert statuses == [404] * 30
    response = client.get(f"/api/tracking/{code}?check=4321", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert response.status_code == 429 and response.json()["code"] == "rate_limited"
    other = client.get(f"/api/tracking/{code}?check=4321", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_tracking_is_rate_limited_per_dossier_code(client, code):
    """Guessing one dossier's check digits from many addresses is stopped by the limit on the code."""
    statuses = [client.get(f"/api/tracking/{code}?check={i:04d}", REMOTE_ADDR=f"10.0.1.{i}").status_code
                for i in range(10)]
    assert 429 not in statuses
    response = client.get(f"/api/tracking/{code}?check=4321", REMOTE_ADDR="10.0.2.1")
    assert response.status_code == 429
    assert client.get(f"/api/tracking/{code[:-4]}0000?check=4321", REMOTE_ADDR="10.0.2.1").status_code == 404


def test_the_endpoints_are_described_in_the_openapi_schema(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/api/dossiers", "/api/dossiers/{code}", "/api/dossiers/{code}/actions/{action}",
            "/api/tracking/{code}"} <= set(paths)
    assert "multipart/form-data" in paths["/api/dossiers"]["post"]["requestBody"]["content"]
