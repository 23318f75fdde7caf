"""Many counters calling at once: no ticket lost, none called twice (SQLite and PostgreSQL alike)."""

import threading
import time

import pytest
from django.db import connection

from motcua.org.tests.factories import make_counters
from motcua.queueing import services
from motcua.queueing.models import QueueConfig, Ticket

from .conftest import citizen_id

COUNTERS = int(__import__("os").environ.get("QC", 20))
TICKETS = 2000
ISSUERS = 10
ISSUED_EACH = 20


def run_in_threads(n, work):
    """Run work(i) in n threads started together; re-raise the first error."""
    barrier = threading.Barrier(n)
    errors = []

    def body(i):
        try:
            barrier.wait()
            work(i)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=body, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


@pytest.mark.django_db(transaction=True)
def test_twenty_counters_share_two_thousand_tickets_without_loss_or_duplicate(hall):
    counters = make_counters(hall.point, range(10, 10 + COUNTERS), [hall.land])
    now = hall.clock.now()
    Ticket.objects.bulk_create([
        Ticket(service_point=hall.point, group=hall.land, day=hall.clock.today(), sequence=i, number=f"B-{i:04d}",
               national_id=citizen_id(i), issued_at=now, queued_at=now, token=f"t{i}", source="kiosk",
               priority="elderly" if i % 7 == 0 else "")
        for i in range(1, TICKETS + 1)])
    called: dict[int, list[int]] = {i: [] for i in range(COUNTERS)}

    def work(i):
        while (ticket := services.call_next(counters[i], user=hall.officer, finish_current=True)) is not None:
            called[i].append(ticket.pk)

    started = time.perf_counter()
    run_in_threads(COUNTERS, work)
    elapsed = time.perf_counter() - started
    every = [pk for pks in called.values() for pk in pks]
    print(f"\n{connection.vendor}: {TICKETS} tickets, {COUNTERS} counters in {elapsed:.1f} s")
    assert len(every) == TICKETS, "a ticket was lost or called twice"
    assert len(set(every)) == TICKETS, "a ticket was called twice"
    assert not Ticket.objects.filter(status=Ticket.Status.WAITING).exists()
    for i, pks in called.items():
        assert set(Ticket.objects.filter(pk__in=pks).values_list("counter_id", flat=True)) <= {counters[i].pk}
    assert sum(1 for pks in called.values() if pks) > 1, "the counters did not share the work"


@pytest.mark.django_db(transaction=True)
def test_kiosks_issuing_at_once_get_distinct_consecutive_numbers(hall):
    QueueConfig.objects.create(service_point=hall.point, enforce_capacity=False)

    def work(i):
        for j in range(ISSUED_EACH):
            services.issue_ticket(service_point=hall.point, group=hall.land,
                                  national_id=citizen_id(1000 + i * ISSUED_EACH + j))

    run_in_threads(ISSUERS, work)
    numbers = sorted(Ticket.objects.values_list("sequence", flat=True))
    assert numbers == list(range(1, ISSUERS * ISSUED_EACH + 1))


@pytest.mark.django_db(transaction=True)
def test_the_daily_limit_holds_under_simultaneous_requests(hall):
    def work(i):
        try:
            services.issue_ticket(service_point=hall.point, group=hall.land, national_id=citizen_id(77))
        except services.TicketLimitReached:
            pass

    run_in_threads(8, work)
    assert Ticket.objects.filter(national_id=citizen_id(77)).count() == 2
