"""A service point with two groups, four weeks of queue history, its branch leader and a reception officer."""

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User

from motcua.core import clock, roles
from motcua.demo.queue_history import generate_queue_history
from motcua.org.models import Officer
from motcua.org.tests.factories import make_branch, make_counter, make_counters, make_hall, make_point

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = dt.datetime(2026, 11, 23, 7, 30, tzinfo=HANOI)  # before opening: the day is ahead


class FakeClock:
    def __init__(self, moment: dt.datetime):
        self.moment = moment

    def now(self) -> dt.datetime:
        return self.moment

    def today(self) -> dt.date:
        return self.moment.astimezone(HANOI).date()


@pytest.fixture
def fake_clock(monkeypatch):
    fake = FakeClock(MONDAY)
    monkeypatch.setattr(clock, "now", fake.now)
    monkeypatch.setattr(clock, "today", fake.today)
    return fake


def make_user(username: str, branch, role: str, agency) -> User:
    user = User.objects.create_user(username, password="Mot-cua-2025!", first_name="Bảo", last_name="Lê")
    user.groups.add(roles.sync_roles()[role])
    Officer.objects.create(user=user, agency=agency, branch=branch)
    return user


@pytest.fixture
def hall(db, fake_clock, settings):
    settings.MOTCUA_PLANNING_RUNS = 6
    settings.MOTCUA_PLANNING_WAIT_TARGET = "90%/15"
    made = make_hall(groups=("dat-dai", "tu-phap"))
    land, civil = made.group["dat-dai"], made.group["tu-phap"]
    make_counters(made.point, [1, 2, 3], groups=[land])
    make_counter(made.point, 4, groups=[land], planned_periods=[["08:00", "12:00"]])
    make_counters(made.point, [5, 6], groups=[civil])
    generate_queue_history(made.center, days=28)
    other = make_branch(made.center, 2)
    make_point(other, "cn-2-diem")
    return SimpleNamespace(
        **vars(made),
        land=land,
        civil=civil,
        other_branch=other,
        fake_clock=fake_clock,
        leader=make_user("lanhdao", made.branch, roles.BRANCH_LEADER, made.agency),
        officer=make_user("canbo", made.branch, roles.RECEPTION_OFFICER, made.agency),
        other_leader=make_user("lanhdao2", other, roles.BRANCH_LEADER, made.agency),
    )
