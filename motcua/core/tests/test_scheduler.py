"""The scheduler: due jobs run once per interval, failures are contained, state survives, --enqueue queues.

Several schedulers (one per node) share the state in the database and a lock per job: a due job runs
once, a running job is skipped elsewhere, a crash releases its lock. The threaded tests run on SQLite
(file locks) and on PostgreSQL (advisory locks): `DATABASE_URL=postgres://… pytest -m postgres`.
"""

import datetime as dt
import logging
import threading

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.db import connection

from motcua.core import scheduler
from motcua.core.models import PeriodicJobState

pytestmark = pytest.mark.django_db

CALLS: list[str] = []
T0 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
CONFIGURED = list(getattr(django_settings, "MOTCUA_PERIODIC_JOBS", []))  # before the fixture replaces them


def job_counting():
    CALLS.append("counting")
    return 3


def job_failing():
    CALLS.append("failing")
    raise RuntimeError("0912345678 must never reach the log")


def job_personal():
    CALLS.append("personal")
    return ["Nguyễn Văn An", "0912345678"]


HERE = "motcua.core.tests.test_scheduler"
JOBS = [("counting", f"{HERE}.job_counting", 60), ("failing", f"{HERE}.job_failing", 60),
        ("personal", f"{HERE}.job_personal", 300)]


@pytest.fixture(autouse=True)
def _jobs(settings):
    CALLS.clear()
    settings.MOTCUA_PERIODIC_JOBS = JOBS


def test_every_job_runs_the_first_time_and_a_failure_does_not_stop_the_others():
    outcomes = scheduler.run_due(now=T0)
    assert CALLS == ["counting", "failing", "personal"]
    assert [(o.name, o.ok, o.result) for o in outcomes] == [
        ("counting", True, "3"), ("failing", False, "RuntimeError"), ("personal", True, "2 items")]


def test_jobs_run_again_only_when_their_interval_has_passed():
    scheduler.run_due(now=T0)
    CALLS.clear()
    scheduler.run_due(now=T0 + dt.timedelta(seconds=59))
    assert CALLS == []
    scheduler.run_due(now=T0 + dt.timedelta(seconds=60))
    assert CALLS == ["counting", "failing"]
    CALLS.clear()
    scheduler.run_due(now=T0 + dt.timedelta(seconds=300))
    assert CALLS == ["counting", "failing", "personal"]


def test_the_last_runs_and_their_outcome_are_kept_in_the_database():
    scheduler.run_due(now=T0)
    assert scheduler.load_state() == {"counting": T0, "failing": T0, "personal": T0}
    rows = {row.name: (row.last_status, row.last_result) for row in PeriodicJobState.objects.all()}
    assert rows == {"counting": ("ok", "3"), "failing": ("failed", "RuntimeError"), "personal": ("ok", "2 items")}
    assert all(row.finished_at is not None for row in PeriodicJobState.objects.all())


def test_a_run_is_claimed_once_and_only_when_due():
    [job] = scheduler.configured_jobs([("counting", f"{HERE}.job_counting", 60)])
    assert scheduler.claim(job, T0) is True
    assert scheduler.claim(job, T0) is False  # a second scheduler at the same moment
    assert scheduler.claim(job, T0 + dt.timedelta(seconds=59)) is False
    assert scheduler.claim(job, T0 + dt.timedelta(seconds=60)) is True


def test_a_job_whose_lock_is_held_elsewhere_is_skipped_and_stays_due(caplog):
    with scheduler.job_lock("counting") as taken:
        assert taken
        with caplog.at_level(logging.INFO, logger="motcua.scheduler"):
            outcomes = scheduler.run_due(now=T0, only=["counting"])
    assert CALLS == []
    assert [(o.name, o.ok, o.result, o.skipped) for o in outcomes] == [
        ("counting", True, "skipped: running elsewhere", True)]
    assert "job=counting status=skipped reason=running_elsewhere" in caplog.text
    assert scheduler.load_state() == {}  # not claimed: the next round runs it
    scheduler.run_due(now=T0, only=["counting"])
    assert CALLS == ["counting"]


