"""Configuration shared by the whole test suite.

Fixtures live next to the tests that use them: motcua/<app>/tests/conftest.py for one app,
e2e/conftest.py for the browser tests. Add a fixture here only when tests in more than one of
those places need it, under the section where it belongs.
"""

import os

# --- Process environment -------------------------------------------------------------------------
# Playwright's sync API starts an asyncio loop in the test thread and leaves it running until the
# end of the session, and Django refuses ORM calls from a thread with a running loop. Under xdist
# one worker runs browser tests and database tests one after the other, so this has to hold for
# the whole process, not only for e2e/. Nothing in the suite runs Django code concurrently with
# that loop: the browser drives the live server, which runs in its own thread.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


# --- Fixtures shared across apps -----------------------------------------------------------------
import io  # noqa: E402
import logging  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture
def written_logs():
    """What the configured log handlers (settings.LOGGING, masking filter included) write, as text.

    As in production: JSON lines (with every extra field), the request log at INFO.
    """
    from motcua.core.logging import JsonFormatter
    from motcua.core.privacy import MaskingFilter

    buffer = io.StringIO()
    handlers = [h for h in logging.getLogger().handlers
                if isinstance(h, logging.StreamHandler) and any(isinstance(f, MaskingFilter) for f in h.filters)]
    assert handlers, "settings.LOGGING has no masking console handler"
    previous = [(h.setStream(buffer), h.formatter) for h in handlers]
    for handler in handlers:
        handler.setFormatter(JsonFormatter())
    request_log = logging.getLogger("motcua.request")
    level, request_log.level = request_log.level, logging.INFO
    root_level = logging.getLogger().level
    logging.getLogger().setLevel(logging.DEBUG)
    try:
        yield buffer
    finally:
        for handler, (stream, formatter) in zip(handlers, previous, strict=True):
            handler.setStream(stream)
            handler.setFormatter(formatter)
        request_log.level = level
        logging.getLogger().setLevel(root_level)


@pytest.fixture(autouse=True)
def own_job_locks(tmp_path, monkeypatch):
    """SQLite's scheduler locks are files: each test has its own directory, so that test processes
    running side by side never hold each other's locks (PostgreSQL's advisory locks are per database)."""
    from motcua.core import scheduler

    monkeypatch.setattr(scheduler, "lock_dir", lambda: tmp_path / "locks")


@pytest.fixture(autouse=True)
def fresh_event_hub(settings):
    """Each test starts with a new event hub and stops its listener (no connection outlives the test).

    On SQLite the hub is the process's own (tests publish and listen in one process; the table is read
    by `PollingTransport` only where a test says so).
    """
    settings.MOTCUA_EVENTS_POLL_SECONDS = 0
    yield
    from motcua.core import events

    events.reset_hub()
