"""A service point with two service groups, three counters and a reception officer, at a fixed time."""

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User

from motcua.catalog.models import Field, Procedure
from motcua.core import clock, roles
from motcua.core.ids import make_national_id
from motcua.org.models import Agency, Officer
from motcua.org.tests.factories import make_branch, make_counter, make_hall

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY_9AM = dt.datetime(2026, 11, 23, 9, 0, tzinfo=HANOI)


class FakeClock:
    def __init__(self, moment: dt.datetime):
        self.moment = moment

    def now(self) -> dt.datetime:
        return self.moment

    def today(self) -> dt.date:
        return self.moment.astimezone(HANOI).date()

    def advance(self, **delta) -> None:
        self.moment += dt.timedelta(**delta)


@pytest.fixture
def fake_clock(monkeypatch):
    fake = FakeClock(MONDAY_9AM)
    monkeypatch.setattr(clock, "now", fake.now)
    monkeypatch.setattr(clock, "today", fake.today)
    return fake


def make_officer(username: str, branch, role=roles.RECEPTION_OFFICER, agency=None):
    groups = roles.sync_roles()
    user = User.objects.create_user(username, password="Mot-cua-2025!", first_name="Hà", last_name="Trần")
    user.groups.add(groups[role])
    agency = agency or Agency.objects.first()
    Officer.objects.create(user=user, agency=agency, branch=branch)
    return user


def citizen_id(n: int) -> str:
    return make_national_id(province_code="001", gender="female" if n % 2 else "male", birth_year=1960 + n % 50,
                            sequence=n)


@pytest.fixture
def hall(db, fake_clock):
    made = make_hall(groups=("dat-dai", "tu-phap"))
    center, branch, point = made.center, made.branch, made.point
    land, civil = made.group["dat-dai"], made.group["tu-phap"]
    other_branch = make_branch(center, 2)
    counters = [make_counter(point, number, [land, civil] if number < 3 else [land]) for number in (1, 2, 3)]
    for code, group, name in (("1.004227", "dat-dai", "Đăng ký thế chấp quyền sử dụng đất"),
                              ("1.001193", "tu-phap", "Đăng ký khai sinh")):
        field, _created = Field.objects.get_or_create(code=group, defaults={"name": group, "service_group": group})
        Procedure.objects.create(code=code, name=name, field=field, processing_days=3, competent_by_commune=True)
    officer = make_officer("canbo1", branch)
    outsider = make_officer("canbo2", other_branch)
    return SimpleNamespace(center=center, branch=branch, point=point, land=land, civil=civil, counters=counters,
                           officer=officer, outsider=outsider, clock=fake_clock)


@pytest.fixture
def kiosk(hall):
    """A kiosk of the hall's service point, paired by the branch's officer: the device and its key."""
    from motcua.queueing.services.devices import pair_device

    return pair_device(user=hall.officer, kind="kiosk", service_point=hall.point, name="Kiosk cửa chính")


@pytest.fixture
def kiosk_client(client, kiosk):
    """A browser paired as the hall's kiosk (its cookie), also sending the key to the API (its header)."""
    from motcua.queueing.pairing import DEVICE_COOKIE

    client.cookies[DEVICE_COOKIE] = kiosk.key
    client.defaults["HTTP_X_DEVICE_KEY"] = kiosk.key
    return client
