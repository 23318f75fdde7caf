"""The demo's history of finished dossiers: working days only, the dossiers' own deadline rule, idempotent."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from motcua.catalog.models import Field, Procedure
from motcua.core import clock
from motcua.demo.dossier_history import generate_dossier_history
from motcua.dossiers.models import Dossier, State, SupplementRequest
from motcua.dossiers.services import deadlines
from motcua.org.calendars import calendar_for
from motcua.org.models import Agency, Person
from motcua.org.tests.factories import make_branch, make_hall

pytestmark = pytest.mark.django_db
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=HANOI)  # a Monday after Tết 2026 (16–22/2 off)


@pytest.fixture
def center(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)
    hall = make_hall(groups=("dat-dai",))
    make_branch(hall.center, 2)
    department = Agency.objects.create(code="so-tp", name="Sở Tư pháp", kind="department", e_id="000.00.13.H26")
    field = Field.objects.create(code="ho-tich", name="Hộ tịch")
    for code, days in (("1.001193", Decimal(3)), ("1.004227", Decimal("0.5"))):
        Procedure.objects.create(code=code, name=f"Thủ tục {code}", field=field, level="province",
                                 agency=department, processing_days=days)
    for n in range(20):
        Person.objects.create(national_id=f"0010900{n:05d}", full_name=f"Công dân {n}", birth_date=dt.date(1990, 1, 1),
                              gender="male")
    return hall.center


def test_history_lies_on_working_days_is_finished_and_follows_the_deadline_rule(center):
    report = generate_dossier_history(center, days=60, per_branch_day=4)
    assert report.created > 100
    calendar = calendar_for(center)
    dossiers = list(Dossier.objects.select_related("procedure", "supplement"))
    assert len(dossiers) == report.created
    for dossier in dossiers:
        received = dossier.received_at.astimezone(HANOI)
        assert calendar.is_working_time(received), dossier.received_at
        assert not (dt.date(2026, 2, 16) <= received.date() <= dt.date(2026, 2, 22))  # Tết
        assert dossier.state in (State.RETURNED, State.REFUSED)
        assert dossier.result_ready_at < NOW.replace(hour=0)
        first_due = dossier.original_due_at or dossier.due_at
        assert first_due == deadlines.appointment_at(dossier)  # the rule itself, supplements paused
        if dossier.original_due_at:
            assert deadlines.timeliness(dossier.result_ready_at, dossier.original_due_at) == deadlines.LATE
    verdicts = [deadlines.timeliness(d.result_ready_at, d.original_due_at or d.due_at) for d in dossiers]
    assert 0.02 < verdicts.count(deadlines.LATE) / len(verdicts) < 0.2
    assert SupplementRequest.objects.exists()
    assert len({d.code for d in dossiers}) == len(dossiers)


def test_history_is_made_once_and_the_same_for_a_seed(center):
    first = generate_dossier_history(center, days=20, per_branch_day=3)
    codes = sorted(Dossier.objects.values_list("code", flat=True))
    assert generate_dossier_history(center, days=20, per_branch_day=3).skipped
    assert sorted(Dossier.objects.values_list("code", flat=True)) == codes
    Dossier.objects.all().delete()
    again = generate_dossier_history(center, days=20, per_branch_day=3)
    assert again.created == first.created
