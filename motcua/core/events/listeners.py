"""How events reach the hub of every server process: one listener per process.

- `LocalTransport` (SQLite, one server process): publish hands the event to this process's hub.
- `PollingTransport` (SQLite, the embedded default, whose demo runs two server workers and a
  scheduler): the same, and one thread per process reads the table every
  `MOTCUA_EVENTS_POLL_SECONDS` for the events the other processes published.
- `PostgresTransport`: publish writes the replay row and sends `pg_notify` in one statement (so
  in one implicit transaction: the notification leaves when the row is there, never without it);
  one psycopg async connection per process LISTENs.
- `RedisTransport` (when REDIS_URL is set): publish sends to a Redis pub/sub channel, one
  subscription per process receives.

The PostgreSQL and Redis listeners run their asyncio loop in a daemon thread of their own: they
serve the streams of the ASGI server and those of a threaded WSGI server alike, and outlive any
one event loop. They connect lazily (on the first stream), reconnect after a failure and, on
reconnecting, read the rows published while they were away so that open streams miss nothing.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections import deque
from typing import TYPE_CHECKING, Any

from django.db import connection

from ..models import LiveEvent
from .hub import Event, Hub

if TYPE_CHECKING:
    import redis

logger = logging.getLogger(__name__)

PG_CHANNEL = "motcua_events"
REDIS_CHANNEL = "motcua:events"
NOTIFY_LIMIT = 7900  # bytes; PostgreSQL refuses NOTIFY payloads of 8000 bytes and more
RECONNECT_SECONDS = (0.5, 1, 2, 5)
READY_TIMEOUT = 10.0


def to_event(row: LiveEvent) -> Event:
    return Event(id=row.pk, channel=row.channel, name=row.name, payload=row.payload)


def to_wire(row: LiveEvent) -> str:
    """The message sent to other processes (the PostgreSQL one is built in SQL the same way)."""
    return json.dumps({"i": row.pk, "c": row.channel, "n": row.name, "p": row.payload},
                      ensure_ascii=False, separators=(",", ":"))


def rows_after(last_id: int, limit: int = 1000) -> list[Event]:
    """Events of every channel after `last_id`, from the replay table (closes this thread's connection)."""
    try:
        return [to_event(row) for row in LiveEvent.objects.filter(id__gt=last_id).order_by("id")[:limit]]
    finally:
        release_connection()


def newest_id() -> int:
    try:
        return LiveEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    finally:
        release_connection()


def release_connection() -> None:
    """Close this thread's connection unless a transaction is using it: streams hold none while idle."""
    if not connection.in_atomic_block:
        connection.close()


class LocalTransport:
    """One process: the hub is the bus."""

    name = "local"

    def __init__(self, hub: Hub):
        self.hub = hub

    def publish(self, row: LiveEvent) -> None:
        self.hub.deliver(to_event(row))

    def start(self) -> None:
        if not self.hub.ready:
            self.hub.mark_ready(newest_id())

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> bool:
        self.start()
        return True

    def stop(self) -> None:
        pass


class PollingTransport(LocalTransport):
    """SQLite with several processes: this process's events reach its hub at once, the others' within
    `seconds` (one reading thread per process, whatever the number of streams)."""

    name = "sqlite-poll"
    REMEMBERED = 5000  # ids this process published, not to be delivered twice

    def __init__(self, hub: Hub, seconds: float):
        super().__init__(hub)
        self.seconds = seconds
        self.last_id = 0
        self._mine: deque[int] = deque()
        self._mine_set: set[int] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def publish(self, row: LiveEvent) -> None:
        with self._lock:
            self._mine.append(row.pk)
            self._mine_set.add(row.pk)
            if len(self._mine) > self.REMEMBERED:
                self._mine_set.discard(self._mine.popleft())
        super().publish(row)

    def start(self) -> None:
        super().start()
        with self._lock:
            if self._thread is not None:
                return
            self.last_id = max(self.last_id, self.hub.start_id or 0)
            self._thread = threading.Thread(target=self._run, name="events-sqlite-poll", daemon=True)
        self._thread.start()

    def poll_once(self) -> int:
        """Deliver the events published by other processes since the last poll; how many."""
        delivered = 0
        for event in rows_after(self.last_id):
            self.last_id = max(self.last_id, event.id)
            with self._lock:
                mine = event.id in self._mine_set
            if not mine:
                self.hub.deliver(event)
                delivered += 1
        return delivered

    def _run(self) -> None:
        while not self._stop.wait(self.seconds):
            try:
                self.poll_once()
            except Exception:
                logger.warning("could not read the live events of other processes", exc_info=True)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5.0)


