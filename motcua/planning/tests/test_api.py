"""GET/PUT /api/service-points/{id}/staffing-plan: the branch's leaders only, 4xx JSON for bad input."""

import pytest

from motcua.planning.models import StaffingPlanHour

pytestmark = pytest.mark.django_db
URL = "/api/service-points/{}/staffing-plan?date={}"
HOURS = ["08:00", "09:00", "10:00", "11:00", "13:00", "14:00", "15:00", "16:00"]


def url(hall, day="2026-11-23"):
    return URL.format(hall.point.pk, day)


def test_the_leader_gets_the_plan_per_group_and_hour_with_expected_waits(client, hall):
    client.force_login(hall.leader)
    response = client.get(url(hall))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["saved"] is False and body["target"] == {"minutes": 15, "share": 0.9}
    land = next(g for g in body["groups"] if g["code"] == "dat-dai")
    assert [h["hour"] for h in land["hours"]] == HOURS
    first = land["hours"][0]
    assert first["counters"] == first["recommended"] <= first["available"] == 4
    assert set(first["expected"]) >= {"mean_wait_minutes", "within_target", "queue_length", "utilisation"}


@pytest.mark.parametrize("who", ["officer", "other_leader"])
def test_others_are_refused(client, hall, who):
    client.force_login(getattr(hall, who))
    response = client.get(url(hall))
    assert response.status_code == 403 and response.json()["code"] == "not_branch_leader"
    assert client.put(url(hall), {"groups": []}, content_type="application/json").status_code == 403


def test_anonymous_bad_dates_unknown_points_and_days_off(client, hall):
    assert client.get(url(hall)).status_code == 401
    client.force_login(hall.leader)
    assert client.get(url(hall, "23/11/2026")).status_code == 422
    assert client.get(URL.format(99999, "2026-11-23")).status_code == 404
    response = client.get(url(hall, "2026-11-28"))
    assert response.status_code == 422 and response.json()["code"] == "day_off"


def test_put_saves_the_plan_and_get_returns_it(client, hall):
    client.force_login(hall.leader)
    groups = [
        {"id": g.pk, "hours": [{"hour": h, "counters": 2} for h in HOURS]} for g in (hall.land, hall.civil)
    ]
    response = client.put(url(hall), {"groups": groups}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["saved"] is True
    assert StaffingPlanHour.objects.count() == 16
    land = next(g for g in client.get(url(hall)).json()["groups"] if g["code"] == "dat-dai")
    assert all(h["counters"] == 2 for h in land["hours"])


@pytest.mark.parametrize(
    "hours",
    [
        [{"hour": "08:30", "counters": 1}],
        [{"hour": h, "counters": -1} for h in HOURS],
        [{"hour": "nope", "counters": 1}],
    ],
)
def test_put_refuses_a_plan_that_does_not_fit_the_day(client, hall, hours):
    client.force_login(hall.leader)
    groups = [
        {"id": hall.land.pk, "hours": hours},
        {"id": hall.civil.pk, "hours": [{"hour": h, "counters": 1} for h in HOURS]},
    ]
    response = client.put(url(hall), {"groups": groups}, content_type="application/json")
    assert response.status_code == 422 and response.json()["code"] in ("plan_invalid", "validation_error")
    assert not StaffingPlanHour.objects.exists()