def test_a_worker_skips_a_periodic_task_whose_job_runs_elsewhere():
    with scheduler.job_lock("counting") as taken:
        assert taken
        assert scheduler.run_periodic_job.call("counting", f"{HERE}.job_counting") == scheduler.SKIPPED
    assert CALLS == []


def test_the_lock_is_free_again_after_a_job_crashed():
    scheduler.run_due(now=T0, only=["failing"])
    assert CALLS == ["failing"]
    with scheduler.job_lock("failing") as taken:
        assert taken


def test_the_loop_looks_again_at_a_skipped_job_an_interval_later_not_at_once():
    jobs = scheduler.configured_jobs()
    scheduler.run_due(jobs, now=T0)
    assert scheduler.seconds_until_next(jobs, now=T0 + dt.timedelta(seconds=70)) == 0
    assert scheduler.seconds_until_next(jobs[2:], now=T0, skipped=["personal"]) == 300


def test_lock_keys_are_stable_signed_64_bit_numbers_distinct_per_job():
    keys = {scheduler.lock_key(name) for name, _, _ in JOBS}
    assert len(keys) == 3 and all(-(2**63) <= key < 2**63 for key in keys)
    assert scheduler.lock_key("counting") == scheduler.lock_key("counting")


def test_log_lines_name_the_job_and_carry_no_personal_data(caplog):
    with caplog.at_level(logging.DEBUG, logger="motcua.scheduler"):
        scheduler.run_due(now=T0)
    lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
    assert len(lines) == 3
    assert any("job=failing status=failed error=RuntimeError" in line for line in lines)
    assert any("job=personal status=ok result=2 items" in line for line in lines)
    text = "\n".join(lines)
    assert "0912345678" not in text and "Nguyễn" not in text


def test_next_wake_up_is_when_the_earliest_job_is_due():
    jobs = scheduler.configured_jobs()
    assert scheduler.seconds_until_next(jobs, now=T0) == 0
    scheduler.run_due(jobs, now=T0)
    assert scheduler.seconds_until_next(jobs, now=T0 + dt.timedelta(seconds=20)) == 40


@pytest.mark.parametrize("entries", [
    [("a", "nodots", 10)], [("a", "x.y", 0)], [("a", "x.y", 10), ("a", "x.z", 10)], [("a", "x.y")]])
def test_bad_configuration_is_refused(entries):
    with pytest.raises((ValueError, TypeError)):
        scheduler.configured_jobs(entries)


def test_loop_runs_until_told_to_stop():
    sleeps = []
    scheduler.loop(scheduler.configured_jobs(), sleep=sleeps.append, should_stop=lambda: len(sleeps) >= 2)
    assert CALLS.count("counting") == 1  # the second round found nothing due
    assert len(sleeps) == 2 and all(1 <= s <= 60 for s in sleeps)


def test_command_once_runs_due_jobs_and_exits_with_an_error_when_one_failed(capsys):
    with pytest.raises(CommandError, match="failing"):
        call_command("scheduler", "--once")
    assert CALLS == ["counting", "failing", "personal"]
    CALLS.clear()
    call_command("scheduler", "--once")  # nothing due: no failure
    assert CALLS == []


def test_command_once_with_job_selects_one(settings):
    call_command("scheduler", "--once", "--job", "counting")
    assert CALLS == ["counting"]
    with pytest.raises(CommandError):
        call_command("scheduler", "--once", "--job", "nope")


def test_command_list_shows_jobs_and_last_runs(capsys):
    scheduler.run_due(now=T0)
    call_command("scheduler", "--list")
    out = capsys.readouterr().out
    assert "counting\t60s" in out and T0.isoformat() in out
    assert "ok 3" in out and "failed RuntimeError" in out


def test_command_once_reports_jobs_skipped_because_they_run_elsewhere(capsys):
    with scheduler.job_lock("counting") as taken:
        assert taken
        call_command("scheduler", "--once", "--job", "counting")
    out = capsys.readouterr().out
    assert CALLS == []
    assert out.splitlines() == ["Đã chạy 0 tác vụ, 0 lỗi.", "Bỏ qua 1 tác vụ đang chạy ở nơi khác."]


