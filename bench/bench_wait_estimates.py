"""How good is the queue's wait estimate? Simulated working weeks (SimPy) against a naive estimate.

Each seed is one simulated week (Monday to Friday) at one service point; the history of service
times carries over from day to day, as it does in the database. Two halls (`--hall`, default both):
`simulated` (three groups, seven counters, two of them shared by two groups, one reserved for
priority tickets) and `demo` (the demo's first service point: seven groups, twelve regular intake
counters, one of them planned for the morning only and one shared by three groups, one for priority
tickets). A day:
- citizens arrive from 07:45 to 16:45 at a time-varying rate (a morning peak, a quiet lunch hour,
  a smaller afternoon peak; Monday busiest, Friday quietest), choose a service group,
  8 % declare a priority and 5 % leave before they are called (no-shows);
- the kiosk applies the capacity rule (`estimates.can_accept`, as `selectors.capacity` does) and
  turns a citizen away when today's counters cannot serve one more;
- the counters call under the interleave policy (priority first, a regular ticket after three
  priority calls in a row at a counter), from 08:00, pausing 12:00-13:00 and serving whoever is
  still waiting after 17:00 (a counter planned for the morning stops at 12:00);
- a called citizen walks to the counter (20-60 s) and is served for a log-normal time whose median
  differs from the group's configured average (as it does in real halls); a no-show is waited for
  90 s, then marked and the counter calls again;
- every waiting citizen looks at the ticket again every DISPLAY_EVERY minutes: the estimate shown is
  smoothed against the one before (`estimates.smoothed`, as `services.wait_records` does).

At each issue the script records, for the new ticket:
- the estimator's prediction: `estimates.estimate_wait` with the inputs `selectors.ticket_estimate`
  gives it: tickets of the group ahead under priority-first order, the mean service time of each
  group (`estimates.mean_service_minutes` over its last 30 finished services), each open regular
  counter's share of its time for the group (`estimates.counter_share`), the group's tickets at a
  counter now and today's periods of those counters (closed time is added);
- the former estimator's (`estimates.estimate_wait_minutes`, printed as "previous");
- the naive estimate: waiting tickets of the group x the group's configured average service time /
  open regular counters serving the group;
and when the ticket is first called, the real wait (called - issued). Tickets issued while no
counter serving their group is open (the lunch pause) have no estimate in either method and are
left out of the errors (counted separately). The RATIO line is estimator MAE / naive MAE over both
halls: below 1 means the estimator beats the naive rule; each hall's own ratio is printed too, and
the swing of later displays (their change beyond the time that passed).

    PYTHONPATH=. .venv/bin/python bench/bench_wait_estimates.py                  # 5 seeds x 5 days
    PYTHONPATH=. .venv/bin/python bench/bench_wait_estimates.py --hall demo --seeds 20 --scale 1.2
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import statistics
from collections import deque
from dataclasses import dataclass, field

import simpy

from motcua.queueing import estimates

RECENT_SAMPLES = 30  # selectors.RECENT_SAMPLES: the typical time uses the group's last 30 services
OPEN, LUNCH, CLOSE = 8 * 60, (12 * 60, 13 * 60), 17 * 60  # minutes after midnight
WORKING_PERIODS = ((8 * 60, 12 * 60), (13 * 60, 17 * 60))
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri")
DAY_LOAD = (1.15, 1.0, 0.95, 1.0, 0.9)
# Arrivals per hour at the kiosk, by the hour they start (07:45-16:45).
# About 175 citizens on an ordinary day: the counters are busy ~80 % of their hours, more at the peaks.
ARRIVALS_PER_HOUR = (
    (7 * 60 + 45, 32),
    (8 * 60, 30),
    (9 * 60, 34),
    (10 * 60, 26),
    (11 * 60, 14),
    (12 * 60, 4),
    (13 * 60, 20),
    (14 * 60, 20),
    (15 * 60, 14),
    (16 * 60, 6),
    (16 * 60 + 45, 0),
)
PRIORITY_SHARE = 0.08
NO_SHOW_SHARE = 0.05
NO_SHOW_WAIT = 1.5
WALK = (20 / 60, 1.0)
MAX_INTERLEAVE_STREAK = 3
DISPLAY_EVERY = 5  # minutes between two looks at a waiting ticket's page


@dataclass(frozen=True)
class Group:
    letter: str
    configured_minutes: float  # ServiceGroup.average_service_minutes
    median_minutes: float  # what service really takes (log-normal median)
    sigma: float
    share: float


@dataclass(frozen=True)
class CounterSpec:
    number: int
    groups: tuple[str, ...]
    priority_only: bool = False
    until: int = CLOSE  # minutes after midnight: a counter planned for the morning only stops at 12:00


@dataclass(frozen=True)
class Layout:
    """A hall: its service groups and counters, and its arrivals against the base table."""

    name: str
    groups: tuple[Group, ...]
    counters: tuple[CounterSpec, ...]
    load: float = 1.0


GROUPS = (
    Group("A", configured_minutes=10, median_minutes=8, sigma=0.55, share=0.45),  # civil status
    Group("B", configured_minutes=15, median_minutes=17, sigma=0.6, share=0.30),  # land
    Group("C", configured_minutes=12, median_minutes=11, sigma=0.5, share=0.25),  # business
)
COUNTERS = (
    CounterSpec(1, ("A",)),
    CounterSpec(2, ("A",)),
    CounterSpec(3, ("A", "C")),
    CounterSpec(4, ("B",)),
    CounterSpec(5, ("B",)),
    CounterSpec(6, ("B", "C")),
    CounterSpec(7, ("A", "B", "C"), priority_only=True),
)
SIMULATED = Layout("simulated", GROUPS, COUNTERS)
# The demo's first service point (data/org/center.yaml, cn01-tay-ho): seven groups with the demo's configured
# averages, eleven regular intake counters (counter 5 planned for the morning only), counter 12 shared by
# three groups, counter 20 reserved for priority cases; real service medians off the configured ones.
DEMO = Layout(
    "demo",
    (
        Group("A", configured_minutes=10, median_minutes=9, sigma=0.5, share=0.22),  # tu-phap
        Group("B", configured_minutes=20, median_minutes=23, sigma=0.6, share=0.30),  # dat-dai
        Group("C", configured_minutes=18, median_minutes=16, sigma=0.55, share=0.12),  # xay-dung
        Group("D", configured_minutes=15, median_minutes=14, sigma=0.5, share=0.14),  # kinh-doanh
        Group("E", configured_minutes=12, median_minutes=13, sigma=0.5, share=0.09),  # lao-dong
        Group("F", configured_minutes=12, median_minutes=10, sigma=0.5, share=0.07),  # y-te
        Group("G", configured_minutes=10, median_minutes=8, sigma=0.5, share=0.06),  # giao-duc
    ),
    (
        *(CounterSpec(n, ("B",)) for n in range(1, 5)),
        CounterSpec(5, ("B",), until=LUNCH[0]),
        CounterSpec(6, ("C",)),
        CounterSpec(7, ("C",)),
        CounterSpec(8, ("D",)),
        CounterSpec(9, ("D",)),
        CounterSpec(10, ("A",)),
        CounterSpec(11, ("A",)),
        CounterSpec(12, ("E", "F", "G")),
        CounterSpec(20, ("A", "B", "C", "D", "E", "F", "G"), priority_only=True),
    ),
    load=1.3,
)
LAYOUTS = {layout.name: layout for layout in (SIMULATED, DEMO)}


@dataclass
class Ticket:
    id: int
    group: str
    priority: bool
    no_show: bool
    service_minutes: float
    issued_at: float
    estimate: int | None = None
    previous: int | None = None
    displays: list[tuple[float, int, float]] = field(default_factory=list)
    naive: float | None = None
    called_at: float | None = None
    status: str = "waiting"


@dataclass
class CounterState:
    spec: CounterSpec
    paused: bool = False
    streak: int = 0


@dataclass
class DayResult:
    tickets: list[Ticket] = field(default_factory=list)
    refused: int = 0
    late_calls: int = 0


def _minutes_to_datetime(minutes: float) -> dt.datetime:
    return dt.datetime(2026, 11, 23, tzinfo=dt.UTC) + dt.timedelta(minutes=minutes)


def arrival_rate(minute: float) -> float:
    """Arrivals per minute at `minute` after midnight."""
    rate = 0.0
    for start, per_hour in ARRIVALS_PER_HOUR:
        if minute >= start:
            rate = per_hour / 60
    return rate


class Hall:
    """One service point for one day, with the queue rules the service applies."""

    def __init__(
        self,
        env: simpy.Environment,
        rng: random.Random,
        history: dict[str, deque],
        load: float,
        layout: Layout,
    ):
        self.env, self.rng, self.history, self.load, self.layout = (
            env,
            rng,
            history,
            load * layout.load,
            layout,
        )
        self.groups = {g.letter: g for g in layout.groups}
        self.counters = [CounterState(spec) for spec in layout.counters]
        self.waiting: list[Ticket] = []
        self.at_counter: list[Ticket] = []
        self.result = DayResult()
        self.issued = env.event()
        self.next_id = 0

    # --- what the service computes at issue time --------------------------------------------------
    def typical_minutes(self, letter: str) -> float:
        return estimates.typical_service_minutes(self.history[letter], self.groups[letter].configured_minutes)

    def serving(self, letter: str) -> list[CounterState]:
        """Counters serving the group and planned now (a counter whose planned hours are over counts no more)."""
        return [c for c in self.counters if letter in c.spec.groups and self.env.now < c.spec.until]

    def periods_of(self, counter: CounterState) -> list[tuple[dt.datetime, dt.datetime]]:
        return [
            (_minutes_to_datetime(a), _minutes_to_datetime(min(b, counter.spec.until)))
            for a, b in WORKING_PERIODS
            if a < counter.spec.until
        ]

    def accepts(self, letter: str) -> bool:
        """selectors.capacity: minutes left x counters serving the group against what waits for them."""
        now = _minutes_to_datetime(self.env.now)
        counters = self.serving(letter)  # paused counters count, closed ones would not
        left = sum(estimates.remaining_minutes(self.periods_of(c), now) for c in counters)
        served = {g for c in counters for g in c.spec.groups}
        typical = {g: self.typical_minutes(g) for g in served}
        pending = sum(typical[t.group] for t in self.waiting if t.group in served)
        return estimates.can_accept(
            counter_minutes_left=left,
            pending_minutes=pending,
            new_ticket_minutes=typical[letter],
        )

    def estimate_v1(self, ticket: Ticket) -> int | None:
        """The former selectors.ticket_estimate for a ticket just issued (printed for comparison)."""
        same = [t for t in self.waiting if t.group == ticket.group]
        # Everyone waiting was queued earlier: a priority ticket passes the regular ones, nobody else.
        ahead = sum(1 for t in same if t.priority) if ticket.priority else len(same)
        open_counters = sum(
            1 for c in self.serving(ticket.group) if not c.paused and not c.spec.priority_only
        )
        at_counters = sum(1 for t in self.at_counter if t.group == ticket.group)
        return estimates.estimate_wait_minutes(
            ahead, open_counters, self.typical_minutes(ticket.group), at_counters=at_counters
        )

    def estimate_v2(self, ticket: Ticket, ahead: int | None = None) -> int | None:
        """selectors.ticket_estimate: `estimates.estimate_wait` with the inputs the service gives it."""
        letter = ticket.group
        same = [t for t in self.waiting if t.group == letter and t is not ticket]
        if ahead is None:
            ahead = sum(1 for t in same if t.priority) if ticket.priority else len(same)
        mean = {g: self.mean_minutes(g) for g in self.groups}
        waiting = {g: sum(1 for t in self.waiting if t.group == g) for g in self.groups}
        serving = {
            g: max(1, sum(1 for c in self.serving(g) if not c.paused and not c.spec.priority_only))
            for g in self.groups
        }
        shares, periods = [], []
        # The regular intake counters (selectors: priority-only ones are not the group's to count on).
        for counter in self.serving(letter):
            if counter.paused or counter.spec.priority_only:
                continue
            # Each group's queued work is spread over the counters serving it: a counter shared with a
            # group that has counters of its own owes that group only its part.
            own = (ahead + 1) * mean[letter] / serving[letter]
            other = sum(waiting[g] * mean[g] / serving[g] for g in counter.spec.groups if g != letter)
            shares.append(estimates.counter_share(own, other))
            periods.extend(self.periods_of(counter))
        at_counters = sum(1 for t in self.at_counter if t.group == letter)
        return estimates.estimate_wait(
            ahead=ahead,
            service_minutes=mean[letter],
            shares=shares,
            at_counters=at_counters,
            periods=periods,
            now=_minutes_to_datetime(self.env.now),
        )

    def mean_minutes(self, letter: str) -> float:
        return estimates.mean_service_minutes(self.history[letter], self.groups[letter].configured_minutes)

    def naive(self, ticket: Ticket) -> float | None:
        open_counters = sum(
            1 for c in self.serving(ticket.group) if not c.paused and not c.spec.priority_only
        )
        if open_counters == 0:
            return None
        queue = sum(1 for t in self.waiting if t.group == ticket.group)
        return queue * self.groups[ticket.group].configured_minutes / open_counters

    # --- citizens ---------------------------------------------------------------------------------
    def arrivals(self):
        """A non-homogeneous Poisson process (thinning against the peak rate)."""
        peak = max(rate for _start, rate in ARRIVALS_PER_HOUR) / 60 * self.load
        letters = [g.letter for g in self.layout.groups]
        weights = [g.share for g in self.layout.groups]
        yield self.env.timeout(ARRIVALS_PER_HOUR[0][0] - self.env.now)
        last = ARRIVALS_PER_HOUR[-1][0]
        while True:
            yield self.env.timeout(self.rng.expovariate(peak))
            if self.env.now >= last:
                return
            if self.rng.random() * peak > arrival_rate(self.env.now) * self.load:
                continue
            letter = self.rng.choices(letters, weights)[0]
            if not self.accepts(letter):
                self.result.refused += 1
                continue
            self.issue(letter)

    def issue(self, letter: str) -> None:
        group = self.groups[letter]
        service = min(120.0, max(1.0, self.rng.lognormvariate(math.log(group.median_minutes), group.sigma)))
        self.next_id += 1
        ticket = Ticket(
            self.next_id,
            letter,
            priority=self.rng.random() < PRIORITY_SHARE,
            no_show=self.rng.random() < NO_SHOW_SHARE,
            service_minutes=service,
            issued_at=self.env.now,
        )
        ticket.estimate = self.estimate_v2(ticket)
        ticket.previous = self.estimate_v1(ticket)
        ticket.naive = self.naive(ticket)
        self.waiting.append(ticket)
        self.env.process(self.displays(ticket))
        self.result.tickets.append(ticket)
        self.issued.succeed()
        self.issued = self.env.event()

    def ahead_of(self, ticket: Ticket) -> int:
        """Waiting tickets of the group called before `ticket` (priority first, then first come)."""
        same = [t for t in self.waiting if t.group == ticket.group and t is not ticket]
        if ticket.priority:
            return sum(1 for t in same if t.priority and t.id < ticket.id)
        return sum(1 for t in same if t.priority or t.id < ticket.id)

    def displays(self, ticket: Ticket):
        """The citizen looks at the ticket's page every DISPLAY_EVERY minutes while waiting."""
        shown, shown_at = ticket.estimate, self.env.now
        while True:
            yield self.env.timeout(DISPLAY_EVERY)
            if ticket.status != "waiting":
                return
            raw = self.estimate_v2(ticket, ahead=self.ahead_of(ticket))
            new = estimates.smoothed(shown, self.env.now - shown_at, raw)
            if new is not None and shown is not None:
                expected = max(0.0, shown - (self.env.now - shown_at))
                ticket.displays.append((self.env.now, new, abs(new - expected)))
            shown, shown_at = new, self.env.now

    # --- counters ---------------------------------------------------------------------------------
    def next_for(self, counter: CounterState) -> Ticket | None:
        """services.calling: priority first, FIFO in each class, a regular one after a priority streak."""
        mine = [t for t in self.waiting if t.group in counter.spec.groups]
        if counter.spec.priority_only:
            mine = [t for t in mine if t.priority]
        if not mine:
            return None
        priority = [t for t in mine if t.priority]
        regular = [t for t in mine if not t.priority]
        if counter.streak >= MAX_INTERLEAVE_STREAK and regular:
            return regular[0]
        return priority[0] if priority else regular[0]

    def counter(self, counter: CounterState):
        env = self.env
        while True:
            now = env.now
            if now < OPEN:
                yield env.timeout(OPEN - now)
                continue
            if LUNCH[0] <= now < LUNCH[1]:
                counter.paused = True
                yield env.timeout(LUNCH[1] - now)
                counter.paused = False
                continue
            if now >= counter.spec.until < CLOSE:
                return  # its planned hours are over
            ticket = self.next_for(counter)
            if ticket is None:
                if now >= CLOSE:
                    return
                boundary = LUNCH[0] if now < LUNCH[0] else CLOSE
                yield self.issued | env.timeout(boundary - now)
                continue
            self.waiting.remove(ticket)
            ticket.called_at, ticket.status = now, "called"
            if now >= CLOSE:
                self.result.late_calls += 1
            counter.streak = counter.streak + 1 if ticket.priority else 0
            self.at_counter.append(ticket)
            if ticket.no_show:
                yield env.timeout(NO_SHOW_WAIT)
                ticket.status = "no_show"
            else:
                yield env.timeout(self.rng.uniform(*WALK))
                ticket.status = "serving"
                yield env.timeout(ticket.service_minutes)
                ticket.status = "done"
                self.history[ticket.group].append(ticket.service_minutes * 60)
            self.at_counter.remove(ticket)


