"""The event bus on PostgreSQL: NOTIFY leaves at commit and one LISTEN connection serves a process."""

import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from motcua.core import events

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://…)")


def received(subscription, until_name: str) -> list[str]:
    """The names of the events the subscription got, up to the one named `until_name`."""
    names: list[str] = []
    while until_name not in names:
        assert subscription.wait(10), f"no event within 10 s (got {names})"
        names += [e.name for e in subscription.take()]
    return names


def test_an_event_reaches_the_listener_at_commit_and_never_after_a_rollback():
    assert events.transport().name == "postgres"
    assert events.transport().wait_ready()
    hub = events.get_hub()
    subscription = hub.subscribe("queue:1")
    with transaction.atomic():
        events.publish("queue:1", "committed", {"n": 1})
        # In the open transaction, nothing was sent: the event leaves with the commit.
        assert not subscription.wait(0.3) and subscription.take() == []
    assert received(subscription, "committed") == ["committed"]

    with pytest.raises(RuntimeError), transaction.atomic():
        events.publish("queue:1", "rolled-back", {"n": 2})
        raise RuntimeError
    events.publish("queue:1", "marker", {"n": 3})  # outside a transaction: sent at once
    assert received(subscription, "marker") == ["marker"]


def test_an_event_published_by_another_connection_reaches_this_process():
    events.transport().wait_ready()
    subscription = events.get_hub().subscribe("c")

    def elsewhere():
        try:
            events.publish("c", "elsewhere", {"ok": True})
        finally:
            connection.close()

    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join()
    assert received(subscription, "elsewhere") == ["elsewhere"]


def test_the_listener_reconnects_and_catches_up_after_losing_its_connection():
    bus = events.transport()
    bus.wait_ready()
    subscription = events.get_hub().subscribe("c")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE application_name = 'motcua-events' AND datname = current_database()")
    events.publish("c", "while-away", {})  # published while the listener is down or reconnecting
    assert received(subscription, "while-away") == ["while-away"]


def test_an_event_arrives_whole_in_one_statement_and_a_large_one_through_the_table():
    events.transport().wait_ready()
    subscription = events.get_hub().subscribe("c")
    small = {"quầy": 3, "vé": "B-001", "nested": {"list": [1, 2]}}
    with CaptureQueriesContext(connection) as sent:
        events.publish("c", "small", small)
    assert len(sent) == 1  # the replay row and its notification in one round trip
    large = {"text": "Hồ sơ " * 2000}  # beyond NOTIFY's 8000 bytes: only the id travels
    events.publish("c", "large", large)
    got: list = []
    while "large" not in [e.name for e in got]:
        assert subscription.wait(10), f"no event within 10 s (got {got})"
        got += subscription.take()
    assert [(e.name, e.payload) for e in got] == [("small", small), ("large", large)]
    assert [e.id for e in got] == sorted(e.id for e in got) and got[0].id == events.latest_id("c") - 1
