"""bench_assistant runs end to end on a few questions and prints its RATIO line (no timing asserted)."""

import re

from bench.tests.test_bench_smoke import NUMBER, assert_positive_finite, ratio_line


def test_assistant_bench_prints_its_ratio(capsys):
    from bench import bench_assistant

    figures = bench_assistant.main(["--limit", "5", "--repeat", "1", "--schema", "models"])

    output = capsys.readouterr().out
    line = ratio_line(output)
    match = re.search(rf"top1={NUMBER} time={NUMBER}", line)
    assert match, line
    assert_positive_finite(float(match.group(2)), figures["median_ms"], figures["baseline_ms"])
    assert figures["questions"] == 10
    assert 0 <= figures["test_top1"] <= figures["test_top3"] <= 1
    assert "test " in output and "top-3" in output
