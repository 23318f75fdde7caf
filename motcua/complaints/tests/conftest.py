import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from motcua.core import roles
from motcua.dossiers.tests.conftest import _media, _user, world  # noqa: F401  (a center, agencies, staff)

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY_9AM = dt.datetime(2026, 11, 23, 9, 0, tzinfo=HANOI)


@pytest.fixture
def at(monkeypatch):
    """Set the project's clock: at(datetime)."""
    from motcua.core import clock

    def set_clock(moment: dt.datetime) -> None:
        monkeypatch.setattr(clock, "now", lambda: moment)
        monkeypatch.setattr(clock, "today", lambda: moment.date())

    set_clock(MONDAY_9AM)
    return set_clock


@pytest.fixture
def department_leader(world):
    return _user("dept-leader", roles.AGENCY_LEADER, agency=world.department, groups=roles.sync_roles())


def file(**overrides):
    from motcua.complaints import services

    values = {"subject": "Cán bộ hẹn trả kết quả chậm", "content": "Hồ sơ của tôi quá hạn mà chưa có kết quả.",
              "name": "Nguyễn Thị Hoa", "phone": "0912 345 678", "about": "1.004227"}
    return services.file_complaint(**{**values, **overrides})
