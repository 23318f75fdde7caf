"""Two batches over the same dossiers at the same moment: each dossier approved and sealed once (PostgreSQL).

SQLite runs one writer at a time; the batch itself is tested in test_results.py.
"""

import threading

import pytest
from django.db import connection, connections

from motcua.dossiers.models import Dossier, State
from motcua.signing import services
from motcua.signing.models import SignedDocument, SigningBatchItem

from .test_results import awaiting_approval, people  # noqa: F401 - the fixture

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")


def test_two_batches_over_the_same_dossiers_never_seal_one_twice(client, people):  # noqa: F811
    dossiers = [awaiting_approval(client, people) for _n in range(4)]
    for dossier in dossiers:
        services.sign_result(people.head, dossier)
    codes = [d.code for d in dossiers]
    batches = [services.start_batch(people.leader, codes), services.start_batch(people.leader, codes[::-1])]
    barrier = threading.Barrier(len(batches))
    errors = []

    def run(batch_id):
        try:
            barrier.wait()
            services.run_batch(batch_id)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(b.pk,)) for b in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for dossier in dossiers:
        assert Dossier.objects.get(pk=dossier.pk).state == State.APPROVED
        assert SignedDocument.objects.filter(dossier=dossier, form="result", seal__isnull=False).count() == 1
        items = SigningBatchItem.objects.filter(dossier=dossier)
        assert sorted(items.values_list("status", flat=True)) == ["failed", "signed"]
        assert items.get(status="failed").reason_code in ("conflict", "invalid_state")
