"""The event bus: published after commit, fanned out by the hub, streamed as server-sent events."""

import asyncio
import threading
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from motcua.core import events
from motcua.core.events.hub import Event, Hub
from motcua.core.models import LiveEvent
from motcua.core.tests.asgi_streams import run_fresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def local_bus(monkeypatch):
    """This process's bus without a listener: publish hands events to the hub (SQLite's transport).

    On PostgreSQL the test's own transaction would hold back every NOTIFY; the listener itself is
    tested in test_events_postgres.py.
    """
    from motcua.core.events.listeners import LocalTransport

    hub = Hub()
    bus = LocalTransport(hub)
    monkeypatch.setattr(events, "_bus", lambda: (hub, bus))
    return bus


def ready_hub(**options) -> Hub:
    hub = Hub(**options)
    hub.mark_ready(0)
    return hub


def test_events_are_written_only_when_the_transaction_commits(django_capture_on_commit_callbacks):
    hub = events.get_hub()
    events.transport().wait_ready()  # as the first stream does
    with django_capture_on_commit_callbacks(execute=True):
        events.publish("queue:1", "call", {"ticket": "B-001"})
        assert not LiveEvent.objects.exists()
    row = LiveEvent.objects.get()
    assert row.payload == {"ticket": "B-001"}
    if events.transport().name == "local":  # other transports reach the hub through their listener
        assert hub.replay("queue:1", 0) == [Event(row.pk, "queue:1", "call", {"ticket": "B-001"})]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_publishes_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        events.publish("queue:1", "call", {"ticket": "B-001"})
        raise RuntimeError
    assert not LiveEvent.objects.exists()
    assert events.get_hub().replay("queue:1", 0) in ([], None)


def test_payloads_must_be_json():
    with pytest.raises(TypeError):
        events.publish("queue:1", "call", {"when": object()})


# --- The hub ---------------------------------------------------------------------------------------

def test_the_hub_fans_one_event_out_to_every_subscriber_of_its_channel():
    hub = ready_hub()
    mine = [hub.subscribe("queue:1") for _ in range(50)]
    other = hub.subscribe("queue:2")
    hub.deliver(Event(7, "queue:1", "call", {"ticket": "A-001"}))
    assert all(s.take() == [Event(7, "queue:1", "call", {"ticket": "A-001"})] for s in mine)
    assert other.take() == []


def test_a_slow_subscriber_is_dropped_without_holding_up_the_others():
    hub = ready_hub(queue_size=3)
    slow, quick = hub.subscribe("c"), hub.subscribe("c")
    for n in range(1, 6):
        hub.deliver(Event(n, "c", "change"))
        assert [e.id for e in quick.take()] == [n]
    assert slow.overflowed and [e.id for e in slow.take()] == [1, 2, 3]
    assert hub.subscriber_count("c") == 1  # the slow one was let go; its client reconnects


def test_the_hub_replays_from_memory_only_as_far_back_as_it_reaches():
    hub = Hub(ring_size=3)
    assert hub.replay("c", 0) is None  # not listening yet: memory knows nothing
    hub.mark_ready(10)
    assert hub.replay("c", 10) == [] and hub.replay("c", 9) is None
    for n in range(11, 16):
        hub.deliver(Event(n, "c", "change"))
    assert [e.id for e in hub.replay("c", 12)] == [13, 14, 15]
    assert hub.replay("c", 11) is None  # 12 fell out of the ring: the table has it


def test_two_hundred_async_subscribers_receive_one_published_event():
    hub = ready_hub()

    async def listen(ready: asyncio.Event, count: list[int]):
        frames = []
        async for frame in events.astream("queue:9", hub=hub, max_seconds=30):
            frames.append(frame)
            if len(frames) == 1:
                count[0] += 1
                if count[0] == 200:
                    ready.set()
            if frame.startswith("id: 1\nevent: call"):
                return frames
        return frames

    async def run():
        ready, count = asyncio.Event(), [0]
        tasks = [asyncio.create_task(listen(ready, count)) for _ in range(200)]
        await ready.wait()
        # Published from another thread, as a listener or a request thread does.
        threading.Thread(target=hub.deliver, args=(Event(1, "queue:9", "call", {"ticket": "B-001"}),)).start()
        return await asyncio.wait_for(asyncio.gather(*tasks), 30)

    results = run_fresh(run)
    assert len(results) == 200
    assert all(frames[-1] == 'id: 1\nevent: call\ndata: {"ticket":"B-001"}\n\n' for frames in results)
    assert hub.subscriber_count() == 0  # every stream let go of its subscription


# --- Streams ----------------------------------------------------------------------------------------

