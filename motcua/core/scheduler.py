"""Periodic jobs: which are due, running them (inline or through django.tasks), remembering when they ran.

Jobs are listed in `settings.MOTCUA_PERIODIC_JOBS` as `(name, dotted path of a callable, interval in
seconds)`. Core imports them by string, so it never depends on the apps whose work they do.

The scheduler is safe to run on every node (docs/scheduler.md, *Several nodes*):
- When each job last ran is kept in the database (`PeriodicJobState`, one row per job), shared by
  every scheduler. A run is *claimed* with one conditional update (`last_run_at` moves to now only
  if it is still older than the interval), so of two schedulers that find a job due at the same
  moment exactly one starts it; the other finds nothing to do.
- While a job runs, its scheduler holds a lock named after the job: a PostgreSQL session advisory
  lock (`pg_try_advisory_lock`) on a connection of its own, or, on SQLite (one machine), an
  exclusive `flock` on a file under VAR_DIR. A scheduler that cannot take it skips the job
  ("skipped: running elsewhere"): a run that outlasts its interval is never started a second time.
  A crash, an exception or the end of the process releases the lock (the connection or the file
  descriptor closes with it).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.models import Q
from django.tasks import task
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import PeriodicJobState

logger = logging.getLogger("motcua.scheduler")

SKIPPED = "skipped: running elsewhere"


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    path: str
    interval: int  # seconds

    def is_due(self, last_run: dt.datetime | None, now: dt.datetime) -> bool:
        return last_run is None or (now - last_run).total_seconds() >= self.interval


@dataclass(frozen=True)
class JobOutcome:
    name: str
    ok: bool
    result: str = ""  # a short, non-personal summary (a count, "enqueued", an exception class name)
    skipped: bool = False  # another scheduler or worker holds the job's lock: nothing was run here


def configured_jobs(entries: Iterable | None = None) -> list[PeriodicJob]:
    """The jobs of MOTCUA_PERIODIC_JOBS, checked: unique names, a dotted path, a positive interval."""
    raw = getattr(settings, "MOTCUA_PERIODIC_JOBS", []) if entries is None else entries
    jobs: list[PeriodicJob] = []
    for entry in raw:
        name, path, interval = entry
        if not name or "." not in path or int(interval) <= 0:
            raise ValueError(f"invalid periodic job {name!r}")
        if len(str(name)) > 60:
            raise ValueError(f"periodic job name too long {name!r}")
        if any(job.name == name for job in jobs):
            raise ValueError(f"duplicate periodic job {name!r}")
        jobs.append(PeriodicJob(str(name), str(path), int(interval)))
    return jobs


# --- state (shared by every scheduler) ---------------------------------------------------------------

def load_state() -> dict[str, dt.datetime]:
    """Last run per job name, as claimed by any scheduler (jobs that never ran are absent)."""
    return dict(PeriodicJobState.objects.exclude(last_run_at=None).values_list("name", "last_run_at"))


def ensure_rows(jobs: Iterable[PeriodicJob]) -> None:
    """One state row per job; two schedulers creating the same row at once is harmless."""
    names = {job.name for job in jobs}
    missing = names - set(PeriodicJobState.objects.filter(name__in=names).values_list("name", flat=True))
    if missing:
        PeriodicJobState.objects.bulk_create([PeriodicJobState(name=name) for name in sorted(missing)],
                                             ignore_conflicts=True)


def claim(job: PeriodicJob, now: dt.datetime) -> bool:
    """Take this run of the job if it is still due: one conditional update, atomic on every database."""
    ensure_rows([job])
    due = Q(last_run_at=None) | Q(last_run_at__lte=now - dt.timedelta(seconds=job.interval))
    return PeriodicJobState.objects.filter(due, name=job.name).update(
        last_run_at=now, last_status="running", last_result="", finished_at=None) == 1


def record(outcome: JobOutcome) -> None:
    """Keep how the job's last run ended (a skip changes nothing: the run elsewhere will record)."""
    if outcome.skipped:
        return
    status = ("enqueued" if outcome.result == "enqueued" else "ok") if outcome.ok else "failed"
    PeriodicJobState.objects.filter(name=outcome.name).update(
        last_status=status, last_result=outcome.result[:120], finished_at=timezone.now())