def test_enqueue_hands_the_jobs_to_the_database_task_backend():
    from django_tasks_db.models import DBTaskResult

    call_command("scheduler", "--once", "--enqueue", "--job", "counting")
    assert CALLS == []  # not run inline
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "motcua.core.scheduler.run_periodic_job"
    assert queued.args_kwargs["args"] == ["counting", f"{HERE}.job_counting"]
    # What a db_worker would do with it:
    assert scheduler.run_periodic_job.call("counting", f"{HERE}.job_counting") == "3"
    assert CALLS == ["counting"]
    with pytest.raises(RuntimeError):
        scheduler.run_periodic_job.call("failing", f"{HERE}.job_failing")


def test_enqueue_claims_the_run_so_a_second_scheduler_queues_nothing():
    from django_tasks_db.models import DBTaskResult

    scheduler.run_due(now=T0, enqueue=True, only=["counting"])
    scheduler.run_due(now=T0, enqueue=True, only=["counting"])
    assert DBTaskResult.objects.count() == 1
    assert PeriodicJobState.objects.get(name="counting").last_status == "enqueued"


def test_the_configured_jobs_import_and_run_on_an_empty_database():
    jobs = scheduler.configured_jobs(CONFIGURED)
    assert jobs, "MOTCUA_PERIODIC_JOBS is empty"
    outcomes = scheduler.run_due(jobs)
    assert [(o.name, o.ok) for o in outcomes] == [(job.name, True) for job in jobs]


# --- several schedulers at the same moment (one per node) -------------------------------------------

SLOW_RUNS: list[str] = []
OTHER_DONE = threading.Event()


def job_slow():
    """Runs until the other scheduler has finished its round, so both rounds overlap."""
    SLOW_RUNS.append("slow")
    OTHER_DONE.wait(timeout=10)
    return 1


def job_crashing():
    SLOW_RUNS.append("crashing")
    raise RuntimeError("boom")


def in_threads(count, target):
    """Run `target(i)` in `count` threads released together; each thread closes its own connection."""
    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def run(i):
        try:
            barrier.wait()
            results[i] = target(i)
        except Exception as exc:  # pragma: no cover - shown in the assertion
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_schedulers_ticking_at_the_same_moment_run_a_due_job_once():
    SLOW_RUNS.clear()
    OTHER_DONE.clear()
    jobs = scheduler.configured_jobs([("slow", f"{HERE}.job_slow", 60)])

    def tick(i):
        try:
            return scheduler.run_due(jobs, now=T0)
        finally:
            OTHER_DONE.set()  # the one running the job cannot get here before the job returned

    rounds = in_threads(2, tick)
    assert SLOW_RUNS == ["slow"]
    ran = [o for outcomes in rounds for o in outcomes if not o.skipped]
    assert [(o.name, o.ok, o.result) for o in ran] == [("slow", True, "1")]
    # The other one either found the lock held (skipped) or the run already claimed (nothing to do).
    assert all(o.skipped for outcomes in rounds for o in outcomes if o not in ran)
    assert scheduler.load_state() == {"slow": T0}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_job_that_crashed_on_one_scheduler_leaves_its_lock_free_for_another():
    SLOW_RUNS.clear()
    jobs = scheduler.configured_jobs([("crashing", f"{HERE}.job_crashing", 60)])
    [outcomes] = in_threads(1, lambda i: scheduler.run_due(jobs, now=T0))
    assert [(o.name, o.ok, o.result) for o in outcomes] == [("crashing", False, "RuntimeError")]
    with scheduler.job_lock("crashing") as taken:  # another connection (another node) gets it
        assert taken
    later = scheduler.run_due(jobs, now=T0 + dt.timedelta(seconds=60))
    assert [o.skipped for o in later] == [False] and SLOW_RUNS == ["crashing", "crashing"]
