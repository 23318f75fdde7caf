"""The simulated day: queueing theory where it applies (Erlang C), small days checked by hand, the recommendation."""

import math

import pytest

from motcua.planning import simulation as sim
from motcua.planning.simulation import GroupDay, WaitTarget

DAY = ((480, 720), (780, 1020))  # 08:00–12:00, 13:00–17:00


@pytest.mark.parametrize(("counters", "rate", "mean"), [(4, 0.4, 8.0), (2, 0.15, 10.0), (6, 0.5, 10.0)])
def test_a_steady_queue_matches_erlang_c_within_noise(counters, rate, mean):
    day = sim.uniform_day([(0, 3000)], rate, mean_service=mean)
    result = sim.simulate_day(day, {h: counters for h in day.hours}, runs=6, seed=3)
    expected_wait = sim.erlang_c_mean_wait(counters, rate, mean)
    expected_within = sim.erlang_c_within(counters, rate, mean, 15)
    assert result.arrivals == pytest.approx(rate * 3000, rel=0.03)
    assert result.mean_wait == pytest.approx(expected_wait, rel=0.2, abs=0.3)
    assert result.within_target == pytest.approx(expected_within, abs=0.03)
    # Busy time over planned time: the realised arrivals' work (the mean service time, within noise).
    assert result.utilisation == pytest.approx(result.arrivals * mean / (counters * 3000), abs=0.04)


def test_erlang_c_by_hand():
    # One counter (M/M/1): P(wait) = ρ, mean wait = ρ / (μ − λ).
    assert sim.erlang_c(1, 0.5) == pytest.approx(0.5)
    assert sim.erlang_c_mean_wait(1, 0.05, 10) == pytest.approx(0.5 / (0.1 - 0.05))
    # Two counters, load 1: C = (1/2 · 2/(2−1)) / (1 + 1 + 1) = 1/3.
    assert sim.erlang_c(2, 1.0) == pytest.approx(1 / 3)
    assert sim.erlang_c(3, 3.0) == 1.0 and sim.erlang_c_within(3, 0.3, 10, 15) == 0.0


def test_bookings_alone_with_fixed_service_times_are_served_without_waiting():
    # Four booked citizens at 08:00, 08:30, 09:00, 09:30, ten minutes each, one counter: nobody waits.
    day = GroupDay(periods=DAY, booked=(480, 510, 540, 570), booking_show_rate=1.0, service_samples=(10.0,))
    result = sim.simulate_day(day, {h: 1 for h in day.hours}, runs=5)
    assert result.arrivals == 4 and result.served == 4 and result.sent_home == 0
    assert result.mean_wait == 0 and result.within_target == 1.0
    # Forty minutes of work in two hours (a citizen a little early may be served before the slot).
    assert result.hours[8].utilisation + result.hours[9].utilisation == pytest.approx(40 / 60)


def test_who_waits_when_counters_are_too_few_and_who_is_sent_home():
    # Six citizens booked for 16:00 (arriving 15:50–16:00), 35 minutes each, two counters: two served at once,
    # two called after 16:25 (a wait over 15 minutes), finished after hours; the last two still waiting at
    # 17:00 are sent home.
    day = GroupDay(periods=DAY, booked=(960,) * 6, booking_show_rate=1.0, service_samples=(35.0,))
    result = sim.simulate_day(day, {h: 2 for h in day.hours}, runs=3)
    hour = result.hours[16]
    assert hour.arrivals == 6 and hour.served == 4 and hour.sent_home == 2
    assert hour.within_target == pytest.approx(2 / 6)


def test_no_counter_in_an_hour_means_waiting_for_the_next_one():
    # Nobody at the counter from 09:00 to 10:00: a citizen booked at 09:15 is called at 10:00.
    day = GroupDay(periods=DAY, booked=(555,), booking_show_rate=1.0, service_samples=(5.0,))
    plan = {h: 1 for h in day.hours} | {9: 0}
    result = sim.simulate_day(day, plan, runs=4)
    assert result.hours[9].mean_wait == pytest.approx(45)  # a booked citizen's wait counts from the slot
    assert result.hours[9].within_target == 0.0 and result.hours[9].utilisation is None


