"""Several submissions of the same rating at once: exactly one is stored (SQLite and PostgreSQL alike)."""

import threading

import pytest
from django.db import connection

from motcua.ratings import services
from motcua.ratings.models import Rating

THREADS = 8


def run_together(n, work):
    """Run work(i) in n threads released together; collect what each returned or raised."""
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def body(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - inspected by the test
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=body, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(3))
def test_a_double_submit_stores_exactly_one_rating(hall, round_):
    ticket = hall.served()
    results = run_together(THREADS, lambda i: services.rate_ticket(ticket.pk, token=ticket.token, score=1 + i % 5,
                                                                     comment=f"lần {i}"))
    stored = [r for r in results if isinstance(r, Rating)]
    refused = [r for r in results if isinstance(r, services.AlreadyRated)]
    assert len(stored) == 1, results
    assert len(refused) == THREADS - 1, results
    assert Rating.objects.filter(ticket=ticket).count() == 1
    assert Rating.objects.get(ticket=ticket).score == stored[0].score


@pytest.mark.django_db(transaction=True)
def test_ratings_of_different_tickets_at_once_are_all_stored(hall):
    tickets = [hall.served(counter=hall.counters[i % 2]) for i in range(THREADS)]
    results = run_together(THREADS, lambda i: services.rate_ticket(tickets[i].pk, token=tickets[i].token, score=5))
    assert all(isinstance(r, Rating) for r in results), results
    assert Rating.objects.count() == THREADS
