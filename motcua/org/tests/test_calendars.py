from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from motcua.org.calendars import calendar_for
from motcua.org.models import AdministrativeUnit, Center

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
pytestmark = pytest.mark.django_db


@pytest.fixture
def center():
    province = AdministrativeUnit.objects.create(level="province", code="01", name="Thành phố Hà Nội")
    return Center.objects.create(code="hn", name="Trung tâm", short_name="TT", province=province,
                                 e_id_suffix="H26", working_periods=[["08:00", "12:00"], ["13:00", "17:00"]],
                                 cutoff_time=time(15, 0))


def test_center_hours_and_cutoff_drive_deadlines(center):
    calendar = calendar_for(center)
    # Friday 16:30 after the 15:00 cut-off: counting starts Monday 8:00; one working day ends Monday 17:00.
    friday = datetime(2026, 11, 20, 16, 30, tzinfo=HANOI)
    assert calendar.counting_start(friday) == datetime(2026, 11, 23, 8, 0, tzinfo=HANOI)
    assert calendar.due_at(friday, timedelta(hours=8)) == datetime(2026, 11, 23, 17, 0, tzinfo=HANOI)


def test_government_decisions_from_the_data_file_apply(center):
    calendar = calendar_for(center)
    # New Year 2026: Friday 2/1 off, Saturday 10/1 worked (data/calendar/VN.yaml).
    assert not calendar.is_working_day(datetime(2026, 1, 2).date())
    assert calendar.is_working_day(datetime(2026, 1, 10).date())


def test_another_province_can_keep_other_hours(center):
    center.working_periods = [["07:30", "11:30"], ["13:30", "17:30"]]
    center.cutoff_time = None
    calendar = calendar_for(center)
    monday = datetime(2026, 11, 23, 7, 0, tzinfo=HANOI)
    assert calendar.counting_start(monday) == datetime(2026, 11, 23, 7, 30, tzinfo=HANOI)