def simulate_day(
    rng: random.Random, history: dict[str, deque], load: float, layout: Layout = SIMULATED
) -> DayResult:
    env = simpy.Environment(initial_time=7 * 60)
    hall = Hall(env, rng, history, load, layout)
    env.process(hall.arrivals())
    for counter in hall.counters:
        env.process(hall.counter(counter))
    env.run(until=24 * 60)  # bounded: nobody is served past midnight
    return hall.result


@dataclass
class Errors:
    estimator: list[float] = field(default_factory=list)
    previous: list[float] = field(default_factory=list)
    naive: list[float] = field(default_factory=list)
    real: list[float] = field(default_factory=list)
    display: list[float] = field(default_factory=list)  # later displays: shown - real remaining wait
    steps: list[float] = field(default_factory=list)  # |shown - (previous shown - time passed)|

    def add(self, ticket: Ticket) -> None:
        real = ticket.called_at - ticket.issued_at
        self.real.append(real)
        self.estimator.append(ticket.estimate - real)
        self.previous.append((ticket.previous if ticket.previous is not None else ticket.naive) - real)
        self.naive.append(ticket.naive - real)
        for at, shown, step in ticket.displays:
            self.display.append(shown - (ticket.called_at - at))
            self.steps.append(step)

    def line(self, label: str) -> str:
        if not self.real:
            return f"{label:<18} n=0"
        mae_e = statistics.fmean(abs(e) for e in self.estimator)
        mae_p = statistics.fmean(abs(e) for e in self.previous)
        mae_n = statistics.fmean(abs(e) for e in self.naive)
        ratio = mae_e / mae_n if mae_n else float("inf")
        return (
            f"{label:<18} n={len(self.real):5d}  real wait {statistics.fmean(self.real):5.1f}  "
            f"MAE estimator {mae_e:5.1f} previous {mae_p:5.1f} naive {mae_n:5.1f} (ratio {ratio:4.2f})  "
            f"bias estimator {statistics.fmean(self.estimator):+5.1f} naive {statistics.fmean(self.naive):+5.1f}"
        )

    def swing_line(self) -> str:
        if not self.steps:
            return "later displays: none"
        ordered = sorted(self.steps)
        p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
        return (
            f"later displays n={len(self.display)}  MAE {statistics.fmean(abs(e) for e in self.display):5.1f}  "
            f"change beyond the time passed: mean {statistics.fmean(self.steps):4.1f}  p95 {p95:4.1f}  "
            f"max {ordered[-1]:4.1f} min"
        )


