"""The staffing planner page: the leader sees and saves the plan, others are refused, errors are messages."""

import pytest

from motcua.planning.models import StaffingPlanHour

pytestmark = pytest.mark.django_db
HOURS = [8, 9, 10, 11, 13, 14, 15, 16]
PAGE = "/planning/staffing/"


def test_the_leader_sees_the_plan_with_its_tables_and_menu_entry(client, hall):
    client.force_login(hall.leader)
    response = client.get(PAGE, {"point": hall.point.pk, "date": "2026-11-23"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="table-dat-dai"' in html and 'id="table-tu-phap"' in html and 'id="staffing-data"' in html
    assert f'name="c-{hall.land.pk}-8"' in html and "Chưa lưu" in html
    assert 'data-menu="planning-staffing"' in html


def test_saving_from_the_page(client, hall):
    client.force_login(hall.leader)
    data = {f"c-{g.pk}-{h}": "2" for g in (hall.land, hall.civil) for h in HOURS}
    response = client.post(f"{PAGE}?point={hall.point.pk}&date=2026-11-23", data)
    assert response.status_code == 302 and StaffingPlanHour.objects.filter(counters=2).count() == 16
    page = client.get(response["Location"]).content.decode()
    assert "Kế hoạch đã lưu" in page and "Đã lưu kế hoạch bố trí quầy ngày 23/11/2026" in page


def test_a_bad_plan_is_refused_with_a_message(client, hall):
    client.force_login(hall.leader)
    data = {f"c-{hall.land.pk}-8": "x"}
    response = client.post(f"{PAGE}?point={hall.point.pk}&date=2026-11-23", data)
    assert response.status_code == 422 and "Kế hoạch chưa hợp lệ" in response.content.decode()
    assert not StaffingPlanHour.objects.exists()


def test_one_counter_more_or_less_and_a_past_day_against_what_happened(client, hall):
    client.force_login(hall.leader)
    response = client.get(PAGE, {"point": hall.point.pk, "date": "2026-11-23", "changes": hall.land.pk})
    assert 'id="table-changes"' in response.content.decode()
    past = client.get(
        PAGE, {"point": hall.point.pk, "date": "2026-11-16"}
    ).content.decode()  # a Monday of history
    assert 'id="actual-dat-dai"' in past and 'name="c-' not in past


def test_day_off_and_others(client, hall):
    client.force_login(hall.leader)
    response = client.get(PAGE, {"point": hall.point.pk, "date": "2026-11-28"})
    assert response.status_code == 422 and "ngày nghỉ" in response.content.decode()
    client.force_login(hall.officer)
    assert client.get(PAGE).status_code == 403
    client.logout()
    assert client.get(PAGE).status_code == 302
