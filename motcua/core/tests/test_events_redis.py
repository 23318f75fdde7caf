"""The event bus through Redis pub/sub (REDIS_URL): sent at commit, received by this process's listener.

Runs when MOTCUA_TEST_REDIS_URL names a Redis server to use (e.g. redis://127.0.0.1:6379/15).
"""

import os

import pytest
from django.db import transaction

from motcua.core import events

pytestmark = pytest.mark.django_db(transaction=True)
REDIS_URL = os.environ.get("MOTCUA_TEST_REDIS_URL", "")


@pytest.fixture(autouse=True)
def redis_bus(settings):
    if not REDIS_URL:
        pytest.skip("set MOTCUA_TEST_REDIS_URL to run the Redis tests")
    pytest.importorskip("redis")
    events.reset_hub()
    settings.REDIS_URL = REDIS_URL
    yield
    events.reset_hub()


def received(subscription, until_name: str) -> list[str]:
    names: list[str] = []
    while until_name not in names:
        assert subscription.wait(10), f"no event within 10 s (got {names})"
        names += [e.name for e in subscription.take()]
    return names


def test_an_event_goes_through_redis_at_commit_and_never_after_a_rollback():
    assert events.transport().name == "redis"
    assert events.transport().wait_ready()
    subscription = events.get_hub().subscribe("queue:1")
    with pytest.raises(RuntimeError), transaction.atomic():
        events.publish("queue:1", "rolled-back", {})
        raise RuntimeError
    with transaction.atomic():
        events.publish("queue:1", "committed", {"ticket": "B-001"})
    assert received(subscription, "committed") == ["committed"]
    replayed = events.get_hub().replay("queue:1", 0)
    assert replayed is not None and [e.payload for e in replayed] == [{"ticket": "B-001"}]
