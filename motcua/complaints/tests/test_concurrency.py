"""Concurrent actions on complaints: nothing duplicated, nothing lost (run on PostgreSQL too)."""

import datetime as dt

import pytest

from motcua.complaints import services
from motcua.complaints.models import Complaint
from motcua.core.audit import verify_chain
from motcua.core.models import OutboxMessage
from motcua.dossiers.tests.test_concurrency import race

from .conftest import HANOI, file

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.postgres
def test_complaints_filed_at_the_same_moment_get_distinct_codes(world, at):
    outcomes = race(*[lambda: file()] * 4)
    assert outcomes == ["ok"] * 4
    codes = sorted(Complaint.objects.values_list("code", flat=True))
    assert codes == [f"PAKN-261123-000{n}" for n in range(1, 5)]


@pytest.mark.postgres
def test_two_heads_approving_at_once_close_it_once(world, at, department_leader):
    complaint = services.answer_complaint(world.officer, file(), "Đã xử lý.")
    outcomes = race(lambda: services.approve_answer(department_leader, complaint),
                    lambda: services.approve_answer(world.director, complaint))
    assert sorted(outcomes, key=str) == [409, "ok"]
    assert OutboxMessage.objects.filter(topic="complaint.closed").count() == 1
    assert verify_chain() is None


@pytest.mark.postgres
def test_two_deadline_jobs_at_once_escalate_once(world, at):
    file()
    later = dt.datetime(2026, 12, 8, 9, 0, tzinfo=HANOI)
    outcomes = race(lambda: services.check_deadlines(later), lambda: services.check_deadlines(later))
    assert outcomes == ["ok", "ok"]
    assert OutboxMessage.objects.filter(topic="complaint.overdue").count() == 1
