"""Periodic jobs: which are due, running them (inline or through django.tasks), remembering when they ran.

Jobs are listed in `settings.MOTCUA_PERIODIC_JOBS` as `(name, dotted path of a callable, interval in
seconds)`. Core imports them by string, so it never depends on the apps whose work they do.

When each job last ran is kept in a small JSON file, `settings.MOTCUA_SCHEDULER_STATE_FILE` (default
`VAR_DIR/scheduler-state.json`): it needs no table, survives restarts, and works the same whatever the
database. One scheduler process per deployment is assumed (cron with `--once`, or the looping command).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.tasks import task
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger("motcua.scheduler")


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


def configured_jobs(entries: Iterable | None = None) -> list[PeriodicJob]:
    """The jobs of MOTCUA_PERIODIC_JOBS, checked: unique names, a dotted path, a positive interval."""
    raw = getattr(settings, "MOTCUA_PERIODIC_JOBS", []) if entries is None else entries
    jobs: list[PeriodicJob] = []
    for entry in raw:
        name, path, interval = entry
        if not name or "." not in path or int(interval) <= 0:
            raise ValueError(f"invalid periodic job {name!r}")
        if any(job.name == name for job in jobs):
            raise ValueError(f"duplicate periodic job {name!r}")
        jobs.append(PeriodicJob(str(name), str(path), int(interval)))
    return jobs


# --- state ------------------------------------------------------------------------------------------

def state_file() -> Path:
    configured = getattr(settings, "MOTCUA_SCHEDULER_STATE_FILE", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "scheduler-state.json"


def load_state(path: Path | None = None) -> dict[str, dt.datetime]:
    """Last run per job name; an unreadable file counts as empty (every job is then due once)."""
    path = path or state_file()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return {name: dt.datetime.fromisoformat(value) for name, value in raw.items()}
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, AttributeError, TypeError):
        logger.warning("scheduler state file unreadable, starting afresh")
        return {}


def save_state(state: dict[str, dt.datetime], path: Path | None = None) -> None:
    """Write atomically (temporary file + rename), so a crash never leaves half a file."""
    path = path or state_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({name: moment.isoformat() for name, moment in sorted(state.items())}, indent=1)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".scheduler-", suffix=".json")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


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


@task
def run_periodic_job(name: str, path: str) -> str:
    """The django.tasks entry point: a `db_worker` runs one periodic job by its dotted path."""
    outcome = run_job_inline(PeriodicJob(name, path, 1))
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
            only: Iterable[str] | None = None, state_path: Path | None = None) -> list[JobOutcome]:
    """Run (or enqueue) every due job once and remember when; returns one outcome per job run.

    A job counts as run even when it failed: it is retried at its next interval, not in a tight loop.
    """
    jobs = configured_jobs() if jobs is None else jobs
    wanted = set(only) if only else None
    state = load_state(state_path)
    outcomes = []
    for job in jobs:
        if wanted is not None and job.name not in wanted:
            continue
        moment = now or timezone.now()
        if not job.is_due(state.get(job.name), moment):
            continue
        outcomes.append((enqueue_job if enqueue else run_job_inline)(job))
        state[job.name] = moment
        save_state(state, state_path)
    return outcomes


def seconds_until_next(jobs: list[PeriodicJob], *, now: dt.datetime | None = None,
                       state_path: Path | None = None) -> float:
    """How long the loop may sleep: until the earliest job falls due (0 when one already is)."""
    now = now or timezone.now()
    state = load_state(state_path)
    waits = []
    for job in jobs:
        last = state.get(job.name)
        waits.append(0.0 if last is None else max(0.0, job.interval - (now - last).total_seconds()))
    return min(waits, default=60.0)


def loop(jobs: list[PeriodicJob], *, enqueue: bool = False, max_sleep: float = 60.0,
         sleep: Callable[[float], None] = time.sleep, should_stop: Callable[[], bool] = lambda: False) -> None:
    """Run due jobs, sleep until the next is due (at most `max_sleep`), until `should_stop()`."""
    while not should_stop():
        run_due(jobs, enqueue=enqueue)
        sleep(max(1.0, min(max_sleep, seconds_until_next(jobs))))
