"""How values are written, and the error when the fonts are missing."""

from datetime import UTC, date, datetime

import pytest

from motcua.pdf import FontNotFoundError, fonts
from motcua.pdf.text import format_date, format_datetime, format_time, format_vnd, place_date_line


def test_dates_times_and_money():
    assert format_date(date(2026, 1, 5)) == "05/01/2026"
    assert format_time(datetime(2026, 1, 5, 7, 3)) == "07:03"
    assert format_datetime(datetime(2026, 11, 23, 8, 35)) == "08:35 ngày 23/11/2026"
    assert format_vnd(1_250_000) == "1.250.000 đ"
    assert place_date_line("Hà Nội", date(2026, 1, 5)) == "Hà Nội, ngày 05 tháng 01 năm 2026"


def test_aware_times_are_shown_in_vietnam_time():
    # 17:30 UTC on 31/12 is already 00:30 on 1/1 in Hanoi.
    moment = datetime(2025, 12, 31, 17, 30, tzinfo=UTC)
    assert format_datetime(moment) == "00:30 ngày 01/01/2026"
    assert place_date_line("Hà Nội", moment) == "Hà Nội, ngày 01 tháng 01 năm 2026"


def test_missing_fonts_name_the_debian_package(monkeypatch, tmp_path):
    monkeypatch.setattr(fonts, "SEARCH_DIRS", (str(tmp_path),))
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv(fonts.FONT_DIR_ENV, raising=False)
    with pytest.raises(FontNotFoundError, match="fonts-dejavu-core") as error:
        fonts.register_fonts.__wrapped__()
    assert "DejaVuSans.ttf" in str(error.value)


def test_font_folder_can_be_given_in_the_environment(monkeypatch, tmp_path):
    system = fonts.find_font(fonts.REGULAR)
    assert system is not None
    (tmp_path / "DejaVuSans.ttf").symlink_to(system)
    monkeypatch.setenv(fonts.FONT_DIR_ENV, str(tmp_path))
    assert fonts.find_font(fonts.REGULAR) == tmp_path / "DejaVuSans.ttf"
