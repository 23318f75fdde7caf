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


def estimate_wait_minutes(ahead: int, open_counters: int, service_minutes: float, *,
                          at_counters: int = 0) -> int | None:
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
