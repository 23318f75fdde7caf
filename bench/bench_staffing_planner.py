"""The staffing planner's simulation: how long a plan takes, against a bare-Python queue in the same run.

1. a busy group's day (about 160 citizens over 08:00–17:00 with a lunch break, a morning peak, 12-minute
   services, 5 counters) is simulated --runs times with `planning.simulation.simulate_day` (SimPy);
2. the same days with a baseline: a first-come-first-served queue over a heap of counter free times in
   plain Python (no hours, no bookings, no no-shows: the least a simulation of the day must do);
3. a full recommendation (`recommend`) and the one-counter-more-or-less table for that day;
4. prints the times, the mean waits of both (they should be close: the same queue) and a RATIO line:
   SimPy model / baseline per simulated day.

    python -m bench.bench_staffing_planner            # 40 runs
    python -m bench.bench_staffing_planner --runs 200
"""

import argparse
import heapq
import random
import sys
import time

from motcua.planning import simulation as sim

DAY = ((480, 720), (780, 1020))


def busy_day() -> sim.GroupDay:
    walk_ins = {m: (7.0 if m < 660 else 4.0) for s, e in DAY for m in range(s, e, 15)}
    return sim.GroupDay(periods=DAY, walk_ins=walk_ins, mean_service=12.0)


def baseline_day(day: sim.GroupDay, counters: int, rng: random.Random) -> list[float]:
    """Poisson arrivals per quarter hour, exponential services, FIFO over `counters` always open."""
    arrivals = []
    for start, rate in day.walk_ins.items():
        moment = start + rng.expovariate(rate / sim.INTERVAL)
        while moment < start + sim.INTERVAL:
            arrivals.append(moment)
            moment += rng.expovariate(rate / sim.INTERVAL)
    arrivals.sort()
    free = [0.0] * counters
    heapq.heapify(free)
    waits = []
    for moment in arrivals:
        at = heapq.heappop(free)
        start = max(at, moment)
        waits.append(start - moment)
        heapq.heappush(free, start + rng.expovariate(1 / day.mean_service))
    return waits


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=40, help="simulated days per plan")
    args = parser.parse_args(argv)
    day = busy_day()
    plan = {h: 5 for h in day.hours}

    started = time.perf_counter()
    result = sim.simulate_day(day, plan, runs=args.runs, seed=1)
    model = time.perf_counter() - started

    started = time.perf_counter()
    waits: list[float] = []
    for run in range(args.runs):
        waits += baseline_day(day, 5, random.Random(run))  # noqa: S311 - a model
    baseline = time.perf_counter() - started

    started = time.perf_counter()
    recommendation = sim.recommend(day, {h: 8 for h in day.hours}, runs=args.runs)
    recommend_seconds = time.perf_counter() - started
    started = time.perf_counter()
    sim.one_counter_changes(day, recommendation.plan, runs=args.runs)
    changes_seconds = time.perf_counter() - started

    print(f"day: {result.arrivals:.0f} citizens, 5 counters, {args.runs} runs")
    print(f"simpy model   {model * 1000 / args.runs:8.2f} ms/day  mean wait {result.mean_wait:.1f} min")
    print(
        f"baseline      {baseline * 1000 / args.runs:8.2f} ms/day  mean wait {sum(waits) / len(waits):.1f} min "
        "(no lunch break, no sending home)"
    )
    print(f"recommend     {recommend_seconds:8.2f} s        plan {recommendation.plan}")
    print(f"±1 counter    {changes_seconds:8.2f} s        ({2 * len(day.hours)} variants)")
    print(f"RATIO simpy/baseline per day={model / baseline:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
