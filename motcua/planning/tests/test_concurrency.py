"""Leaders saving the same day's plan at once: one plan, whole, from one of them (SQLite and PostgreSQL)."""

import threading

import pytest
from django.db import connection

from motcua.planning.models import StaffingPlan, StaffingPlanHour
from motcua.planning.services import staffing

HOURS = [8, 9, 10, 11, 13, 14, 15, 16]


@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_leave_one_whole_plan(hall):
    day = hall.fake_clock.today()
    staffing.staffing_plan(hall.leader, hall.point, day)  # the simulations cached: the saves race on the rows
    barrier, errors = threading.Barrier(4), []

    def save(n):
        try:
            barrier.wait()
            counters = {g.pk: {h: n for h in HOURS} for g in (hall.land, hall.civil)}
            staffing.save_staffing_plan(hall.leader, hall.point, day, counters)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(n,)) for n in range(1, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert StaffingPlan.objects.count() == 1
    rows = list(StaffingPlanHour.objects.values_list("counters", flat=True))
    assert len(rows) == 16 and len(set(rows)) == 1
