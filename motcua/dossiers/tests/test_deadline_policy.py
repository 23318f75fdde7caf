"""The deadline policy has one home (services/deadlines.py): the inbox badge, the scheduler, form 06 and the
slips agree because they call it, on real dates."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import timezone

from motcua.dossiers import page_selectors, services
from motcua.dossiers.models import Dossier, DossierStep
from motcua.dossiers.services import deadlines

from .conftest import pdf

DOSSIERS = Path(__file__).resolve().parents[1]


def local(*args) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


def receive(world, now) -> Dossier:
    sub = services.Submission(procedure="1.004227", applicant=services.ApplicantData(
        kind="person", id_number="001190005678", name="Trần Thị Bình", phone="0987654321"), shown=[4])
    return services.submit_dossier(world.reception, sub, {1: [pdf()], 2: [pdf()]}, now=now)


def test_the_inbox_badge_counts_working_hours_like_the_scheduler(world):
    # Received Friday 05/12/2025 at 14:00: the reception step (2 working hours) is due Friday 16:00 and the
    # appointment days later. On Friday at 15:30 the step is near by both measures.
    dossier = receive(world, local(2025, 12, 5, 14, 0))
    step = dossier.current_step
    assert step.due_at == local(2025, 12, 5, 16, 0)
    DossierStep.objects.filter(pk=step.pk).update(due_at=local(2025, 12, 8, 16, 0))  # due Monday 16:00
    dossier.refresh_from_db()
    friday = local(2025, 12, 5, 16, 0)  # 72 clock hours before, but 8 working hours (Fri 16–17, Mon 8–16)
    assert deadlines.urgency(dossier, friday) == "near"  # the old 24-clock-hour badge said nothing
    assert deadlines.urgency(dossier, local(2025, 12, 5, 8, 0)) == ""
    assert deadlines.urgency(dossier, local(2025, 12, 8, 16, 1)) == "overdue"
    rows = page_selectors.inbox_rows(world.reception)
    expected = deadlines.urgency(dossier)
    assert [row["urgency"] for row in rows if row["dossier"].pk == dossier.pk] == [expected]


@pytest.mark.parametrize(("finished", "verdict"), [
    ((2026, 2, 13, 9, 0), "early"),     # the day before the deadline's day (Friday before Tết)
    ((2026, 2, 23, 8, 30), "on_time"),  # the deadline's day, before its hour (first day after Tết)
    ((2026, 2, 23, 10, 0), "on_time"),  # exactly at the deadline
    ((2026, 2, 23, 10, 1), "late"),
    (None, ""),
])
def test_early_on_time_and_late_are_judged_once(finished, verdict):
    due = local(2026, 2, 23, 10, 0)
    assert deadlines.timeliness(local(*finished) if finished else None, due) == verdict


def test_a_slip_shows_the_appointment_before_the_pause_while_a_supplement_is_awaited(world):
    dossier = receive(world, local(2025, 3, 3, 8, 0))
    before = dossier.due_at
    assert deadlines.appointment_at(dossier) == before
    services.request_supplement(world.reception, dossier.code, items=[{"name": "Bản vẽ", "reason": "Thiếu"}],
                                now=local(2025, 3, 3, 9, 0))
    dossier.refresh_from_db()
    assert dossier.due_at is None and deadlines.appointment_at(dossier) is None  # it depends on the supplement
    assert deadlines.current_appointment(dossier) == before
    expires = deadlines.supplement_expires_at(dossier)
    assert expires == deadlines.supplement_deadline(dossier, dossier.supplement)
    assert expires.date() == dt.date(2025, 3, 24)  # 15 working days counted from Tuesday 4/3


@pytest.mark.parametrize(("pattern", "home"), [
    (r"MOTCUA_SUPPLEMENT_EXPIRY_DAYS\"", "services/deadlines.py"),
    (r"MOTCUA_NEAR_DUE_WORKING_HOURS\"", "services/deadlines.py"),
    (r"\.add_working_days\(", "services/deadlines.py"),
    (r"calendar\.due_at\(", "services/deadlines.py"),
    (r"finished_at <= |finished > due", "services/deadlines.py"),
])
def test_each_deadline_rule_is_written_once(pattern, home):
    found = sorted(str(path.relative_to(DOSSIERS)) for path in DOSSIERS.rglob("*.py")
                   if "tests" not in path.parts and re.search(pattern, path.read_text(encoding="utf-8")))
    assert found == [home]
