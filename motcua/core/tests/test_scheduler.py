"""The scheduler: due jobs run once per interval, failures are contained, state survives, --enqueue queues."""

import datetime as dt
import logging

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command

from motcua.core import scheduler

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
def _state(settings, tmp_path):
    CALLS.clear()
    settings.MOTCUA_SCHEDULER_STATE_FILE = tmp_path / "state.json"
    settings.MOTCUA_PERIODIC_JOBS = JOBS
    return settings.MOTCUA_SCHEDULER_STATE_FILE


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


def test_the_state_file_survives_a_restart_and_a_broken_file_means_all_due(_state):
    scheduler.run_due(now=T0)
    assert scheduler.load_state() == {"counting": T0, "failing": T0, "personal": T0}
    _state.write_text("{not json")
    assert scheduler.load_state() == {}
    CALLS.clear()
    scheduler.run_due(now=T0 + dt.timedelta(seconds=1))
    assert CALLS == ["counting", "failing", "personal"]


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


@pytest.mark.django_db
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


@pytest.mark.django_db
def test_the_configured_jobs_import_and_run_on_an_empty_database():
    jobs = scheduler.configured_jobs(CONFIGURED)
    assert jobs, "MOTCUA_PERIODIC_JOBS is empty"
    outcomes = scheduler.run_due(jobs)
    assert [(o.name, o.ok) for o in outcomes] == [(job.name, True) for job in jobs]