def states() -> dict[str, PeriodicJobState]:
    return {row.name: row for row in PeriodicJobState.objects.all()}


# --- locks (one run of a job at a time, whatever the number of schedulers) -------------------------

def lock_key(name: str) -> int:
    """The advisory lock key of a job: a stable signed 64-bit number derived from its name."""
    digest = hashlib.blake2b(f"motcua.scheduler:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@contextlib.contextmanager
def job_lock(name: str) -> Iterator[bool]:
    """Hold the job's lock for the block if nobody else does; yields whether it was taken."""
    if connections[DEFAULT_DB_ALIAS].vendor == "postgresql":
        with _advisory_lock(lock_key(name)) as taken:
            yield taken
    else:
        with _file_lock(name) as taken:
            yield taken


@contextlib.contextmanager
def _advisory_lock(key: int) -> Iterator[bool]:
    # A connection of its own, not the thread's: a job that closes or breaks its connection (or hands
    # it back to the pool) must neither drop the lock in the middle of the run nor leave it held on a
    # pooled connection after it. Closing this connection ends the session and so the lock.
    lock_connection = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with lock_connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            taken = bool(cursor.fetchone()[0])
        try:
            yield taken
        finally:
            if taken:
                try:
                    with lock_connection.cursor() as cursor:
                        cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
                except DatabaseError:  # the session is gone, and its locks with it
                    logger.warning("scheduler lock %s: connection lost before unlock", key)
    finally:
        lock_connection.close()


def lock_dir() -> Path:
    return Path(settings.VAR_DIR) / "locks"


@contextlib.contextmanager
def _file_lock(name: str) -> Iterator[bool]:
    # SQLite means one machine: an exclusive flock is the same guarantee between the processes (and
    # threads) there. The kernel drops it when the descriptor closes, also when the process dies.
    directory = lock_dir()
    directory.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(directory / f"scheduler-{hashlib.sha256(name.encode()).hexdigest()[:16]}.lock",
                         os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            taken = True
        except BlockingIOError:
            taken = False
        yield taken
    finally:
        os.close(descriptor)


# --- running ----------------------------------------------------------------------------------------

def summarise(result) -> str:
    """What the log line says about a job's return value: never the value itself (it may hold names)."""
    if result is None:
        return "done"
    if isinstance(result, bool):
        return str(result).lower()
    if isinstance(result, int):
        return str(result)
    if isinstance(result, dict):
        return " ".join(f"{key}={summarise(value)}" for key, value in sorted(result.items()) if isinstance(key, str))
    if isinstance(result, list | tuple | set | frozenset):
        return f"{len(result)} items"
    return type(result).__name__


def run_job_inline(job: PeriodicJob) -> JobOutcome:
    """Import and call the job; any exception is logged (class name only) and reported, not raised."""
    started = time.monotonic()
    try:
        result = import_string(job.path)()
    except Exception as exc:  # noqa: BLE001 - one failing job must not stop the others
        logger.error("job=%s status=failed error=%s seconds=%.2f", job.name, type(exc).__name__,
                     time.monotonic() - started)
        logger.debug("job %s failed", job.name, exc_info=True)
        return JobOutcome(job.name, False, type(exc).__name__)
    summary = summarise(result)
    logger.info("job=%s status=ok result=%s seconds=%.2f", job.name, summary, time.monotonic() - started)
    return JobOutcome(job.name, True, summary)


def skipped(job: PeriodicJob) -> JobOutcome:
    logger.info("job=%s status=skipped reason=running_elsewhere", job.name)
    return JobOutcome(job.name, True, SKIPPED, skipped=True)


def run_job_locked(job: PeriodicJob) -> JobOutcome:
    """Run the job while holding its lock, or skip it when another process holds it."""
    with job_lock(job.name) as taken:
        return run_job_inline(job) if taken else skipped(job)


@task
def run_periodic_job(name: str, path: str) -> str:
    """The django.tasks entry point: a `db_worker` runs one periodic job by its dotted path."""
    outcome = run_job_locked(PeriodicJob(name, path, 1))
    record(outcome)
    if not outcome.ok:
        raise RuntimeError(f"periodic job {name} failed: {outcome.result}")
    return outcome.result


def enqueue_job(job: PeriodicJob) -> JobOutcome:
    try:
        result = run_periodic_job.enqueue(job.name, job.path)
    except Exception as exc:  # noqa: BLE001 - a job that cannot be queued is reported like a failure
        logger.error("job=%s status=enqueue_failed error=%s", job.name, type(exc).__name__)
        return JobOutcome(job.name, False, type(exc).__name__)
    logger.info("job=%s status=enqueued task=%s", job.name, result.id)
    return JobOutcome(job.name, True, "enqueued")


def run_due(jobs: list[PeriodicJob] | None = None, *, now: dt.datetime | None = None, enqueue: bool = False,
            only: Iterable[str] | None = None) -> list[JobOutcome]:
    """Run (or enqueue) every due job once and remember when; returns one outcome per job run or skipped.

    Safe with several schedulers: a job runs under its lock and only once its run is claimed (see the
    module's docstring). A job counts as run even when it failed: it is retried at its next interval,
    not in a tight loop. A skipped job stays due, so the next round tries it again.
    """
    jobs = configured_jobs() if jobs is None else jobs
    wanted = set(only) if only else None
    jobs = [job for job in jobs if wanted is None or job.name in wanted]
    ensure_rows(jobs)
    state = load_state()
    outcomes = []
    for job in jobs:
        moment = now or timezone.now()
        if not job.is_due(state.get(job.name), moment):
            continue
        if enqueue:
            # The worker takes the lock when it runs the task; the claim alone keeps it to one task.
            if not claim(job, moment):
                continue
            outcome = enqueue_job(job)
        else:
            with job_lock(job.name) as taken:
                if not taken:
                    outcome = skipped(job)
                elif not claim(job, moment):
                    continue  # another scheduler ran it between our reading and our lock
                else:
                    outcome = run_job_inline(job)
        record(outcome)
        outcomes.append(outcome)
    return outcomes


def seconds_until_next(jobs: list[PeriodicJob], *, now: dt.datetime | None = None,
                       skipped: Iterable[str] = ()) -> float:
    """How long the loop may sleep: until the earliest job falls due (0 when one already is).

    A job just `skipped` (running elsewhere, past its interval) is looked at again an interval later,
    not at once: the loop must not knock on its lock every second while the other run goes on.
    """
    now = now or timezone.now()
    state = load_state()
    skipped = set(skipped)
    waits = []
    for job in jobs:
        if job.name in skipped:
            waits.append(float(job.interval))
            continue
        last = state.get(job.name)
        waits.append(0.0 if last is None else max(0.0, job.interval - (now - last).total_seconds()))
    return min(waits, default=60.0)


def loop(jobs: list[PeriodicJob], *, enqueue: bool = False, max_sleep: float = 60.0,
         sleep: Callable[[float], None] = time.sleep, should_stop: Callable[[], bool] = lambda: False) -> None:
    """Run due jobs, sleep until the next is due (at least 1 s, at most `max_sleep`), until `should_stop()`."""
    while not should_stop():
        outcomes = run_due(jobs, enqueue=enqueue)
        wait = seconds_until_next(jobs, skipped=[outcome.name for outcome in outcomes if outcome.skipped])
        sleep(max(1.0, min(max_sleep, wait)))
