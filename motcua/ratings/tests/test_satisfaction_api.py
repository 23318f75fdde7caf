"""GET /api/service-points/{id}/satisfaction: the day's figures, for staff only."""

import pytest
from django.test import RequestFactory

from motcua.ratings import services
from motcua.ratings.models import Rating

pytestmark = pytest.mark.django_db


def url(point_id, query=""):
    return f"/api/service-points/{point_id}/satisfaction{query}"


@pytest.fixture
def rated(hall):
    for score in (5, 5, 4, 1):
        ticket = hall.served()
        services.rate_ticket(ticket.pk, token=ticket.token, score=score, comment="Số điện thoại 0912345678")
    return hall


def test_staff_of_the_branch_read_the_days_figures(client, rated):
    client.force_login(rated.officer)
    response = client.get(url(rated.point.pk, "?date=2026-11-23"))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["date"] == "2026-11-23" and body["target"] == 0.95
    assert body["total"]["total"] == 4 and body["total"]["satisfied"] == 3
    assert body["total"]["satisfied_share"] == 0.75 and body["total"]["meets_target"] is False
    assert [lv["count"] for lv in body["total"]["levels"]] == [1, 0, 0, 1, 2]
    assert body["total"]["levels"][0]["level"] == "Rất không hài lòng"
    assert [c["counter"] for c in body["counters"]] == [1, 2]
    assert body["counters"][1]["total"] == 0 and body["counters"][1]["satisfied_share"] is None
    assert body["officers"][0]["label"] == "Hà Trần"
    assert "0912345678" not in response.content.decode()  # comments are not in the figures


def test_today_is_the_default_date(client, rated):
    client.force_login(rated.director)
    body = client.get(url(rated.point.pk)).json()
    assert body["date"] == "2026-11-23" and body["total"]["total"] == 4
    assert client.get(url(rated.point.pk, "?date=2026-11-22")).json()["total"]["total"] == 0


def test_a_bearer_token_works(client, rated):
    from motcua.core import tokens

    issued = tokens.issue_token(RequestFactory().post("/api/auth/token"), username="giamdoc", password="Mot-cua-2025!", name="báo cáo")
    response = client.get(url(rated.point.pk), headers={"Authorization": f"Bearer {issued.token}"})
    assert response.status_code == 200


def test_anonymous_callers_are_401(client, rated):
    response = client.get(url(rated.point.pk))
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize("who", ["citizen", "outsider"])
def test_citizens_and_officers_of_another_branch_are_403(client, rated, who):
    client.force_login(getattr(rated, who))
    response = client.get(url(rated.point.pk))
    assert response.status_code == 403
    assert response.json()["code"] == "not_branch_staff"


@pytest.mark.parametrize("query", ["?date=hôm-nay", "?date=2026-13-01", "?date=23/11/2026", "?date=2026-02-30"])
def test_a_bad_date_is_422_naming_the_field(client, rated, query):
    client.force_login(rated.director)
    response = client.get(url(rated.point.pk, query))
    assert response.status_code == 422
    assert [d["field"] for d in response.json()["details"]] == ["date"]


def test_an_unknown_service_point_is_404_json(client, rated):
    client.force_login(rated.director)
    response = client.get(url(999999))
    assert response.status_code == 404
    assert response.json()["code"] == "service_point_not_found"


def test_reading_writes_nothing(client, rated):
    client.force_login(rated.director)
    before = Rating.objects.count()
    client.get(url(rated.point.pk))
    client.get(url(rated.point.pk, "?date=x"))
    assert Rating.objects.count() == before


def test_both_endpoints_are_in_the_openapi_schema(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "post" in paths["/api/tickets/{ticket_id}/rating"]
    assert "get" in paths["/api/service-points/{point_id}/satisfaction"]
