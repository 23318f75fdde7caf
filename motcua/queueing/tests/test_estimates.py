"""The estimator and the capacity rule are pure functions: properties over many cases."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.queueing import estimates

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DAY = [(dt.datetime(2026, 11, 23, 8, tzinfo=TZ), dt.datetime(2026, 11, 23, 12, tzinfo=TZ)),
       (dt.datetime(2026, 11, 23, 13, tzinfo=TZ), dt.datetime(2026, 11, 23, 17, tzinfo=TZ))]


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
def test_more_people_ahead_never_shortens_the_wait_and_more_counters_never_lengthens_it(ahead, counters, minutes):
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
    accepted = estimates.can_accept(counter_minutes_left=left, pending_minutes=pending, new_ticket_minutes=new)
    assert accepted == (left > 0 and pending + new <= left)
