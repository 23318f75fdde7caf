"""The organisation's public API against the loaded Hanoi data."""

import pytest

from motcua.org.models import Counter, ServicePoint

pytestmark = pytest.mark.django_db


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content
    return response.json()


def assert_not_found(body):
    assert body.keys() == {"code", "message", "details"}
    assert body["code"] == "not_found" and body["message"]


def test_branches(client, org_data):
    branches = get(client, "/api/branches")
    assert [b["number"] for b in branches] == list(range(1, 13))
    assert branches[0].keys() == {"code", "number", "name", "phone", "service_point_count", "counter_count"}
    by_code = {b["code"]: b for b in branches}
    assert by_code["cn03"]["service_point_count"] == 3
    assert by_code["cn02"]["counter_count"] == Counter.objects.filter(service_point__branch__code="cn02").count()
    assert sum(b["counter_count"] for b in branches) >= 57


def test_one_branch_and_an_unknown_one(client, org_data):
    branch = get(client, "/api/branches/cn01")
    assert (branch["number"], branch["service_point_count"]) == (1, 1)
    assert_not_found(get(client, "/api/branches/cn99", status=404))


def test_service_points_with_groups_and_counters(client, org_data):
    points = get(client, "/api/service-points")
    assert len(points) == ServicePoint.objects.filter(is_active=True).count() == 17
    dong_da = next(p for p in points if p["code"] == "cn03-dong-da")
    assert dong_da["branch"] == "cn03" and dong_da["commune"] == "Phường Đống Đa"
    assert dong_da["address"].startswith("61 Hoàng Cầu")
    assert float(dong_da["latitude"]) == pytest.approx(21.018)
    assert [g["letter"] for g in dong_da["service_groups"]] == list("ABCDEFG")
    assert len(dong_da["counters"]) == 11
    first = dong_da["counters"][0]
    assert first.keys() == {"id", "number", "kind", "kind_label", "service_groups", "lanes", "priority_only",
                           "planned_periods"}
    assert first["id"] == Counter.objects.get(service_point__code="cn03-dong-da", number=1).pk  # for call-next
    assert (first["number"], first["kind"], first["service_groups"]) == (1, "reception", ["dat-dai"])
    assert first["kind_label"]
    branch_3 = get(client, "/api/service-points?branch=cn03")
    assert {p["code"] for p in branch_3} == {"cn03-dong-da", "cn03-hoan-kiem", "cn03-ba-dinh"}


def test_one_service_point_and_an_unknown_one(client, org_data):
    point = ServicePoint.objects.get(code="cn02-cau-giay")
    body = get(client, f"/api/service-points/{point.pk}")
    assert body["code"] == "cn02-cau-giay" and len(body["counters"]) == point.counters.count()
    assert_not_found(get(client, "/api/service-points/999999", status=404))


def test_units(client, org_data):
    assert len(get(client, "/api/units?level=province")) == 34
    communes = get(client, "/api/units?level=commune&parent=01")
    assert len(communes) == 126 and communes[0].keys() == {"code", "name", "level", "kind", "parent"}
    assert {u["parent"] for u in communes} == {"01"}
    assert [u["code"] for u in get(client, "/api/units?level=commune&q=Ba Đình")] == ["00004"]
    assert len(get(client, "/api/units?level=district&current=false")) == 30
    assert get(client, "/api/units?level=district") == []
