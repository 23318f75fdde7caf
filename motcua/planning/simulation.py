"""A service group's day at a service point, simulated with SimPy, and the counters it needs hour by hour.

Pure Python (no Django): the inputs are numbers drawn from the point's history by
`planning.selectors.history`, so the model can be checked against queueing theory (Erlang C) and timed.

The model of one day:
- the counters planned for the group, hour by hour (`plan`), serve one queue first come first served;
  booked citizens whose slot has started go before walk-ins, as the queue's own rule does. A counter
  leaving at an hour's end finishes the citizen it serves first (no pre-emption);
- walk-ins arrive as a Poisson process whose rate changes every 15 minutes; booked citizens come at their
  slot (a little before it), each with the probability that a booking is kept;
- a service time is drawn from the group's observed service times (or exponential with the mean when
  there are too few); a called citizen who does not answer (no-show) takes a short call of the counter;
- whoever still waits when the last working period ends is sent home.
Times are minutes from midnight of the day.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import simpy

INTERVAL = 15  # minutes: arrivals are known per quarter hour
NO_SHOW_MINUTES = 1.5  # a call nobody answers, with its recall
SAMPLE_EVERY = 5  # minutes between two looks at the queue's length
BOOKED, WALK_IN = 0, 1  # request priorities (lower first); counters leaving use -1


@dataclass(frozen=True)
class WaitTarget:
    """`share` of the citizens called within `minutes` of arriving (those sent home count as not)."""

    minutes: float = 15
    share: float = 0.9


@dataclass(frozen=True)
class GroupDay:
    """What is known of one group's day before it starts."""

    periods: tuple[tuple[int, int], ...]  # working periods, minutes from midnight: ((480, 720), (780, 1020))
    walk_ins: Mapping[int, float] = field(default_factory=dict)  # interval start -> expected walk-ins in it
    booked: tuple[float, ...] = ()  # the booked slots' starts (one per booking made)
    booking_show_rate: float = 0.9  # share of bookings that come
    no_show_rate: float = 0.0  # share of called citizens who do not answer
    service_samples: tuple[float, ...] = ()  # observed service times (minutes); empty: exponential
    mean_service: float = 12.0  # minutes, used when there are no samples

    @property
    def hours(self) -> list[int]:
        """The hours (8 for 08:00–09:00) that hold working time."""
        return sorted(
            {
                h
                for start, end in self.periods
                for h in range(start // 60, math.ceil(end / 60))
                if min(end, (h + 1) * 60) > max(start, h * 60)
            }
        )

    @property
    def service_mean(self) -> float:
        return (
            sum(self.service_samples) / len(self.service_samples)
            if self.service_samples
            else self.mean_service
        )

    def open_minutes(self, hour: int) -> float:
        """Working minutes within `hour`."""
        return float(
            sum(max(0, min(end, (hour + 1) * 60) - max(start, hour * 60)) for start, end in self.periods)
        )

    def expected_arrivals(self, hour: int) -> float:
        walk = sum(rate for start, rate in self.walk_ins.items() if start // 60 == hour)
        booked = sum(1 for minute in self.booked if int(minute) // 60 == hour) * self.booking_show_rate
        return walk + booked


@dataclass
class HourResult:
    """One hour of the day over all runs: citizens are counted by the hour they arrived in."""

    hour: int
    counters: int
    arrivals: float = 0.0  # a day's mean
    served: float = 0.0
    sent_home: float = 0.0
    no_shows: float = 0.0
    mean_wait: float | None = None  # minutes, of those called
    p90_wait: float | None = None
    within_target: float | None = None  # share of arrivals called within the target (None: nobody came)
    queue_length: float = 0.0  # mean number waiting during the hour
    utilisation: float | None = None  # busy counter time / planned counter time in the hour


@dataclass
class DayResult:
    hours: dict[int, HourResult]
    runs: int
    arrivals: float = 0.0
    served: float = 0.0
    sent_home: float = 0.0
    mean_wait: float | None = None
    p90_wait: float | None = None
    within_target: float | None = None
    utilisation: float | None = None


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))
    return ordered[index]


def _segments(day: GroupDay, plan: Mapping[int, int]) -> list[tuple[float, float, int]]:
    """(start, end, counters) over the day, counters 0 outside the working periods."""
    points = sorted(
        {0.0, 1440.0} | {float(m) for p in day.periods for m in p} | {h * 60.0 for h in range(25)}
    )
    segments: list[tuple[float, float, int]] = []
    for start, end in zip(points, points[1:], strict=False):
        working = any(s <= start and end <= e for s, e in day.periods)
        count = max(0, int(plan.get(int(start // 60), 0))) if working else 0
        if segments and segments[-1][2] == count:
            segments[-1] = (segments[-1][0], end, count)
        else:
            segments.append((start, end, count))
    return segments


def _arrivals(day: GroupDay, rng: random.Random) -> list[tuple[float, int, float]]:
    """(arrival, priority, from when the wait counts): a booked citizen's wait counts from the slot."""
    citizens: list[tuple[float, int, float]] = []
    for start, rate in day.walk_ins.items():
        if rate <= 0:
            continue
        moment = start + rng.expovariate(rate / INTERVAL)
        while moment < start + INTERVAL:
            citizens.append((moment, WALK_IN, moment))
            moment += rng.expovariate(rate / INTERVAL)
    for slot in day.booked:
        if rng.random() < day.booking_show_rate:
            citizens.append((max(0.0, slot - rng.uniform(0, 10)), BOOKED, float(slot)))
    citizens.sort()
    return citizens


def _run(day: GroupDay, plan: Mapping[int, int], target: WaitTarget, rng: random.Random, sink: dict) -> None:
    """One simulated day; adds its figures to `sink` (per hour lists and sums)."""
    env = simpy.Environment()
    segments = _segments(day, plan)
    most = max((count for _s, _e, count in segments), default=0)
    close = float(max(end for _start, end in day.periods))
    if most == 0:
        for _moment, _kind, counted in _arrivals(day, rng):
            hour = sink["hours"].setdefault(int(counted // 60), _bucket())
            hour["arrivals"] += 1
            hour["sent_home"] += 1
        return
    counters = simpy.PriorityResource(env, capacity=most)
    waiting = [0]
    busy: list[tuple[float, float]] = []

    def roster():
        # Counters not planned at a moment are held by "away" requests that go before any citizen.
        away: list = []
        for start, end, count in segments:
            if env.now < start:
                yield env.timeout(start - env.now)
            wanted = most - count
            while len(away) > wanted:
                request = away.pop()
                if request.triggered:
                    counters.release(request)
                else:
                    request.cancel()
            while len(away) < wanted:
                away.append(counters.request(priority=-1))
            if end >= 1440:
                return

    def citizen(kind: int, counted: float):
        arrived = env.now
        hour = sink["hours"].setdefault(int(counted // 60), _bucket())
        hour["arrivals"] += 1
        waiting[0] += 1
        request = counters.request(priority=kind)
        outcome = yield request | env.timeout(max(0.0, close - arrived))
        waiting[0] -= 1
        if request not in outcome:
            request.cancel()
            hour["sent_home"] += 1
            return
        wait = max(0.0, env.now - counted)
        if rng.random() < day.no_show_rate:
            hour["no_shows"] += 1
            minutes = NO_SHOW_MINUTES
        else:
            hour["served"] += 1
            hour["waits"].append(wait)
            if wait <= target.minutes:
                hour["within"] += 1
            minutes = (
                rng.choice(day.service_samples)
                if day.service_samples
                else rng.expovariate(1 / day.mean_service)
            )
        start = env.now
        yield env.timeout(minutes)
        busy.append((start, env.now))
        counters.release(request)

    def arrivals():
        for moment, kind, counted in _arrivals(day, rng):
            if moment > env.now:
                yield env.timeout(moment - env.now)
            env.process(citizen(kind, counted))

    def sampler():
        first, last = min(s for s, _e in day.periods), close
        if env.now < first:
            yield env.timeout(first - env.now)
        while env.now < last:
            sink["queue"].setdefault(int(env.now // 60), []).append(waiting[0])
            yield env.timeout(SAMPLE_EVERY)

    env.process(roster())
    env.process(arrivals())
    env.process(sampler())
    env.run(until=close + 24 * 60)
    for start, end in busy:
        for hour in range(int(start // 60), int(end // 60) + 1):
            overlap = min(end, (hour + 1) * 60) - max(start, hour * 60)
            if overlap > 0:
                sink["busy"][hour] = sink["busy"].get(hour, 0.0) + overlap


def _bucket() -> dict:
    return {"arrivals": 0, "served": 0, "sent_home": 0, "no_shows": 0, "within": 0, "waits": []}


def simulate_day(
    day: GroupDay,
    plan: Mapping[int, int],
    *,
    target: WaitTarget = WaitTarget(),
    runs: int = 40,
    seed: int = 0,
) -> DayResult:
    """The group's day simulated `runs` times with `plan` (hour -> counters): figures per hour and for the day.

    The same seed gives the same arrivals and service times, so two plans are compared on the same days.
    """
    sink: dict = {"hours": {}, "queue": {}, "busy": {}}
    for run in range(runs):
        _run(day, plan, target, random.Random(seed * 1_000_003 + run), sink)  # noqa: S311 - a model, not secrets
    hours: dict[int, HourResult] = {}
    all_waits: list[float] = []
    totals = {"arrivals": 0, "served": 0, "sent_home": 0, "within": 0}
    for hour in day.hours:
        bucket = sink["hours"].get(hour, _bucket())
        counters = int(plan.get(hour, 0))
        capacity = counters * day.open_minutes(hour) * runs
        queue = sink["queue"].get(hour, [])
        waits = bucket["waits"]
        counted = bucket["arrivals"] - bucket["no_shows"]
        hours[hour] = HourResult(
            hour=hour,
            counters=counters,
            arrivals=bucket["arrivals"] / runs,
            served=bucket["served"] / runs,
            sent_home=bucket["sent_home"] / runs,
            no_shows=bucket["no_shows"] / runs,
            mean_wait=sum(waits) / len(waits) if waits else None,
            p90_wait=_percentile(waits, 0.9),
            within_target=bucket["within"] / counted if counted else None,
            queue_length=sum(queue) / len(queue) if queue else 0.0,
            utilisation=min(1.0, sink["busy"].get(hour, 0.0) / capacity) if capacity else None,
        )
        all_waits += waits
        for key in totals:
            totals[key] += bucket[key]
    # Arrivals outside the working hours (before opening) count for the day.
    for hour, bucket in sink["hours"].items():
        if hour not in hours:
            all_waits += bucket["waits"]
            for key in totals:
                totals[key] += bucket[key]
    no_shows = sum(b["no_shows"] for b in sink["hours"].values())
    counted = totals["arrivals"] - no_shows
    planned = sum(int(plan.get(h, 0)) * day.open_minutes(h) for h in day.hours) * runs
    return DayResult(
        hours=hours,
        runs=runs,
        arrivals=totals["arrivals"] / runs,
        served=totals["served"] / runs,
        sent_home=totals["sent_home"] / runs,
        mean_wait=sum(all_waits) / len(all_waits) if all_waits else None,
        p90_wait=_percentile(all_waits, 0.9),
        within_target=totals["within"] / counted if counted else None,
        utilisation=min(1.0, sum(sink["busy"].get(h, 0.0) for h in day.hours) / planned) if planned else None,
    )


def meets_target(result: HourResult, target: WaitTarget) -> bool:
    """Whether the hour's citizens were called within the target (an hour nobody came in always does)."""
    return result.within_target is None or result.arrivals < 0.05 or result.within_target >= target.share


@dataclass
class Recommendation:
    plan: dict[int, int]
    result: DayResult
    short: list[int]  # hours that miss the target even with every available counter


def starting_plan(
    day: GroupDay, available: Mapping[int, int], target: WaitTarget = WaitTarget()
) -> dict[int, int]:
    """A first guess per hour: the fewest counters a steady queue with the hour's arrivals would need (Erlang C).

    At least the offered load rounded up (and one counter when someone is expected), at most what is available.
    """
    plan = {}
    for hour in day.hours:
        arrivals, minutes = day.expected_arrivals(hour), day.open_minutes(hour)
        if arrivals < 0.05 or not minutes:
            plan[hour] = 0
            continue
        rate = arrivals / minutes
        need = max(1, math.ceil(rate * day.service_mean - 1e-9))
        while erlang_c_within(need, rate, day.service_mean, target.minutes) < target.share:
            need += 1
        plan[hour] = min(int(available.get(hour, 0)), need)
    return plan


def recommend(
    day: GroupDay,
    available: Mapping[int, int],
    *,
    target: WaitTarget = WaitTarget(),
    runs: int = 40,
    seed: int = 0,
    max_steps: int = 60,
) -> Recommendation:
    """The fewest counters per hour, within `available`, whose simulated days meet `target` in every hour.

    From a first guess per hour (`starting_plan`), a counter is added to the earliest hour that misses the target (a queue left
    over flows into the next hours), until every hour meets it or has every available counter.
    """
    plan = starting_plan(day, available, target)
    result = simulate_day(day, plan, target=target, runs=runs, seed=seed)
    for _step in range(max_steps):
        missing = [h for h in day.hours if not meets_target(result.hours[h], target)]
        growable = [h for h in missing if plan[h] < int(available.get(h, 0))]
        if missing and not growable:
            return Recommendation(plan, result, short=missing)
        if not missing:
            break
        plan = {**plan, growable[0]: plan[growable[0]] + 1}
        result = simulate_day(day, plan, target=target, runs=runs, seed=seed)
    else:
        return Recommendation(
            plan, result, short=[h for h in day.hours if not meets_target(result.hours[h], target)]
        )
    # The first guess may be generous where a steady queue is not what the hour sees: give back what is not
    # needed, the hours with most counters first, until no counter can go.
    trimmed = True
    while trimmed:
        trimmed = False
        for hour in sorted(day.hours, key=lambda h: (-plan[h], h)):
            if plan[hour] <= 1 or plan[hour] <= math.ceil(
                day.expected_arrivals(hour) * day.service_mean / max(1.0, day.open_minutes(hour))
            ):
                continue
            fewer = {**plan, hour: plan[hour] - 1}
            trial = simulate_day(day, fewer, target=target, runs=runs, seed=seed)
            if all(meets_target(trial.hours[h], target) for h in day.hours):
                plan, result, trimmed = fewer, trial, True
    return Recommendation(plan, result, short=[])


@dataclass(frozen=True)
class Change:
    """The day with one counter more or less in one hour."""

    hour: int
    delta: int
    counters: int
    within_target: float | None  # of that hour's citizens
    mean_wait: float | None  # of that hour's citizens
    day_mean_wait: float | None
    sent_home: float  # over the day


def one_counter_changes(
    day: GroupDay,
    plan: Mapping[int, int],
    *,
    target: WaitTarget = WaitTarget(),
    runs: int = 40,
    seed: int = 0,
) -> list[Change]:
    """For each hour, what one counter more and one counter less would change (on the same simulated days)."""
    changes = []
    for hour in day.hours:
        for delta in (1, -1):
            counters = int(plan.get(hour, 0)) + delta
            if counters < 0:
                continue
            result = simulate_day(day, {**plan, hour: counters}, target=target, runs=runs, seed=seed)
            at = result.hours[hour]
            changes.append(
                Change(
                    hour, delta, counters, at.within_target, at.mean_wait, result.mean_wait, result.sent_home
                )
            )
    return changes


# --- queueing theory, for checking the model ---------------------------------------------------------


def erlang_c(counters: int, load: float) -> float:
    """Probability that a citizen waits at all in an M/M/c queue with offered load `load` (λ/μ), c = counters."""
    if counters <= 0 or load >= counters:
        return 1.0
    term, total = 1.0, 1.0
    for k in range(1, counters):
        term *= load / k
        total += term
    last = term * load / counters * counters / (counters - load)
    return last / (total + last)


def erlang_c_within(counters: int, arrival_rate: float, mean_service: float, minutes: float) -> float:
    """P(wait ≤ minutes) in an M/M/c queue (rates per minute)."""
    load = arrival_rate * mean_service
    if load >= counters:
        return 0.0
    return 1 - erlang_c(counters, load) * math.exp(-(counters / mean_service - arrival_rate) * minutes)


def erlang_c_mean_wait(counters: int, arrival_rate: float, mean_service: float) -> float:
    """Mean wait (minutes) in an M/M/c queue."""
    load = arrival_rate * mean_service
    if load >= counters:
        return math.inf
    return erlang_c(counters, load) / (counters / mean_service - arrival_rate)


def uniform_day(periods: Sequence[tuple[int, int]], arrival_rate: float, **fields) -> GroupDay:
    """A day with a constant walk-in rate (per minute) over its working periods: for checks and benchmarks."""
    walk_ins = {start: arrival_rate * INTERVAL for s, e in periods for start in range(s, e, INTERVAL)}
    return replace(GroupDay(periods=tuple(periods)), walk_ins=walk_ins, **fields)
