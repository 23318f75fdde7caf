"""What a request of the hall costs in SQL statements, pinned so that a regression fails the suite.

Measured through the real endpoints with an officer's bearer token (the reception desk, the counter's
console), in a real transaction as in production (`transaction=True`: BEGIN/COMMIT and the live
events written after commit are counted). Run with `-s` to see a failing request's statements.
"""

import pytest
from django.test.client import RequestFactory

from motcua.core import events, tokens

from .conftest import citizen_id

pytestmark = pytest.mark.django_db(transaction=True)

JSON = "application/json"
ISSUE_MAX = 14  # 12 + the saved staffing plan read (capacity follows it) + the estimate given inserted
CALL_NEXT_MAX = 8
CALL_NEXT_FIRST_MAX = 12
BOARD_MAX = 7  # computed (the first read after a change)
SHARED_BOARD_MAX = 1


@pytest.fixture
def bearer(hall):
    issued = tokens.issue_token(RequestFactory().post("/api/auth/token"), username="canbo1", password="Mot-cua-2025!")
    return {"Authorization": f"Bearer {issued.token}"}


def issue(client, hall, bearer, n: int, group: str = "B"):
    response = client.post(f"/api/service-points/{hall.point.pk}/tickets", {"group": group, "national_id": citizen_id(n)},
                           content_type=JSON, headers=bearer)
    assert response.status_code == 201, response.content
    return response


def call_next(client, counter, bearer):
    response = client.post(f"/api/counters/{counter.pk}/call-next?finish_current=true", headers=bearer)
    assert response.status_code == 200, response.content
    return response


def test_issuing_a_ticket_at_the_reception_desk(client, hall, bearer, django_assert_max_num_queries):
    for n in range(1, 4):
        issue(client, hall, bearer, n)
    call_next(client, hall.counters[0], bearer)
    call_next(client, hall.counters[0], bearer)  # a finished service: the typical time has a sample
    with django_assert_max_num_queries(ISSUE_MAX):
        body = issue(client, hall, bearer, 9).json()
    assert body["number"] == "B-004" and body["position"] == 2


def test_calling_the_next_ticket(client, hall, bearer, django_assert_max_num_queries):
    for n in range(1, 5):
        issue(client, hall, bearer, n)
    with django_assert_max_num_queries(CALL_NEXT_FIRST_MAX):  # the counter's first call creates its state
        assert call_next(client, hall.counters[0], bearer).json()["ticket"]["number"] == "B-001"
    with django_assert_max_num_queries(CALL_NEXT_MAX):  # finishes B-001, calls B-002
        assert call_next(client, hall.counters[0], bearer).json()["ticket"]["number"] == "B-002"


def test_reading_the_board(client, hall, bearer, django_assert_max_num_queries):
    for n in range(1, 4):
        issue(client, hall, bearer, n)
    issue(client, hall, bearer, 5, group="A")
    call_next(client, hall.counters[0], bearer)
    call_next(client, hall.counters[0], bearer)
    events.transport().wait_ready()  # the process's bus started (once per process, not per request)
    with django_assert_max_num_queries(BOARD_MAX):
        body = client.get(f"/api/service-points/{hall.point.pk}/board").json()
    assert [c["ticket"] for c in body["counters"]][:1] == ["B-002"]
    assert {g["letter"]: g["waiting"] for g in body["groups"]} == {"A": 1, "B": 1}


def test_the_board_is_computed_once_per_change_and_shared(client, hall, bearer, django_assert_max_num_queries):
    for n in range(1, 4):
        issue(client, hall, bearer, n)
    call_next(client, hall.counters[0], bearer)
    url = f"/api/service-points/{hall.point.pk}/board"
    events.transport().wait_ready()  # until this process's listener receives, nothing is shared
    first = client.get(url).json()
    with django_assert_max_num_queries(SHARED_BOARD_MAX):  # the service point only: the panel is shared
        assert client.get(url).json() == first
    call_next(client, hall.counters[0], bearer)  # an event of the hall: the next read computes again
    after = client.get(url).json()
    assert [c["ticket"] for c in after["counters"]][:1] == ["B-002"] != [c["ticket"] for c in first["counters"]][:1]
    assert {g["letter"]: g["waiting"] for g in after["groups"]} == {"A": 0, "B": 1}
