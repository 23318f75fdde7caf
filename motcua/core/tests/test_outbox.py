"""The outbox: messages written with their change, read by each consumer after its own cursor.

Each message of a consumer's topics is handled once and in order; a retryable failure stops the run
and the next one starts again from that message; the cursor moves with the handler's own writes;
two runs of one consumer at the same moment never handle a message twice (threads, on SQLite and on
PostgreSQL: `DATABASE_URL=postgres://… pytest -m postgres`); old messages every consumer is past are
pruned, no others.
"""

import datetime as dt
import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from motcua.core import outbox
from motcua.core.models import ConsumerCursor, DailySequence, OutboxMessage

pytestmark = pytest.mark.django_db


class Unavailable(Exception):
    pass


def emit_many(n, topic="thing.changed"):
    return [outbox.emit(topic, "thing", f"T-{i}", {"i": i}) for i in range(1, n + 1)]


def recorder(fail_on=(), error=Unavailable):
    handled = []

    def handle(message):
        if message.payload["i"] in fail_on:
            raise error()
        handled.append(message.payload["i"])
        return True

    handle.handled = handled
    return handle


def test_a_message_exists_only_if_its_change_committed():
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.emit("thing.changed", "thing", "T-1", {"i": 1})
        raise RuntimeError
    message = outbox.emit("thing.changed", "thing", "T-2", {"i": 2, "at": timezone.now()})
    assert list(OutboxMessage.objects.values_list("object_id", flat=True)) == ["T-2"]
    assert isinstance(OutboxMessage.objects.get(pk=message.pk).payload["at"], str)  # stored as JSON reads back


def test_messages_are_handled_once_in_order():
    emit_many(3)
    handle = recorder()
    assert outbox.consume("job", ["thing.changed"], handle) == {"done": 3, "skipped": 0, "failed": 0}
    emit_many(2)
    assert outbox.consume("job", ["thing.changed"], handle) == {"done": 2, "skipped": 0, "failed": 0}
    assert outbox.consume("job", ["thing.changed"], handle) == {"done": 0, "skipped": 0, "failed": 0}
    assert handle.handled == [1, 2, 3, 1, 2]


def test_each_consumer_has_its_own_cursor_and_topics():
    outbox.emit("a.x", "thing", "1", {"i": 1})
    outbox.emit("b.x", "thing", "2", {"i": 2})
    outbox.emit("a.y", "thing", "3", {"i": 3})
    first, second = recorder(), recorder()
    outbox.consume("first", ["a.x", "a.y"], first)
    outbox.consume("second", ["b.x", "a.y"], second)
    assert (first.handled, second.handled) == ([1, 3], [2, 3])
    # Caught up: both cursors stand at the newest message, whatever its topic.
    assert set(ConsumerCursor.objects.filter(name__in=["first", "second"]).values_list("name", "last_id")) == {
        ("first", outbox.latest_id()), ("second", outbox.latest_id())}


def test_nothing_to_do_counts_as_skipped_and_moves_the_cursor():
    emit_many(2)
    assert outbox.consume("job", ["thing.changed"], lambda message: message.payload["i"] == 2) == {
        "done": 1, "skipped": 1, "failed": 0}
    assert outbox.cursor_of("job").last_id == outbox.latest_id()


def test_a_retryable_failure_stops_the_run_and_the_next_run_starts_there():
    messages = emit_many(4)
    counts = outbox.consume("job", ["thing.changed"], recorder(fail_on={2}), retryable=(Unavailable,))
    assert counts == {"done": 1, "skipped": 0, "failed": 1}
    assert outbox.cursor_of("job").last_id == messages[0].pk  # not past the failed one, nor the later ones
    handle = recorder()
    assert outbox.consume("job", ["thing.changed"], handle)["done"] == 3
    assert handle.handled == [2, 3, 4]


def test_any_other_failure_propagates_and_undoes_the_handlers_writes():
    emit_many(1)

    def handle(message):
        DailySequence.objects.create(scope="handler", day=timezone.localdate())
        raise ValueError("bug")

    with pytest.raises(ValueError):
        outbox.consume("job", ["thing.changed"], handle)
    assert not DailySequence.objects.exists() and outbox.cursor_of("job").last_id == 0


def test_the_handlers_writes_and_the_cursor_commit_together():
    emit_many(1)
    seen = []

    def handle(message):
        seen.append(ConsumerCursor.objects.get(name="job").last_id)  # in the same transaction: not yet moved
        return True

    outbox.consume("job", ["thing.changed"], handle)
    assert seen == [0] and outbox.cursor_of("job").last_id == outbox.latest_id()


def test_a_batch_at_a_time():
    emit_many(5)
    handle = recorder()
    assert outbox.consume("job", ["thing.changed"], handle, batch=2)["done"] == 2
    assert outbox.consume("job", ["thing.changed"], handle, batch=2)["done"] == 2
    assert outbox.consume("job", ["thing.changed"], handle, batch=2)["done"] == 1
    assert handle.handled == [1, 2, 3, 4, 5]


