"""The public service map: a list that works alone, a drawing of the places, nearest first, and the map."""

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from e2e.helpers import assert_no_horizontal_scroll, assert_page_basics

pytestmark = pytest.mark.e2e

# A one-pixel PNG: every tile of the map, so the map draws with no tile server (img-src allows data:).
TILE = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP89+/fDwAI"
        "+wP9KG0V2wAAAABJRU5ErkJggg==")


@pytest.fixture
def points(transactional_db):
    """Three service points of two branches, two with a place on the map (Ba Đình and Cầu Giấy)."""
    from motcua.org.tests.factories import make_branch, make_counters, make_hall, make_point

    hall = make_hall(groups=("dat-dai", "tu-phap"))
    hall.point.name, hall.point.latitude, hall.point.longitude = "Điểm Ba Đình", Decimal("21.0335"), Decimal("105.8142")
    hall.point.save()
    make_counters(hall.point, (1, 2), [hall.group["dat-dai"], hall.group["tu-phap"]])
    second = make_branch(hall.center, 2)
    cau_giay = make_point(second, "cn-2-cau-giay", name="Điểm Cầu Giấy", address="Số 1 Trần Duy Hưng",
                          latitude=Decimal("21.0069"), longitude=Decimal("105.7990"))
    make_counters(cau_giay, (1,), [hall.group["dat-dai"]])
    make_point(second, "cn-2-tam", name="Điểm tạm", address="Số 9 Láng")  # not on the map
    return hall


def test_the_list_and_the_drawing_work_without_tiles_and_nearest_comes_first(page: Page, points, screenshot):
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 21.0070, "longitude": 105.7995})  # beside Cầu Giấy
    page.goto("/map/")
    expect(page.locator("h1")).to_have_text("Bản đồ điểm phục vụ")
    items = page.locator("#map-list > li")
    expect(items).to_have_count(3)
    expect(items.first).to_contain_text("Điểm Ba Đình")
    expect(page.locator("#map-drawing .map-spot")).to_have_count(2)
    expect(page.locator("#service-map")).to_be_hidden()  # no tile URL: the drawing instead
    expect(items.first).to_contain_text("Giờ làm việc: 08:00–12:00, 13:00–17:00")
    expect(items.first.get_by_role("link", name="Đặt lịch tại điểm này")).to_have_attribute(
        "href", f"/queue/book/?point={points.point.pk}")
    assert_page_basics(page)
    screenshot("list")
    page.get_by_role("button", name="Điểm gần tôi nhất").click()
    expect(page.locator("#map-nearest-status")).to_have_text("Đã sắp xếp: điểm gần bạn nhất lên đầu.")
    expect(items.first).to_contain_text("Điểm Cầu Giấy")
    expect(items.first.locator(".map-distance")).to_contain_text("Cách bạn khoảng 0,1 km")
    expect(items.last).to_contain_text("Điểm tạm")  # no place: last
    page.set_viewport_size({"width": 390, "height": 844})
    assert_no_horizontal_scroll(page)
    screenshot("nearest")


def test_with_a_tile_url_the_points_are_markers_on_a_map(page: Page, points, settings, screenshot):
    settings.MOTCUA = {**settings.MOTCUA, "MAP_TILE_URL": TILE}
    page.goto("/map/")
    expect(page.locator("#service-map .leaflet-marker-icon")).to_have_count(2)
    expect(page.locator("#map-drawing")).to_be_hidden()
    page.locator("#service-map .leaflet-marker-icon").first.click()
    expect(page.locator(".leaflet-popup-content a")).to_have_count(1)
    screenshot("map")
