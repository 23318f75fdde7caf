import json
import logging
from datetime import UTC, date, datetime

import pytest

from motcua.core.logging import JsonFormatter
from motcua.core.money import format_vnd
from motcua.core.templatetags.motcua import days, vndate, vndatetime
from motcua.core.text import fold, slugify_vi, tokens


@pytest.mark.parametrize(
    ("text", "folded"),
    [("Đăng ký khai sinh", "dang ky khai sinh"), ("ĐẤT ĐAI", "dat dai"), ("Hộ tịch", "ho tich"),
     ("Nghĩa vụ tài chính", "nghia vu tai chinh"), ("Thủ tục 1.001193", "thu tuc 1.001193")],
)
def test_fold_removes_diacritics_and_case(text, folded):
    assert fold(text) == folded


def test_tokens_include_adjacent_bigrams():
    assert tokens("Đăng ký khai sinh") == ["dang", "ky", "khai", "sinh", "dang_ky", "ky_khai", "khai_sinh"]


def test_slugify_vi():
    assert slugify_vi("Sở Tư pháp – Hà Nội") == "so-tu-phap-ha-noi"


@pytest.mark.parametrize(("amount", "shown"), [(1250000, "1.250.000 đ"), (0, "0 đ"), (500, "500 đ"),
                                               (-20000, "-20.000 đ"), (None, "")])
def test_money_uses_dots_and_dong(amount, shown):
    assert format_vnd(amount) == shown


def test_dates_are_dd_mm_yyyy_in_hanoi_time(settings):
    # 20:30 UTC on 31/12 is already 1/1 in Asia/Ho_Chi_Minh (UTC+7).
    instant = datetime(2025, 12, 31, 20, 30, tzinfo=UTC)
    assert vndate(instant) == "01/01/2026"
    assert vndatetime(instant) == "03:30 01/01/2026"
    assert vndate(date(2026, 2, 16)) == "16/02/2026"


def test_days_filter_drops_useless_decimals():
    from decimal import Decimal

    assert days(Decimal("15.00")) == "15"
    assert days(Decimal("0.50")) == "0,5"


def test_json_log_lines_carry_extra_fields():
    record = logging.makeLogRecord({"name": "motcua.request", "levelno": 20, "levelname": "INFO",
                                    "msg": "request", "path": "/api/procedures", "status": 200})
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "request"
    assert line["path"] == "/api/procedures"
    assert line["status"] == 200
    assert line["level"] == "INFO"


def test_page_numbers_follow_the_language():
    from decimal import Decimal

    from django.utils import translation

    from motcua.core.templatetags.motcua import plural_count, vnd

    with translation.override("en"):
        assert days(Decimal("0.50")) == "0.5"
        assert vnd(1250000) == "1,250,000 đ"
    with translation.override("vi"):
        assert days(Decimal("0.50")) == "0,5"
        assert vnd(1250000) == "1.250.000 đ"
    assert [plural_count(v) for v in (Decimal("1.00"), Decimal("0.5"), 2, None)] == [1, 2, 2, 2]