PERIODS = ("before opening", "morning", "across lunch", "afternoon")


def period_of(ticket: Ticket) -> str:
    """When the ticket waited: the estimate knows neither the opening hour nor the lunch pause."""
    if ticket.issued_at < OPEN:
        return PERIODS[0]
    if ticket.issued_at < LUNCH[0]:
        return PERIODS[2] if ticket.called_at >= LUNCH[0] else PERIODS[1]
    return PERIODS[3]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seeds", type=int, default=5, help="simulated weeks (one random seed each)")
    parser.add_argument("--days", type=int, default=5, choices=range(1, 6), help="days per week, from Monday")
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies the arrival rate")
    parser.add_argument("--first-seed", type=int, default=1)
    parser.add_argument(
        "--hall", choices=("both", *LAYOUTS), default="both", help="the simulated hall, the demo's, or both"
    )
    return parser.parse_args(argv)


def ratio_of(errors: Errors) -> tuple[float, float, float]:
    mae_e = statistics.fmean(abs(e) for e in errors.estimator)
    mae_n = statistics.fmean(abs(e) for e in errors.naive)
    return mae_e, mae_n, (mae_e / mae_n if mae_n else float("inf"))


def main(argv: list[str] | None = None) -> dict[str, float]:
    """Simulate, print the errors of both estimates (minutes) and the RATIO line; return the figures."""
    args = parse_args(argv)
    if args.seeds < 1 or args.scale <= 0:
        raise SystemExit("--seeds and --scale must be positive")
    layouts = list(LAYOUTS.values()) if args.hall == "both" else [LAYOUTS[args.hall]]
    overall = Errors()
    per_hall: dict[str, Errors] = {}
    print(
        f"bench_wait_estimates: {args.seeds} seed(s) x {args.days} day(s), arrival scale {args.scale:g}, "
        f"hall(s) {', '.join(layout.name for layout in layouts)}"
    )
    for layout in layouts:
        hall_errors, by_group, by_period, by_day = Errors(), {}, {}, {}
        issued = refused = no_show = unestimated = late = 0
        for seed in range(args.first_seed, args.first_seed + args.seeds):
            rng = random.Random(seed)
            history = {g.letter: deque(maxlen=RECENT_SAMPLES) for g in layout.groups}
            for day in range(args.days):
                result = simulate_day(rng, history, DAY_LOAD[day] * args.scale, layout)
                refused += result.refused
                late += result.late_calls
                for ticket in result.tickets:
                    issued += 1
                    no_show += ticket.no_show
                    if ticket.called_at is None:
                        continue
                    if ticket.estimate is None or ticket.naive is None:
                        unestimated += 1
                        continue
                    for errors in (
                        overall,
                        hall_errors,
                        by_group.setdefault(ticket.group, Errors()),
                        by_period.setdefault(period_of(ticket), Errors()),
                        by_day.setdefault(DAY_NAMES[day], Errors()),
                    ):
                        errors.add(ticket)
        per_hall[layout.name] = hall_errors
        regular = sum(1 for c in layout.counters if not c.priority_only)
        print(
            f"\n== hall {layout.name}: {regular} regular intake counters and one for priority cases, "
            f"groups {' '.join(g.letter for g in layout.groups)}"
        )
        print(
            f"tickets issued {issued}, turned away by the capacity rule {refused}, no-shows {no_show}, "
            f"issued while no counter was open (no estimate) {unestimated}, called after 17:00 {late}"
        )
        print("minutes; error = estimate - real wait; previous = the former estimator")
        for letter in sorted(by_group):
            print(by_group[letter].line(f"group {letter}"))
        for period in PERIODS:
            if period in by_period:
                print(by_period[period].line(period))
        for name in DAY_NAMES:
            if name in by_day:
                print(by_day[name].line(name))
        print(hall_errors.line("all"))
        print(hall_errors.swing_line())
        if hall_errors.real:
            mae_e, mae_n, ratio = ratio_of(hall_errors)
            print(
                f"hall {layout.name}: estimator/naive MAE={ratio:.3f} (estimator {mae_e:.2f} min, naive {mae_n:.2f} min)"
            )

    if not overall.real:
        raise SystemExit("no ticket with both estimates was called: nothing to compare")
    mae_estimator, mae_naive, ratio = ratio_of(overall)
    mae_previous = statistics.fmean(abs(e) for e in overall.previous)
    print()
    print(overall.swing_line())
    print(f"previous estimator/naive MAE={mae_previous / mae_naive if mae_naive else float('inf'):.3f}")
    print(
        f"RATIO estimator/naive MAE={ratio:.3f} (estimator {mae_estimator:.2f} min, naive {mae_naive:.2f} min)"
    )
    figures = {
        "estimator_mae": mae_estimator,
        "naive_mae": mae_naive,
        "ratio": ratio,
        "tickets": len(overall.real),
        "previous_mae": mae_previous,
        "max_step": max(overall.steps, default=0.0),
    }
    for name, errors in per_hall.items():
        if errors.real:
            figures[f"ratio_{name}"] = ratio_of(errors)[2]
    return figures


if __name__ == "__main__":
    main()
