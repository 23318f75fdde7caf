"""The public service map: places, hours, the queue's own waits now, satisfaction over 30 days; numbers only."""

import datetime as dt
from decimal import Decimal

import pytest

from motcua.insights import map_selectors
from motcua.queueing import services as queue
from motcua.queueing.tests.conftest import fake_clock  # noqa: F401
from motcua.ratings import services as rating_services
from motcua.ratings.tests.conftest import citizen_id, hall  # noqa: F401  (the ratings' hall)

pytestmark = pytest.mark.django_db


def place(point, lat, lng):
    point.latitude, point.longitude = Decimal(lat), Decimal(lng)
    point.save(update_fields=["latitude", "longitude"])


def test_each_point_has_its_waits_now_hours_and_booking_link(hall):
    for n in range(4):
        queue.issue_ticket(service_point=hall.point, group=hall.land, national_id=citizen_id(100 + n))
    service = map_selectors.service_map()
    by_code = {p.point.code: p for p in service.points}
    main = by_code[hall.point.code]
    (land,) = [g for g in main.groups if g.group == hall.land]
    assert land.waiting == 4 and land.open_counters == 2
    assert land.wait_minutes is not None and land.wait_minutes > 0
    assert main.longest_wait == land.wait_minutes
    assert main.hours == [(dt.time(8), dt.time(12)), (dt.time(13), dt.time(17))]
    assert main.booking_url == f"/queue/book/?point={hall.point.pk}"
    assert main.satisfaction is None  # nobody rated yet


def test_satisfaction_is_the_share_of_levels_four_and_five_over_the_last_30_days(hall):
    def rated(score):
        ticket = hall.served()
        rating_services.rate_ticket(ticket.pk, token=ticket.token, score=score)

    rated(5)
    rated(3)
    hall.clock.advance(days=29)
    rated(4)
    rated(5)
    main = next(p for p in map_selectors.service_map().points if p.point == hall.point)
    assert (main.satisfaction.total, main.satisfaction.share_percent) == (4, 75.0)
    hall.clock.advance(days=1)  # the first day falls out of the 30
    main = next(p for p in map_selectors.service_map().points if p.point == hall.point)
    assert (main.satisfaction.total, main.satisfaction.share_percent) == (2, 100.0)


def test_the_api_is_public_and_carries_no_personal_data(client, hall):
    place(hall.point, "21.0335", "105.8142")
    queue.issue_ticket(service_point=hall.point, group=hall.land, national_id=citizen_id(7), phone="0912345678")
    response = client.get("/api/insights/service-map")
    assert response.status_code == 200
    body = response.json()
    point = next(p for p in body["points"] if p["code"] == hall.point.code)
    assert (point["latitude"], point["longitude"]) == (21.0335, 105.8142)
    assert point["hours"] == ["08:00–12:00", "13:00–17:00"]
    assert point["groups"][0]["waiting"] == 1
    assert point["satisfaction_percent"] is None and point["ratings"] == 0
    text = response.content.decode()
    assert citizen_id(7) not in text and "0912345678" not in text


def test_the_page_lists_every_point_without_javascript_and_draws_those_with_a_place(client, hall):
    place(hall.point, "21.0335", "105.8142")
    response = client.get("/map/")
    assert response.status_code == 200
    html = response.content.decode()
    assert hall.point.name in html and hall.other_point.name in html
    assert html.count('class="map-spot"') == 1  # the other point has no coordinates
    assert f'href="/queue/book/?point={hall.point.pk}"' in html
    assert "vendor/leaflet/" not in html  # no tile URL: no map library either
    part = client.get("/map/", headers={"HX-Request": "true"})
    assert part.status_code == 200 and "<html" not in part.content.decode()
    assert hall.point.name in part.content.decode()


def test_with_a_tile_url_the_page_loads_the_map_library(client, hall, settings):
    settings.MOTCUA = {**settings.MOTCUA, "MAP_TILE_URL": "https://tiles.example.vn/{z}/{x}/{y}.png"}
    html = client.get("/map/").content.decode()
    assert "vendor/leaflet/dist/leaflet.js" in html
    assert 'data-tile-url="https://tiles.example.vn/{z}/{x}/{y}.png"' in html


class Spot:
    def __init__(self, lat, lng):
        self.latitude, self.longitude = lat, lng


def test_the_drawing_keeps_north_up_east_right_inside_its_box():
    west, east, north = Spot(21.0, 105.8), Spot(21.0, 105.9), Spot(21.1, 105.85)
    drawing = map_selectors.drawing([west, Spot(None, None), east, north])
    spots = {s["number"]: s for s in drawing["spots"]}
    assert set(spots) == {1, 3, 4}  # numbered as listed; the point without a place is not drawn
    assert spots[1]["x"] < spots[4]["x"] < spots[3]["x"]
    assert spots[4]["y"] < spots[1]["y"] == spots[3]["y"]
    for s in spots.values():
        assert 0 <= s["x"] <= 100 and 0 <= s["y"] <= drawing["height"]
    single = map_selectors.drawing([west])
    assert single["spots"][0]["x"] == pytest.approx(50, abs=0.5)
    assert map_selectors.drawing([]) == {"height": 40, "spots": []}