class ThreadedListener:
    """A listener loop in a daemon thread; `listen_once` connects and delivers until it fails."""

    name = "threaded"

    def __init__(self, hub: Hub):
        self.hub = hub
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task | None = None
        self._ready = threading.Event()
        self._start_lock = threading.Lock()
        self.connections = 0  # how many times it connected (1 unless it had to reconnect)

    def start(self) -> None:
        with self._start_lock:
            if self._thread is not None:
                return
            self._thread = threading.Thread(target=self._run, name=f"events-{self.name}", daemon=True)
            self._thread.start()

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> bool:
        self.start()
        return self._ready.wait(timeout)

    def stop(self, timeout: float = 5.0) -> None:
        loop, task, thread = self._loop, self._task, self._thread
        if loop is not None and task is not None:
            try:
                loop.call_soon_threadsafe(task.cancel)
            except RuntimeError:
                pass
        if thread is not None:
            thread.join(timeout)

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            self._task = loop.create_task(self._forever())
            loop.run_until_complete(self._task)
        except asyncio.CancelledError:
            pass
        finally:
            loop.close()

    async def _forever(self) -> None:
        failures = 0
        while True:
            try:
                await self.listen_once()
                failures = 0
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("event listener (%s) lost its connection; reconnecting", self.name, exc_info=True)
                failures += 1
            await asyncio.sleep(RECONNECT_SECONDS[min(failures, len(RECONNECT_SECONDS) - 1)])

    async def catch_up(self, last_id: int) -> None:
        """After a reconnection: deliver what was published while the listener was away."""
        for event in await asyncio.to_thread(rows_after, last_id):
            self.hub.deliver(event)

    def connected(self, start_id: int) -> None:
        self.connections += 1
        self.hub.mark_ready(start_id)
        self._ready.set()

    async def deliver_wire(self, message: str | bytes) -> None:
        data = json.loads(message)
        if "c" not in data:  # too large for the wire: read it from the table
            rows = await asyncio.to_thread(rows_after, int(data["i"]) - 1, 1)
            if rows and rows[0].id == int(data["i"]):
                self.hub.deliver(rows[0])
            return
        self.hub.deliver(Event(id=int(data["i"]), channel=data["c"], name=data["n"], payload=data.get("p") or {}))

    async def listen_once(self) -> None:
        raise NotImplementedError


def postgres_conninfo() -> dict[str, Any]:
    settings = connection.settings_dict
    params = {"dbname": settings["NAME"], "user": settings.get("USER") or None,
              "password": settings.get("PASSWORD") or None, "host": settings.get("HOST") or None,
              "port": settings.get("PORT") or None}
    params.update({k: v for k, v in (settings.get("OPTIONS") or {}).items() if k in ("sslmode", "sslrootcert")})
    return {k: v for k, v in params.items() if v is not None}


class PostgresTransport(ThreadedListener):
    name = "postgres"

    async def listen_once(self) -> None:
        import psycopg

        params = postgres_conninfo()
        async with await psycopg.AsyncConnection.connect(autocommit=True, application_name="motcua-events",
                                                         **params) as conn:
            await conn.execute(f"LISTEN {PG_CHANNEL}")
            cursor = await conn.execute(f"SELECT coalesce(max(id), 0) FROM {LiveEvent._meta.db_table}")  # noqa: S608
            row = await cursor.fetchone()
            newest = int(row[0]) if row else 0
            if self.hub.ready:
                await self.catch_up(self.hub.latest_id)
            self.connected(newest)
            async for notification in conn.notifies():
                await self.deliver_wire(notification.payload)