def test_messages_older_than_max_age_are_passed_over():
    old = outbox.emit("thing.changed", "thing", "old", {"i": 1})
    OutboxMessage.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=3))
    emit_many(1)
    handle = recorder()
    outbox.consume("job", ["thing.changed"], handle, max_age=dt.timedelta(days=1))
    assert handle.handled == [1] and OutboxMessage.objects.count() == 2
    assert outbox.consume("job", ["thing.changed"], recorder())["done"] == 0  # passed over for good


def test_a_message_another_run_dealt_with_meanwhile_is_not_handled_again(monkeypatch):
    emit_many(1)
    stale = outbox.pending(0, ["thing.changed"])
    outbox.consume("job", ["thing.changed"], recorder())  # the other run
    monkeypatch.setattr(outbox, "pending", lambda *args, **kwargs: stale)
    handle = recorder()
    assert outbox.consume("job", ["thing.changed"], handle) == {"done": 0, "skipped": 0, "failed": 0}
    assert handle.handled == []


# --- pruning ----------------------------------------------------------------------------------------

def age(messages, days):
    OutboxMessage.objects.filter(pk__in=[m.pk for m in messages]).update(
        created_at=timezone.now() - dt.timedelta(days=days))


def test_prune_removes_only_old_messages_every_consumer_is_past(settings):
    settings.MOTCUA_OUTBOX_KEEP_DAYS = 10
    ConsumerCursor.objects.all().delete()  # the apps' own consumers (created by their migration) aside
    messages = emit_many(4)
    age(messages[:3], 11)
    assert outbox.prune_consumed() == {"deleted": 0}  # no consumer: nothing is known to be consumed
    outbox.cursor_of("idle")
    outbox.consume("fast", ["thing.changed"], recorder())
    assert outbox.prune_consumed() == {"deleted": 0}  # a consumer that has not run yet holds everything
    ConsumerCursor.objects.filter(name="idle").delete()
    outbox.consume("fast", ["thing.changed"], recorder())
    outbox.consume("slow", ["thing.changed"], recorder(fail_on={2}), retryable=(Unavailable,))  # stuck after the first
    assert outbox.prune_consumed() == {"deleted": 1}
    assert list(OutboxMessage.objects.values_list("payload__i", flat=True)) == [2, 3, 4]
    outbox.consume("slow", ["thing.changed"], recorder())
    assert outbox.prune_consumed() == {"deleted": 2}  # the fourth is consumed but recent
    assert list(OutboxMessage.objects.values_list("payload__i", flat=True)) == [4]


def test_prune_is_a_periodic_job(settings):
    from motcua.core.scheduler import configured_jobs

    assert any(job.path == "motcua.core.outbox.prune_consumed" for job in configured_jobs())


# --- concurrent runs --------------------------------------------------------------------------------

@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_of_one_consumer_at_the_same_moment_handle_each_message_once():
    count = 40
    emit_many(count)
    barrier = threading.Barrier(2)
    handled, lock, results, errors = [], threading.Lock(), [], []

    def handle(message):
        with lock:
            handled.append(message.payload["i"])
        return True

    def run():
        try:
            barrier.wait()
            results.append(outbox.consume("job", ["thing.changed"], handle))
        except Exception as exc:  # pragma: no cover - shown in the assertion
            errors.append(repr(exc))
        finally:
            connection.close()  # one connection per thread, closed: the test holds no more than that

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(handled) == list(range(1, count + 1))  # every message once, none twice
    assert sum(result["done"] for result in results) == count
    assert outbox.cursor_of("job").last_id == outbox.latest_id()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_make_ids_visible_in_order():
    """A consumer that saw id N never later finds a message below N (writers commit in id order)."""
    writers = 3
    barrier = threading.Barrier(writers + 1)
    seen_heads, errors = [], []

    def write(worker):
        try:
            barrier.wait()
            for i in range(10):
                with transaction.atomic():  # a change with more work after its message, as a use case has
                    outbox.emit("thing.changed", "thing", f"{worker}-{i}", {"i": i})
                    OutboxMessage.objects.filter(object_id__startswith=str(worker)).count()
                    OutboxMessage.objects.filter(object_id__startswith=str(worker)).exists()
        except Exception as exc:  # pragma: no cover
            errors.append(repr(exc))
        finally:
            connection.close()

    def read():
        try:
            barrier.wait()
            for _ in range(60):
                head = outbox.latest_id()
                below = OutboxMessage.objects.filter(id__lte=head).count()
                seen_heads.append((head, below))
        except Exception as exc:  # pragma: no cover
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)] + [threading.Thread(target=read)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    ids = list(OutboxMessage.objects.order_by("id").values_list("id", flat=True))
    assert len(ids) == writers * 10
    # Every id up to a head once seen was already there: none appeared below it later.
    for head, below in seen_heads:
        assert below == len([pk for pk in ids if pk <= head])
