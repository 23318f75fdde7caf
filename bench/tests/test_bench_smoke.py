"""Each benchmark runs end to end with tiny parameters and prints its RATIO line.

These are not timing tests: they check that the scripts still work against the current code (the
API, the services, the estimator's signature) and that their figures are positive and finite.
"""

import math
import re

from bench import bench_queue_api, bench_wait_estimates

NUMBER = r"([0-9.]+|nan|inf)"


def ratio_line(output: str) -> str:
    lines = [line for line in output.splitlines() if line.startswith("RATIO ")]
    assert len(lines) == 1, output
    return lines[0]


def assert_positive_finite(*values: float) -> None:
    for value in values:
        assert math.isfinite(value) and value > 0, values


def test_queue_api_bench_prints_its_ratios(capsys):
    figures = bench_queue_api.main(
        ["--clients", "2", "--requests", "12", "--seconds", "5", "--schema", "models"]
    )

    line = ratio_line(capsys.readouterr().out)
    match = re.search(rf"issue/ping={NUMBER} call-next/ping={NUMBER}", line)
    assert match, line
    assert_positive_finite(float(match.group(1)), float(match.group(2)))
    bare = re.search(rf"issue/bare={NUMBER} call-next/bare={NUMBER} ping/bare={NUMBER}", line)
    assert bare, line
    assert_positive_finite(*(float(bare.group(i)) for i in (1, 2, 3)))
    assert_positive_finite(figures["ping_rps"], figures["bare_rps"], figures["issue_rps"], figures["call_next_rps"])


def test_wait_estimates_bench_prints_its_ratio(capsys):
    figures = bench_wait_estimates.main(["--seeds", "1", "--days", "1", "--scale", "0.5"])

    line = ratio_line(capsys.readouterr().out)
    match = re.search(rf"estimator/naive MAE={NUMBER}", line)
    assert match, line
    assert_positive_finite(float(match.group(1)), figures["estimator_mae"], figures["naive_mae"])
    assert figures["tickets"] > 0


def test_catalog_search_bench_prints_its_ratio(capsys):
    from bench import bench_catalog_search

    figures = bench_catalog_search.main(["--limit", "20", "--repeat", "1", "--schema", "models"])

    line = ratio_line(capsys.readouterr().out)
    match = re.search(rf"search/exact-code={NUMBER}", line)
    assert match, line
    assert_positive_finite(float(match.group(1)), figures["exact_ms"], figures["query_median_ms"])
    assert figures["procedures"] > 20
