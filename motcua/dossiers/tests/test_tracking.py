"""Public tracking: the code plus the random tracking key of slip 01; no personal data; one 404 for every miss."""

import json

import pytest

from motcua.core.codes import TRACKING_KEY_ALPHABET, TRACKING_KEY_LENGTH, new_tracking_key
from motcua.dossiers.models import Dossier

from .conftest import OTHER_ID, act, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def code(client, world):
    code = submit(client, world.reception).json()["code"]
    act(client, world.reception, code, "forward")
    client.logout()
    return code


def key_of(code: str) -> str:
    return Dossier.objects.get(code=code).printed_tracking_key


def test_tracking_with_the_key_shows_progress_only(client, code):
    key = key_of(code)
    for given in (key, key.replace("-", "").lower(), f" {key} "):
        response = client.get(f"/api/tracking/{code}", {"key": given})
        assert response.status_code == 200
        body = response.json()
        assert body["code"] == code and body["state"] == "processing" and body["national_status"] == 4
        assert body["current_step"]["name"] == "Thẩm định" and body["appointment_at"]
        assert [e["event"] for e in body["timeline"]][:2] == ["submitted", "received"]
        text = json.dumps(body, ensure_ascii=False)
        for secret in (OTHER_ID, "0987654321", "Trần Thị Bình", "4321", key.replace("-", "")):
            assert secret not in text


def test_the_last_digits_of_the_phone_or_id_no_longer_open_a_dossier(client, code):
    for digits in ("4321", OTHER_ID[-4:]):
        assert client.get(f"/api/tracking/{code}", {"key": digits}).status_code == 404
        assert client.get(f"/api/tracking/{code}", {"check": digits}).status_code == 404


def test_every_dossier_gets_its_own_random_key(client, world):
    codes = [submit(client, world.reception).json()["code"] for _ in range(3)]
    keys = {Dossier.objects.get(code=c).tracking_key for c in codes}
    assert len(keys) == 3
    for key in keys:
        assert len(key) == TRACKING_KEY_LENGTH and set(key) <= set(TRACKING_KEY_ALPHABET)
    # 32 symbols over 10 places: 2^50 keys; the per-code limit allows 10 tries an hour.
    assert len(TRACKING_KEY_ALPHABET) ** TRACKING_KEY_LENGTH >= 2**50
    assert new_tracking_key() != new_tracking_key()


@pytest.mark.parametrize("query", ["", "?key=", "?key=0000000000", "?key=ABCDE-FGHJ", "?key=%00"])
def test_wrong_or_missing_key_is_the_same_404_as_an_unknown_code(client, code, query):
    miss = client.get(f"/api/tracking/{code}{query}")
    unknown = client.get("/api/tracking/000.00.11.H26-000000-9999", {"key": key_of(code)})
    assert miss.status_code in (404, 400)
    if miss.status_code == 404:
        assert miss.json() == unknown.json()
    assert unknown.status_code == 404


def test_tracking_is_rate_limited_per_client(client, code, settings):
    statuses = [client.get(f"/api/tracking/{code[:-4]}{i:04d}?key=0000000000").status_code for i in range(30)]
    assert statuses == [404] * 30
    response = client.get(f"/api/tracking/{code}", {"key": key_of(code)}, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert response.status_code == 429 and response.json()["code"] == "rate_limited"
    other = client.get(f"/api/tracking/{code}", {"key": key_of(code)}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_tracking_is_rate_limited_per_dossier_code(client, code):
    """Guessing one dossier's key from many addresses is stopped by the limit on the code."""
    statuses = [client.get(f"/api/tracking/{code}", {"key": new_tracking_key()}, REMOTE_ADDR=f"10.0.1.{i}").status_code
                for i in range(10)]
    assert statuses == [404] * 10
    response = client.get(f"/api/tracking/{code}", {"key": key_of(code)}, REMOTE_ADDR="10.0.2.1")
    assert response.status_code == 429
    assert client.get(f"/api/tracking/{code[:-4]}0000", {"key": key_of(code)}, REMOTE_ADDR="10.0.2.1").status_code == 404


def test_the_endpoints_are_described_in_the_openapi_schema(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/api/dossiers", "/api/dossiers/{code}", "/api/dossiers/{code}/actions/{action}",
            "/api/tracking/{code}"} <= set(paths)
    assert "multipart/form-data" in paths["/api/dossiers"]["post"]["requestBody"]["content"]
