"""The override file: its format, its validation, and the decisions recorded for Vietnam."""

from datetime import date, datetime
from pathlib import Path

import pytest

from motcua.worktime import (
    DEFAULT_OVERRIDES_FILE,
    CalendarOverride,
    OverrideKind,
    WorkCalendar,
    load_overrides,
    parse_overrides,
)

VN_OVERRIDES = load_overrides(DEFAULT_OVERRIDES_FILE)
PACKAGE_ONLY = WorkCalendar()


def test_every_recorded_day_has_a_name_and_a_source() -> None:
    assert VN_OVERRIDES
    for override in VN_OVERRIDES:
        assert override.name.strip()
        assert len(override.source) > 20, override


def test_recorded_days_are_sorted_and_unique() -> None:
    days = [override.day for override in VN_OVERRIDES]
    assert days == sorted(set(days))


def test_make_up_working_days_are_weekend_days() -> None:
    working = {o.day for o in VN_OVERRIDES if o.kind is OverrideKind.WORKING_DAY}
    assert working == {date(2025, 4, 26), date(2026, 1, 10), date(2026, 8, 22)}
    assert all(day.weekday() == 5 for day in working)


def test_the_file_adds_to_the_package_only_the_new_year_2026_swap() -> None:
    # Every weekday the file declares off is also off in the package, except Friday 2/1/2026; a
    # change in either shows up here.
    extra_weekdays_off = {
        o.day
        for o in VN_OVERRIDES
        if o.kind is OverrideKind.DAY_OFF and o.day.weekday() < 5 and PACKAGE_ONLY.is_working_day(o.day)
    }
    assert extra_weekdays_off == {date(2026, 1, 2)}
    extra_working = {
        o.day
        for o in VN_OVERRIDES
        if o.kind is OverrideKind.WORKING_DAY and not PACKAGE_ONLY.is_working_day(o.day)
    }
    assert extra_working == {date(2026, 1, 10)}


def test_parse_dates_and_ranges() -> None:
    overrides = parse_overrides(
        {
            "country": "VN",
            "decisions": [
                {
                    "name": "Nghỉ thử",
                    "source": "Văn bản số 1/TEST",
                    "days_off": [date(2030, 1, 2), "2030-01-07..2030-01-09"],
                    "working_days": ["2030-01-05"],
                }
            ],
        }
    )
    assert [(o.day, o.kind) for o in overrides] == [
        (date(2030, 1, 2), OverrideKind.DAY_OFF),
        (date(2030, 1, 5), OverrideKind.WORKING_DAY),
        (date(2030, 1, 7), OverrideKind.DAY_OFF),
        (date(2030, 1, 8), OverrideKind.DAY_OFF),
        (date(2030, 1, 9), OverrideKind.DAY_OFF),
    ]
    assert {o.source for o in overrides} == {"Văn bản số 1/TEST"}
    assert parse_overrides(None) == ()


def _decision(**fields: object) -> dict[str, object]:
    return {"decisions": [{"name": "Nghỉ thử", "source": "Văn bản số 1/TEST", **fields}]}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (["2030-01-02"], "top level must be a mapping"),
        ({"country": "VN", "decision": []}, "unknown key"),
        ({"country": "TH", "decisions": []}, "for country 'TH'"),
        ({"decisions": {"name": "x"}}, "must be a list"),
        ({"decisions": [{"source": "x", "days_off": ["2030-01-02"]}]}, "needs a 'name'"),
        ({"decisions": [{"name": "Nghỉ thử", "days_off": ["2030-01-02"]}]}, "needs a 'source'"),
        (_decision(), "neither 'days_off' nor 'working_days'"),
        (_decision(days_off=["2030-01-02"], day_off=["2030-01-03"]), "unknown key"),
        (_decision(days_off="2030-01-02"), "must be a list"),
        (_decision(days_off=["02/01/2030"]), "YYYY-MM-DD"),
        (_decision(days_off=[20300102]), "is not a date"),
        (_decision(days_off=[datetime(2030, 1, 2, 8)]), "time of day"),
        (_decision(days_off=["2030-01-09..2030-01-07"]), "ends before it starts"),
        (_decision(days_off=["2030-01-01..2030-12-31"]), "spans 365 days"),
        (
            _decision(days_off=["2030-01-05"], working_days=["2030-01-05"]),
            "day_off in 'Nghỉ thử' and a working_day",
        ),
    ],
)
def test_invalid_data_is_rejected(data: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_overrides(data)


def test_load_overrides_names_the_file_in_errors(tmp_path: Path) -> None:
    path = tmp_path / "VN.yaml"
    path.write_text(
        "country: VN\ndecisions:\n  - name: Nghỉ thử\n    days_off: [2030-01-02]\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match=r"VN\.yaml: decision 'Nghỉ thử' needs a 'source'"):
        load_overrides(path)


def test_load_overrides_reads_yaml_dates(tmp_path: Path) -> None:
    path = tmp_path / "VN.yaml"
    path.write_text(
        "country: VN\ndecisions:\n"
        "  - name: Nghỉ thử\n    source: Văn bản số 1/TEST\n"
        "    days_off: [2030-01-02, 2030-01-03..2030-01-04]\n",
        encoding="utf-8",
    )
    assert [o.day for o in load_overrides(path)] == [date(2030, 1, 2), date(2030, 1, 3), date(2030, 1, 4)]


def test_overrides_win_over_the_package() -> None:
    calendar = WorkCalendar(
        overrides=(
            CalendarOverride(date(2025, 1, 29), OverrideKind.WORKING_DAY, "Làm việc thử", "test"),
            CalendarOverride(date(2025, 3, 11), OverrideKind.DAY_OFF, "Nghỉ thử", "test"),
        )
    )
    assert calendar.is_working_day(date(2025, 1, 29)) is True
    assert calendar.is_working_day(date(2025, 3, 11)) is False
    assert calendar.day_off_name(date(2025, 3, 11)) == "Nghỉ thử"


def test_contradicting_overrides_are_rejected() -> None:
    day = date(2030, 1, 5)
    with pytest.raises(ValueError, match="both as a day off and as a working day"):
        WorkCalendar(
            overrides=(
                CalendarOverride(day, OverrideKind.DAY_OFF, "a", "test"),
                CalendarOverride(day, OverrideKind.WORKING_DAY, "b", "test"),
            )
        )