class RedisTransport(ThreadedListener):
    name = "redis"

    def __init__(self, hub: Hub, url: str):
        super().__init__(hub)
        self.url = url
        self._client: redis.Redis | None = None

    def publish(self, row: LiveEvent) -> None:
        import redis

        client = self._client
        if client is None:
            client = self._client = redis.Redis.from_url(self.url)
        client.publish(REDIS_CHANNEL, to_wire(row))

    async def listen_once(self) -> None:
        import redis.asyncio as aioredis

        client = aioredis.Redis.from_url(self.url)
        try:
            pubsub = client.pubsub()
            await pubsub.subscribe(REDIS_CHANNEL)
            newest = await asyncio.to_thread(newest_id)
            if self.hub.ready:
                await self.catch_up(self.hub.latest_id)
            self.connected(newest)
            async for message in pubsub.listen():
                if message.get("type") == "message":
                    await self.deliver_wire(message["data"])
        finally:
            await client.aclose()


def make_transport(hub: Hub, *, vendor: str, redis_url: str = "", poll_seconds: float = 0):
    if redis_url:
        return RedisTransport(hub, redis_url)
    if vendor == "postgresql":
        return PostgresTransport(hub)
    return PollingTransport(hub, poll_seconds) if poll_seconds > 0 else LocalTransport(hub)


# One round trip on PostgreSQL: the rows' insert and their notifications, each message built as
# `to_wire` builds it, or only the id when the whole event is too large for NOTIFY (the listener reads
# the row).
_PG_INSERT_AND_NOTIFY = """
WITH row AS (
    INSERT INTO {table} (channel, name, payload, created_at) VALUES {values} RETURNING id, channel, name, payload
), wire AS (
    SELECT id, json_build_object('i', id, 'c', channel, 'n', name, 'p', payload)::text AS message FROM row
)
SELECT id, pg_notify(%s, CASE WHEN octet_length(message) > {limit}
                              THEN json_build_object('i', id)::text ELSE message END)
FROM wire ORDER BY id
"""


def _pg_insert_and_notify(count: int) -> str:
    values = ", ".join(["(%s, %s, %s::jsonb, %s)"] * count)
    # The table name and the limit are constants of the code; the values are parameters.
    return _PG_INSERT_AND_NOTIFY.format(table=LiveEvent._meta.db_table, values=values, limit=NOTIFY_LIMIT)


def publish_rows(transport, items: list[tuple[str, str, dict]]) -> list[LiveEvent]:
    """Write the replay rows of (channel, name, payload) and send them on, after the change committed:
    one statement on PostgreSQL and on SQLite, whatever the number of rows."""
    rows = [LiveEvent(channel=channel, name=name, payload=payload) for channel, name, payload in items]
    if not rows:
        return rows
    if isinstance(transport, PostgresTransport):
        params: list = []
        for row in rows:
            params += [row.channel, row.name, json.dumps(row.payload), row.created_at]
        with connection.cursor() as cursor:
            cursor.execute(_pg_insert_and_notify(len(rows)), [*params, PG_CHANNEL])
            for row, (pk, _notified) in zip(rows, cursor.fetchall(), strict=True):
                row.pk = pk
        return rows
    rows = LiveEvent.objects.bulk_create(rows)
    for row in rows:
        if isinstance(transport, LocalTransport):  # and PollingTransport
            transport.publish(row)
            continue
        try:
            transport.publish(row)
        except Exception:  # the row stays: streams get it on their next resume
            logger.warning("could not publish a live event to Redis", exc_info=True)
    return rows
