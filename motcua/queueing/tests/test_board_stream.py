"""The board's event stream under ASGI: many screens, one listener, the call in every stream."""

import asyncio
import json

import pytest
from django.core.asgi import get_asgi_application
from django.db import connection

from motcua.queueing import services

pytestmark = pytest.mark.django_db(transaction=True)

SCREENS = 50


def database_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        return cursor.fetchone()[0]


async def in_thread(function, *args, **kwargs):
    """Run Django code in a worker thread and close that thread's connection afterwards."""
    def run():
        try:
            return function(*args, **kwargs)
        finally:
            connection.close()

    return await asyncio.to_thread(run)


def test_fifty_board_streams_get_the_call_and_hold_one_database_connection(hall):
    from motcua.core.tests.asgi_streams import open_stream, run_fresh

    services.issue_ticket(service_point=hall.point, group=hall.land, national_id="001090000001")
    postgres = connection.vendor == "postgresql"
    before = database_connections() if postgres else 0
    app = get_asgi_application()
    path = f"/api/service-points/{hall.point.pk}/events"

    async def run():
        streams = [await open_stream(app, path) for _ in range(SCREENS)]
        assert {s.status for s in streams} == {200}
        during = await in_thread(database_connections) if postgres else 0
        await in_thread(services.call_next, hall.counters[0], user=hall.officer)
        frames = await asyncio.gather(*(s.next_frame() for s in streams))
        for stream in streams:
            await stream.close()
        return during, frames

    during, frames = run_fresh(run)
    calls = [json.loads(f.split("data: ")[1]) for f in frames if "event: call" in f]
    assert len(calls) == SCREENS and all(c["ticket"] == calls[0]["ticket"] for c in calls)
    if postgres:
        # The LISTEN connection, and at most the one of the thread that ran the views' sync parts.
        assert during - before <= 2, f"{SCREENS} streams opened {during - before} database connections"
