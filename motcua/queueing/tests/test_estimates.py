"""The estimator and the capacity rule are pure functions: properties over many cases."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.queueing import estimates

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DAY = [
    (dt.datetime(2026, 11, 23, 8, tzinfo=TZ), dt.datetime(2026, 11, 23, 12, tzinfo=TZ)),
    (dt.datetime(2026, 11, 23, 13, tzinfo=TZ), dt.datetime(2026, 11, 23, 17, tzinfo=TZ)),
]


def test_the_configured_average_is_used_until_there_are_enough_samples():
    assert estimates.typical_service_minutes([600, 600], 12) == 12
    assert estimates.typical_service_minutes([300, 360, 420, 480, 540], 12) == 7
    # A forgotten "finish" button (5 hours) and a mis-click (3 s) are ignored.
    assert estimates.typical_service_minutes([300, 360, 420, 480, 540, 18_000, 3], 12) == 7


def test_examples():
    assert estimates.estimate_wait_minutes(0, 3, 12) == 0
    assert estimates.estimate_wait_minutes(5, 3, 12) == 20
    assert estimates.estimate_wait_minutes(5, 3, 12, at_counters=3) == 26
    assert estimates.estimate_wait_minutes(5, 0, 12) is None
    with pytest.raises(ValueError):
        estimates.estimate_wait_minutes(-1, 1, 1)


@given(ahead=st.integers(0, 500), counters=st.integers(1, 40), minutes=st.floats(0.5, 120))
def test_more_people_ahead_never_shortens_the_wait_and_more_counters_never_lengthens_it(
    ahead, counters, minutes
):
    wait = estimates.estimate_wait_minutes(ahead, counters, minutes)
    assert estimates.estimate_wait_minutes(ahead + 1, counters, minutes) >= wait
    assert estimates.estimate_wait_minutes(ahead, counters + 1, minutes) <= wait
    assert wait <= ahead * minutes + 1


@given(hour=st.integers(0, 23), minute=st.integers(0, 59))
def test_remaining_minutes_fall_through_the_day_and_skip_lunch(hour, minute):
    now = dt.datetime(2026, 11, 23, hour, minute, tzinfo=TZ)
    left = estimates.remaining_minutes(DAY, now)
    assert 0 <= left <= 480
    if 12 <= hour < 13:
        assert left == 240
    later = estimates.remaining_minutes(DAY, now + dt.timedelta(minutes=1))
    assert later <= left


@given(left=st.floats(0, 10_000), pending=st.floats(0, 10_000), new=st.floats(0.5, 120))
def test_a_ticket_is_accepted_only_if_it_fits(left, pending, new):
    accepted = estimates.can_accept(
        counter_minutes_left=left, pending_minutes=pending, new_ticket_minutes=new
    )
    assert accepted == (left > 0 and pending + new <= left)


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, 23, hour, minute, tzinfo=TZ)


def test_the_mean_service_time_leans_on_the_configured_average_until_data_outweighs_it():
    assert estimates.mean_service_minutes([], 12) == 12
    # five plausible samples of 6 minutes against the prior of five at 12: halfway.
    assert estimates.mean_service_minutes([360] * 5 + [3, 18_000], 12) == 9
    assert abs(estimates.mean_service_minutes([360] * 95, 12) - 6.3) < 1e-9


def test_a_counter_shares_its_time_by_the_work_queued_for_each_of_its_groups():
    assert estimates.counter_share(30, 0) == 1
    assert estimates.counter_share(30, 90) == 0.25
    assert estimates.counter_share(0, 0) == 1
    assert estimates.counter_share(0, 10) == 0


def test_closed_time_is_added_to_the_wait():
    assert estimates.clock_minutes_for(30, DAY, at(9)) == 30
    assert estimates.clock_minutes_for(30, DAY, at(7, 30)) == 60  # the hall opens at 08:00
    assert estimates.clock_minutes_for(30, DAY, at(11, 50)) == 90  # the lunch pause: 60 minutes more
    assert estimates.clock_minutes_for(30, DAY, at(16, 45)) is None  # beyond today's hours


def test_estimate_wait_examples():
    # Three free counters: called at once; five ahead: (5 - 3 + 0.5) x 12 / 3.
    assert estimates.estimate_wait(ahead=2, service_minutes=12, shares=[1, 1, 1]) == 0
    assert estimates.estimate_wait(ahead=5, service_minutes=12, shares=[1, 1, 1]) == 10
    # A counter giving the group half its time counts half.
    assert estimates.estimate_wait(ahead=5, service_minutes=12, shares=[1, 1, 0.5]) == 15
    assert (
        estimates.estimate_wait(ahead=5, service_minutes=12, shares=[1, 1, 1], periods=DAY, now=at(11, 55))
        == 70
    )
    assert estimates.estimate_wait(ahead=5, service_minutes=12, shares=[]) is None
    assert estimates.estimate_wait(ahead=5, service_minutes=12, shares=[0.0]) is None
    with pytest.raises(ValueError):
        estimates.estimate_wait(ahead=-1, service_minutes=12, shares=[1])


@given(
    ahead=st.integers(0, 300),
    shares=st.lists(st.floats(0.05, 1), min_size=1, max_size=12),
    minutes=st.floats(0.5, 120),
    busy=st.integers(0, 12),
)
def test_the_estimator_is_monotone_in_the_queue_and_the_counters(ahead, shares, minutes, busy):
    wait = estimates.estimate_wait(ahead=ahead, service_minutes=minutes, shares=shares, at_counters=busy)
    assert (
        estimates.estimate_wait(ahead=ahead + 1, service_minutes=minutes, shares=shares, at_counters=busy)
        >= wait
    )
    assert (
        estimates.estimate_wait(ahead=ahead, service_minutes=minutes, shares=[*shares, 1], at_counters=busy)
        <= wait
    )


def test_smoothing_examples():
    assert estimates.smoothed(None, 0, 25) == 25
    assert estimates.smoothed(20, 5, None) is None
    assert estimates.smoothed(20, 5, 16) == 16  # within the step of the expected 15
    assert estimates.smoothed(20, 5, 60) == 19  # 15 expected, at most a quarter (3.75) more
    assert estimates.smoothed(8, 2, 60) == 9  # 6 expected, at most 3 more
    assert estimates.smoothed(60, 0, 0) == 45  # 60 expected, at most a quarter less
    assert estimates.smoothed(5, 30, 0) == 0


@given(previous=st.integers(0, 400), elapsed=st.floats(0, 120), raw=st.integers(0, 400))
def test_two_displays_differ_by_a_bounded_step_beyond_the_time_passed(previous, elapsed, raw):
    shown = estimates.smoothed(previous, elapsed, raw)
    expected = max(0.0, previous - elapsed)
    bound = max(estimates.MAX_STEP_MINUTES, estimates.MAX_STEP_SHARE * expected)
    assert shown >= 0
    assert abs(shown - expected) <= bound + 1  # + 1: shown in whole minutes
