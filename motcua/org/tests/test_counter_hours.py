"""A counter's planned hours (`Counter.planned_periods`): checked against the center's working hours."""

import pytest
from django.core.exceptions import ValidationError

from motcua.org.models import planned_periods_problem
from motcua.org.tests.factories import make_counter, make_hall

pytestmark = pytest.mark.django_db
CENTER_HOURS = (("08:00", "12:00"), ("13:00", "17:00"))


@pytest.mark.parametrize(("periods", "problem"), [
    ([["08:00", "12:00"]], None),
    ([["08:30", "11:00"], ["13:00", "16:00"]], None),
    ([["07:30", "12:00"]], "outside"),
    ([["11:00", "14:00"]], "outside"),  # over lunch
    ([["13:00", "17:30"]], "outside"),
    ([["09:00", "11:00"], ["10:00", "12:00"]], "overlap"),
    ([["13:00", "17:00"], ["08:00", "12:00"]], "order"),
    ([["11:00", "09:00"]], "order"),
    ([["8:00", "12:00"]], "format"),
    ([["08:00"]], "format"),
    ("08:00-12:00", "format"),
])
def test_planned_periods_are_checked(periods, problem):
    from motcua.org.models import parse_day_periods

    assert planned_periods_problem(periods, parse_day_periods(CENTER_HOURS)) == problem


def test_the_admin_form_refuses_hours_outside_the_centers(admin_client):
    hall = make_hall(groups=("dat-dai",))
    counter = make_counter(hall.point, 1, [hall.group["dat-dai"]])
    counter.planned_periods = [["12:00", "13:00"]]
    with pytest.raises(ValidationError) as refused:
        counter.full_clean()
    assert "planned_periods" in refused.value.message_dict
    counter.planned_periods = [["08:00", "12:00"]]
    counter.full_clean()
    response = admin_client.post(f"/admin/org/counter/{counter.pk}/change/", {
        "service_point": hall.point.pk, "number": 1, "kind": "reception", "lanes": "all",
        "service_groups": [hall.group["dat-dai"].pk], "planned_periods": '[["12:00", "13:00"]]',
        "is_active": "on"})
    assert response.status_code == 200 and "trong một khoảng giờ làm việc" in response.content.decode()
    response = admin_client.post(f"/admin/org/counter/{counter.pk}/change/", {
        "service_point": hall.point.pk, "number": 1, "kind": "reception", "lanes": "all",
        "service_groups": [hall.group["dat-dai"].pk], "planned_periods": '[["08:00", "12:00"]]',
        "is_active": "on"})
    assert response.status_code == 302
    counter.refresh_from_db()
    assert counter.planned_periods == [["08:00", "12:00"]]
    response = admin_client.post(f"/admin/org/counter/{counter.pk}/change/", {
        "service_point": hall.point.pk, "number": 1, "kind": "reception", "lanes": "all",
        "service_groups": [hall.group["dat-dai"].pk], "planned_periods": "", "is_active": "on"})
    assert response.status_code == 302  # empty: the center's hours again
    counter.refresh_from_db()
    assert counter.planned_periods == []
