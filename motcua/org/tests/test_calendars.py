from datetime import date, datetime, time, timedelta
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


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_day_off_and_swapped_working_day_has_its_legal_source(center, year):
    calendar = calendar_for(center)
    by_day = {o.day: o for o in calendar.overrides}
    day = date(year, 1, 1)
    unsourced = []
    while day.year == year:
        special = calendar.is_working_day(day) == (day.weekday() >= 5)  # a weekday off, or a weekend worked
        if special and not (day in by_day and by_day[day].source.strip()):
            unsourced.append(day.isoformat())
        day += timedelta(days=1)
    assert unsourced == []


def test_vietnamese_culture_day_is_a_working_day_unless_the_operator_says_so(center, settings):
    culture_day = date(2026, 11, 24)  # a Tuesday; the holidays package lists it as a day off
    assert calendar_for(center).is_working_day(culture_day)
    settings.MOTCUA_CULTURE_DAY_OFF = True
    calendar = calendar_for(center)
    assert not calendar.is_working_day(culture_day)
    assert calendar.day_off_name(culture_day) == "Ngày Văn hóa Việt Nam"
    assert calendar.is_working_day(date(2026, 11, 23)) and not calendar.is_working_day(date(2026, 11, 28))


def test_the_last_working_hour_rule_is_a_center_setting(center):
    center.cutoff_time = None
    at_1630 = datetime(2026, 11, 23, 16, 30, tzinfo=HANOI)
    assert calendar_for(center).counting_start(at_1630) == at_1630
    center.last_hour_counts_next_day = True
    assert calendar_for(center).counting_start(at_1630) == datetime(2026, 11, 24, 8, 0, tzinfo=HANOI)
