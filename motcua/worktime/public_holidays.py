"""Public holidays and weekend work-day swaps from the `holidays` package, cached per year."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import holidays


@dataclass(frozen=True, slots=True)
class _YearTable:
    days_off: dict[dt.date, str]
    weekend_workdays: frozenset[dt.date]


def is_supported_country(country: str) -> bool:
    """Tell whether the `holidays` package knows the country code."""
    return country in holidays.list_supported_countries()


@lru_cache(maxsize=256)
def _year_table(country: str, year: int) -> _YearTable:
    table = holidays.country_holidays(country, years=year)
    # Copy into a plain dict: looking up another year in the package's table would populate it.
    days_off = {day: name for day, name in table.items() if day.year == year}
    return _YearTable(days_off=days_off, weekend_workdays=frozenset(table.weekend_workdays))


def public_holiday_name(country: str, day: dt.date) -> str | None:
    """Name of the public holiday (or compensatory day off) on `day`, or None."""
    return _year_table(country, day.year).days_off.get(day)


def is_swapped_working_day(country: str, day: dt.date) -> bool:
    """Tell whether `day` is a weekend day the package lists as a make-up working day."""
    # A swap is filed under the year of its day off, which can be the neighbouring year
    # (e.g. 31/12/2018 off against Saturday 5/1/2019).
    return any(
        day in _year_table(country, year).weekend_workdays for year in (day.year - 1, day.year, day.year + 1)
    )