def test_no_shows_take_a_short_call_and_are_not_counted_as_served():
    day = GroupDay(
        periods=DAY, booked=(480,) * 10, booking_show_rate=1.0, no_show_rate=1.0, service_samples=(10.0,)
    )
    result = sim.simulate_day(day, {h: 1 for h in day.hours}, runs=2)
    assert result.served == 0 and result.hours[8].no_shows == 10
    assert result.hours[8].utilisation == pytest.approx(10 * sim.NO_SHOW_MINUTES / 60)


def test_booked_citizens_go_before_walk_ins():
    # A crowd of walk-ins from 08:00 and one booking at 09:00: the booked citizen hardly waits.
    walk_ins = {480: 10.0, 495: 10.0, 510: 10.0}
    day = GroupDay(
        periods=DAY, walk_ins=walk_ins, booked=(540,), booking_show_rate=1.0, service_samples=(10.0,)
    )
    result = sim.simulate_day(day, {h: 1 for h in day.hours}, runs=10)
    assert result.hours[8].mean_wait > 60
    assert result.hours[9].mean_wait < 20


def test_the_same_seed_gives_the_same_day():
    day = sim.uniform_day(DAY, 0.2, mean_service=10.0)
    plan = {h: 2 for h in day.hours}
    assert sim.simulate_day(day, plan, seed=5, runs=3) == sim.simulate_day(day, plan, seed=5, runs=3)


def test_the_recommendation_meets_the_target_with_the_fewest_counters():
    target = WaitTarget(minutes=15, share=0.9)
    # A morning rush: 16 citizens a quarter hour from 08:00 to 10:00, then 2; 12 minutes each.
    walk_ins = {m: (16.0 if m < 600 else 2.0) for s, e in DAY for m in range(s, e, 15)}
    day = GroupDay(periods=DAY, walk_ins=walk_ins, mean_service=12.0)
    available = {h: 20 for h in day.hours}
    recommendation = sim.recommend(day, available, target=target, runs=20)
    plan = recommendation.plan
    assert not recommendation.short
    assert all(sim.meets_target(recommendation.result.hours[h], target) for h in day.hours)
    assert plan[8] >= math.ceil(64 * 12 / 60) and plan[9] >= math.ceil(
        64 * 12 / 60
    )  # at least the offered load
    assert plan[13] < plan[9]
    # One counter fewer in any busy hour misses the target somewhere.
    for hour in (8, 9):
        fewer = sim.simulate_day(day, {**plan, hour: plan[hour] - 1}, target=target, runs=20)
        assert not all(sim.meets_target(fewer.hours[h], target) for h in day.hours)


def test_hours_that_cannot_meet_the_target_with_the_counters_available_are_named():
    walk_ins = {m: 16.0 for s, e in DAY for m in range(s, e, 15)}
    day = GroupDay(periods=DAY, walk_ins=walk_ins, mean_service=12.0)
    recommendation = sim.recommend(day, {h: 3 for h in day.hours}, runs=5)
    assert recommendation.plan == {h: 3 for h in day.hours}
    assert recommendation.short and recommendation.result.sent_home > 0


def test_one_counter_more_or_less_moves_the_hour_the_right_way():
    day = sim.uniform_day(DAY, 0.3, mean_service=10.0)
    plan = {h: 4 for h in day.hours}
    base = sim.simulate_day(day, plan, runs=10)
    changes = {(c.hour, c.delta): c for c in sim.one_counter_changes(day, plan, runs=10)}
    assert len(changes) == 2 * len(day.hours)
    assert changes[(10, 1)].mean_wait <= base.hours[10].mean_wait <= changes[(10, -1)].mean_wait
    assert changes[(10, -1)].counters == 3
