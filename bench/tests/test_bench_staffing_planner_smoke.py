"""bench_staffing_planner runs and prints its RATIO line (with very few simulated days)."""

from bench import bench_staffing_planner


def test_the_benchmark_prints_its_ratio(capsys):
    assert bench_staffing_planner.main(["--runs", "2"]) == 0
    out = capsys.readouterr().out
    assert "RATIO simpy/baseline per day=" in out and "recommend" in out
