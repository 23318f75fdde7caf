"""The event bus: published after commit, streamed as server-sent events after the last id, pruned."""

import asyncio
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from motcua.core import events
from motcua.core.models import LiveEvent

pytestmark = pytest.mark.django_db


class FakeTime:
    def __init__(self):
        self.now = 0.0

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def test_events_are_written_only_when_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        events.publish("queue:1", "call", {"ticket": "B-001"})
        assert not LiveEvent.objects.exists()
    assert LiveEvent.objects.get().payload == {"ticket": "B-001"}


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_publishes_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        events.publish("queue:1", "call", {"ticket": "B-001"})
        raise RuntimeError
    assert not LiveEvent.objects.exists()


def test_payloads_must_be_json():
    with pytest.raises(TypeError):
        events.publish("queue:1", "call", {"when": object()})


def test_the_stream_sends_new_events_of_its_channel_in_order():
    old = LiveEvent.objects.create(channel="queue:1", name="call", payload={"ticket": "A-001"})
    fake = FakeTime()
    stream = events.stream("queue:1", poll_seconds=0.25, max_seconds=2, sleep=fake.sleep, clock=fake.clock)
    assert next(stream) == f"retry: 1000\nid: {old.pk}\nevent: ready\ndata: {{}}\n\n"
    LiveEvent.objects.create(channel="queue:2", name="call", payload={"ticket": "X-001"})
    new = LiveEvent.objects.create(channel="queue:1", name="call", payload={"ticket": "B-002", "counter": 5})
    frame = next(stream)
    assert frame == f'id: {new.pk}\nevent: call\ndata: {{"ticket":"B-002","counter":5}}\n\n'
    assert old.pk < new.pk
    assert list(stream) == []  # ends after max_seconds; EventSource reconnects


def test_a_client_that_saw_no_event_resumes_from_the_opening_cursor():
    """An event published between the end of a stream and the reconnection is not lost."""
    fake = FakeTime()
    opening = next(events.stream("c", max_seconds=1, sleep=fake.sleep, clock=fake.clock))
    last_event_id = opening.split("id: ")[1].split("\n")[0]
    gap = LiveEvent.objects.create(channel="c", name="call", payload={"ticket": "B-001"})
    frames = list(events.stream("c", last_id=events.parse_last_event_id(last_event_id), max_seconds=1,
                                sleep=fake.sleep, clock=fake.clock))
    assert events.format_event(gap) in frames


def test_the_stream_resumes_after_last_event_id_and_sends_heartbeats():
    first = LiveEvent.objects.create(channel="c", name="change", payload={})
    second = LiveEvent.objects.create(channel="c", name="change", payload={"n": 2})
    fake = FakeTime()
    frames = list(events.stream("c", last_id=first.pk, max_seconds=40, heartbeat_seconds=15, sleep=fake.sleep,
                                clock=fake.clock))
    assert frames[1].startswith(f"id: {second.pk}\n")
    assert frames.count(": keepalive\n\n") == 2


def test_sse_response_reads_the_last_event_id_header(rf):
    event = LiveEvent.objects.create(channel="c", name="call", payload={"ticket": "A-009"})
    request = rf.get("/events", HTTP_LAST_EVENT_ID=str(event.pk - 1))
    response = events.sse_response("c", request, max_seconds=0.5, poll_seconds=0.1)
    assert response["Content-Type"].startswith("text/event-stream") and response["Cache-Control"] == "no-cache"
    body = b"".join(response.streaming_content).decode()
    assert "A-009" in body


@pytest.mark.django_db(transaction=True)
def test_the_asgi_stream_sends_the_same_frames():
    first = LiveEvent.objects.create(channel="c", name="change", payload={})
    second = LiveEvent.objects.create(channel="c", name="call", payload={"ticket": "B-003"})
    fake = FakeTime()

    async def fake_sleep(seconds):
        fake.sleep(seconds)

    async def collect():
        return [frame async for frame in events.astream("c", last_id=first.pk, max_seconds=20,
                                                         heartbeat_seconds=15, sleep=fake_sleep, clock=fake.clock)]

    frames = asyncio.run(collect())
    assert frames[0].startswith("retry:") and frames[1] == events.format_event(second)
    assert frames.count(": keepalive\n\n") == 1


def test_sse_response_streams_asynchronously_under_asgi():
    from django.test import AsyncRequestFactory

    request = AsyncRequestFactory().get("/events")
    response = events.sse_response("c", request)
    assert response.is_async


@pytest.mark.parametrize("value,expected", [(None, None), ("", None), ("12", 12), ("x", None), ("-3", None)])
def test_parse_last_event_id(value, expected):
    assert events.parse_last_event_id(value) == expected


def test_prune_removes_old_events_only():
    LiveEvent.objects.create(channel="c", name="x", created_at=timezone.now() - timedelta(hours=3))
    LiveEvent.objects.create(channel="c", name="y")
    assert events.prune() == 1
    assert list(LiveEvent.objects.values_list("name", flat=True)) == ["y"]