def test_the_stream_sends_new_events_of_its_channel_in_order(local_bus, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        events.publish("queue:1", "call", {"ticket": "A-001"})
    old = LiveEvent.objects.get()
    stream = events.stream("queue:1", max_seconds=1)
    assert next(stream) == f"retry: 1000\nid: {old.pk}\nevent: ready\ndata: {{}}\n\n"
    with django_capture_on_commit_callbacks(execute=True):
        events.publish("queue:2", "call", {"ticket": "X-001"})
        events.publish("queue:1", "call", {"ticket": "B-002", "counter": 5})
    new = LiveEvent.objects.get(channel="queue:1", payload__ticket="B-002")
    assert next(stream) == f'id: {new.pk}\nevent: call\ndata: {{"ticket":"B-002","counter":5}}\n\n'
    assert old.pk < new.pk
    assert [f for f in stream if not f.startswith(":")] == []  # ends after max_seconds; EventSource reconnects


def test_a_client_that_saw_no_event_resumes_from_the_opening_cursor(local_bus, django_capture_on_commit_callbacks):
    """An event published between the end of a stream and the reconnection is not lost."""
    opening = next(events.stream("c", max_seconds=0.1))
    last_event_id = opening.split("id: ")[1].split("\n")[0]
    with django_capture_on_commit_callbacks(execute=True):
        events.publish("c", "call", {"ticket": "B-001"})
    gap = LiveEvent.objects.get()
    frames = list(events.stream("c", last_id=events.parse_last_event_id(last_event_id), max_seconds=0.1))
    assert events.format_event(gap) in frames


def test_a_client_away_longer_than_memory_resumes_from_the_table():
    first = LiveEvent.objects.create(channel="c", name="change", payload={})
    second = LiveEvent.objects.create(channel="c", name="change", payload={"n": 2})
    hub = Hub()
    hub.mark_ready(second.pk)  # memory starts after both: they come from the table
    frames = list(events.stream("c", last_id=first.pk, max_seconds=0.1, hub=hub))
    assert frames[1] == events.format_event(second)


def test_the_stream_sends_heartbeats_while_nothing_happens():
    frames = list(events.stream("c", hub=ready_hub(), max_seconds=0.5, heartbeat_seconds=0.01))
    assert frames[0].startswith("retry:") and ": keepalive\n\n" in frames


def test_a_slow_client_stream_ends_so_that_it_reconnects():
    hub = ready_hub(queue_size=2)
    stream = events.stream("c", hub=hub, max_seconds=30)
    next(stream)
    for n in range(1, 5):
        hub.deliver(Event(n, "c", "change"))
    assert [f.split("\n")[0] for f in stream] == ["id: 1", "id: 2"]  # then it ended, long before 30 s


@pytest.mark.django_db(transaction=True)
def test_the_asgi_stream_sends_the_same_frames():
    hub = ready_hub()

    async def collect():
        frames = []
        async for frame in events.astream("c", last_id=0, max_seconds=5, hub=hub):
            frames.append(frame)
            if len(frames) == 1:
                hub.deliver(Event(3, "c", "call", {"ticket": "B-003"}))
            if len(frames) == 2:
                break
        return frames

    frames = run_fresh(collect)
    assert frames == [events.opening_frame(0), 'id: 3\nevent: call\ndata: {"ticket":"B-003"}\n\n']
    assert hub.subscriber_count() == 0


def test_sse_response_reads_the_last_event_id_header(rf, local_bus, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        events.publish("c", "call", {"ticket": "A-009"})
    event = LiveEvent.objects.get()
    request = rf.get("/events", HTTP_LAST_EVENT_ID=str(event.pk - 1))
    response = events.sse_response("c", request, max_seconds=0.1)
    assert response["Content-Type"].startswith("text/event-stream") and response["Cache-Control"] == "no-cache"
    body = b"".join(response.streaming_content).decode()
    assert "A-009" in body


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


def test_a_shared_answer_lasts_until_the_next_event_of_its_channel_or_its_time(local_bus,
                                                                             django_capture_on_commit_callbacks):
    shared = events._Shared()
    now = [100.0]
    computed: list[int] = []

    def answer():
        computed.append(len(computed) + 1)
        return computed[-1]

    def read(channel="queue:1"):
        return shared.get(channel, "board", answer, seconds=5, clock=lambda: now[0])

    assert read() == 1 and read() == 1  # computed once, then shared
    with django_capture_on_commit_callbacks(execute=True):
        events.publish("queue:2", "call", {})
    assert read() == 1  # another channel's event changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        events.publish("queue:1", "call", {})
    assert read() == 2  # this channel's event: computed again
    now[0] += 5.1
    assert read() == 3  # older than its time: computed again
    assert read("queue:2") == 4 and read() == 3  # each channel has its own answer


def test_on_sqlite_each_process_reads_what_the_others_published():
    """Two processes (two hubs, two transports over one table): each gets the other's events once."""
    from motcua.core.events.listeners import PollingTransport, publish_rows

    first, second = PollingTransport(Hub(), 60), PollingTransport(Hub(), 60)
    for transport in (first, second):
        transport.hub.mark_ready(0)  # as `start` does, without its thread
    watching = second.hub.subscribe(["queue:1", "queue:2"])
    [mine] = publish_rows(first, [("queue:1", "call", {"ticket": "B-001"})])
    [theirs] = publish_rows(second, [("queue:2", "change", {})])
    assert [e.id for e in watching.take()] == [theirs.pk]  # its own at once
    assert second.poll_once() == 1  # the other's on the next read; its own not twice
    assert [e.id for e in watching.take()] == [mine.pk]
    assert second.poll_once() == 0 and first.poll_once() == 1
    assert [e.id for e in first.hub.replay("queue:2", 0)] == [theirs.pk]


@pytest.mark.django_db(transaction=True)
def test_the_reading_thread_delivers_within_its_interval(settings):
    settings.MOTCUA_EVENTS_POLL_SECONDS = 0.05
    if events.transport().name != "sqlite-poll":
        pytest.skip("the table is read only on SQLite; PostgreSQL and Redis notify")
    from motcua.core.events.listeners import PollingTransport, publish_rows

    events.transport().wait_ready()
    subscription = events.get_hub().subscribe("queue:9")
    other = PollingTransport(Hub(), 60)  # another process publishing
    [row] = publish_rows(other, [("queue:9", "call", {"ticket": "A-001"})])
    assert subscription.wait(5)
    assert [e.id for e in subscription.take()] == [row.pk]
