"""Wait estimates and the capacity rule, as pure functions (no Django) so they can be evaluated offline.

The model is deliberately simple and explainable: the tickets ahead of a citizen are shared by the
open counters that can serve them, each taking the typical service time of the group. The typical
time is the median of recent service times when there are enough of them (robust to a forgotten
"finish" button), otherwise the group's configured average.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from statistics import median

# Below this many recent observations the configured average is more trustworthy than the data.
MIN_SAMPLES = 5
# Service times outside these bounds (seconds) are mistakes at the counter, not service.
MIN_SERVICE_SECONDS = 30
MAX_SERVICE_SECONDS = 3 * 3600


def typical_service_minutes(recent_seconds: Iterable[float], configured_minutes: float) -> float:
    """The service time to plan with: the median of plausible recent times, or the configured average."""
    plausible = [s for s in recent_seconds if MIN_SERVICE_SECONDS <= s <= MAX_SERVICE_SECONDS]
    if len(plausible) < MIN_SAMPLES:
        return float(configured_minutes)
    return median(plausible) / 60


def estimate_wait_minutes(
    ahead: int, open_counters: int, service_minutes: float, *, at_counters: int = 0
) -> int | None:
    """Minutes until a ticket with `ahead` tickets before it is called.

    `at_counters` citizens are being served right now; on average they are half done. None when no
    counter is open (the wait cannot be estimated, and the page says so).
    """
    if ahead < 0 or open_counters < 0 or service_minutes < 0:
        raise ValueError("ahead, open_counters and service_minutes must not be negative")
    if open_counters == 0:
        return None
    busy = min(at_counters, open_counters) * service_minutes / 2
    return math.ceil((ahead * service_minutes + busy) / open_counters)


def remaining_minutes(periods: Sequence[tuple[dt.datetime, dt.datetime]], now: dt.datetime) -> float:
    """Working minutes left today after `now`, given today's working periods (aware datetimes)."""
    total = 0.0
    for start, end in periods:
        begin = max(start, now)
        if end > begin:
            total += (end - begin).total_seconds() / 60
    return total


def can_accept(*, counter_minutes_left: float, pending_minutes: float, new_ticket_minutes: float) -> bool:
    """Whether one more ticket still fits in the working time left at the counters that would serve it.

    `counter_minutes_left`: the sum over those counters of their remaining working minutes today;
    `pending_minutes`: the service time already promised to tickets waiting (or at a counter) there.
    """
    return counter_minutes_left > 0 and pending_minutes + new_ticket_minutes <= counter_minutes_left


# --- The estimator shown to citizens (judged on real waits: planning's report, bench_wait_estimates) ------
# The simple formula above underestimates in three ways that real halls (and the simulated days) show:
# service times are skewed (the median is below the mean, and the counters' throughput follows the mean),
# a counter serving several groups gives each only part of its time, and the hall's closed periods
# (before opening, the lunch pause) are not working time. `estimate_wait` corrects the three; `smoothed`
# keeps two displays of one ticket from contradicting each other.

# Recent observations weigh against the configured average as if the average were this many observations.
PRIOR_WEIGHT = 5
# Between two displays of one ticket the estimate moves by at most this many minutes (or this share of the
# previous estimate, whichever is larger) beyond the time that passed.
MAX_STEP_MINUTES = 3
MAX_STEP_SHARE = 0.25


def mean_service_minutes(recent_seconds: Iterable[float], configured_minutes: float) -> float:
    """The mean service time to plan throughput with: plausible recent times shrunk towards the configured one.

    With no data it is the configured average; with many, their mean (not the median: a counter's
    throughput is one over the mean service time, and service times are skewed to the right).
    """
    plausible = [s / 60 for s in recent_seconds if MIN_SERVICE_SECONDS <= s <= MAX_SERVICE_SECONDS]
    return (sum(plausible) + PRIOR_WEIGHT * float(configured_minutes)) / (len(plausible) + PRIOR_WEIGHT)


def counter_share(own_work: float, other_work: float) -> float:
    """The share of a counter's time that goes to one group: its queued work against the other groups'.

    `own_work`, `other_work`: minutes of service queued for this group and for the counter's other
    groups. A counter serving one group gives it all its time; with nothing queued, an equal share.
    """
    if own_work <= 0 and other_work <= 0:
        return 1.0
    return own_work / (own_work + other_work) if own_work > 0 else 0.0


def clock_minutes_for(
    work_minutes: float, periods: Sequence[tuple[dt.datetime, dt.datetime]], now: dt.datetime
) -> float | None:
    """Clock minutes from `now` until `work_minutes` of working time (today's `periods`) have passed.

    Before opening the wait starts at the opening; a pause in between is added. None when today's
    periods end first (the wait cannot be promised today).
    """
    left = work_minutes
    moment = now
    for start, end in sorted(periods):
        if end <= moment:
            continue
        moment = max(moment, start)
        available = (end - moment).total_seconds() / 60
        if left <= available:
            return (moment - now).total_seconds() / 60 + left
        left -= available
        moment = end
    return None


def estimate_wait(
    *,
    ahead: int,
    service_minutes: float,
    shares: Sequence[float],
    at_counters: int = 0,
    periods: Sequence[tuple[dt.datetime, dt.datetime]] = (),
    now: dt.datetime | None = None,
) -> int | None:
    """Minutes until a ticket with `ahead` tickets before it is called.

    `service_minutes`: the group's mean service time (`mean_service_minutes`); `shares`: for each open
    counter that can call the ticket, the share of its time the group gets (`counter_share`);
    `at_counters`: the group's citizens at a counter now (half done on average). With `periods` and
    `now`, closed time (before opening, a pause) is added. None when no counter can call it.
    """
    if ahead < 0 or service_minutes < 0 or at_counters < 0:
        raise ValueError("ahead, service_minutes and at_counters must not be negative")
    capacity = sum(max(0.0, min(1.0, s)) for s in shares)
    if capacity <= 0:
        return None
    # Everyone ahead and at a counter must start before this ticket: with a free counter it is called at
    # once; otherwise when `ahead` more services have begun and one counter has freed (half a service).
    queue = ahead + at_counters - capacity
    work = max(0.0, (queue + 0.5) * service_minutes / capacity) if queue > -0.5 else 0.0
    if periods and now is not None:
        clock = clock_minutes_for(work, periods, now)
        if clock is not None:
            work = clock
    return math.ceil(work)


def smoothed(previous: int | None, elapsed_minutes: float, raw: int | None) -> int | None:
    """What to show now, given what was shown `elapsed_minutes` ago: the new estimate, moved by a bounded step.

    The previous estimate less the time passed is what the citizen expects; the new one may differ
    from it by at most MAX_STEP_MINUTES (or MAX_STEP_SHARE of it), so an estimate does not swing
    from one display to the next. Never below zero; None when either is unknown.
    """
    if previous is None or raw is None:
        return raw
    expected = max(0.0, previous - max(0.0, elapsed_minutes))
    step = max(MAX_STEP_MINUTES, MAX_STEP_SHARE * expected)
    return max(0, math.ceil(min(expected + step, max(expected - step, raw))))
