"""What receiving a dossier at the counter costs in SQL statements, pinned so that a regression fails.

Through the real endpoint (`POST /api/dossiers`, multipart with two files and a document shown), with
the reception officer's bearer token, in a real transaction as in production (`transaction=True`:
BEGIN/COMMIT and the live events written after commit are counted). The audit chain's append and the
outbox row are part of the count on purpose; on PostgreSQL the audit append also takes the chain's
advisory lock and the outbox write its writers' lock (one statement more each).
"""

import json

import pytest
from django.db import connection
from django.test.client import RequestFactory

from motcua.core import tokens

from .conftest import land_files, land_payload

pytestmark = pytest.mark.django_db(transaction=True)

INTAKE_MAX = 21  # 20, and the procedure's fee rules read to open its invoice (payments; fees add 4 more)
POSTGRES_LOCKS = 2  # the audit chain's and the outbox's advisory locks


def test_receiving_a_dossier_at_the_counter(client, world, django_assert_max_num_queries):
    from motcua.org.models import ServicePoint

    ServicePoint.objects.create(branch=world.branch, code="cn1-a", name="Điểm tiếp nhận A", address="1 Phố A")
    issued = tokens.issue_token(RequestFactory().post("/api/auth/token"), username="reception",
                                password="pw-reception")
    bearer = {"Authorization": f"Bearer {issued.token}"}
    first = client.post("/api/dossiers", {"data": json.dumps(land_payload()), **land_files()}, headers=bearer)
    assert first.status_code == 201, first.content
    payload = land_payload()
    payload["applicant"]["id_number"] = "001190005679"
    chain_locks = POSTGRES_LOCKS if connection.vendor == "postgresql" else 0
    with django_assert_max_num_queries(INTAKE_MAX + chain_locks):
        response = client.post("/api/dossiers", {"data": json.dumps(payload), **land_files()}, headers=bearer)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["code"] != first.json()["code"] and len(body["documents"]) == 3
