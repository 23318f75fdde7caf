import threading
from datetime import date

import pytest
from django.db import connection, transaction

from motcua.core.codes import dossier_code, next_dossier_code, next_in_sequence, ticket_number

DAY = date(2025, 10, 27)


def test_formats():
    assert dossier_code("000.00.06.H26", DAY, 361) == "000.00.06.H26-251027-0361"
    assert dossier_code("000.00.06.H26", DAY, 12345) == "000.00.06.H26-251027-12345"
    assert ticket_number("B", 27) == "B-027"


@pytest.mark.django_db
def test_sequences_count_per_scope_and_day():
    assert [next_in_sequence("a", DAY) for _ in range(3)] == [1, 2, 3]
    assert next_in_sequence("b", DAY) == 1
    assert next_in_sequence("a", date(2025, 10, 28)) == 1
    assert next_dossier_code("000.00.06.H26", DAY) == "000.00.06.H26-251027-0001"


@pytest.mark.django_db
def test_a_rolled_back_number_is_given_again():
    assert next_in_sequence("r", DAY) == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_in_sequence("r", DAY) == 2
        raise RuntimeError
    assert next_in_sequence("r", DAY) == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_callers_never_share_a_number():
    results, errors = [], []

    def worker():
        try:
            for _ in range(25):
                with transaction.atomic():
                    results.append(next_in_sequence("c", DAY))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(results) == list(range(1, 201))
