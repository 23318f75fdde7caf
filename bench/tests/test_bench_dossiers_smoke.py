"""The dossier benchmarks run end to end with tiny parameters and print their RATIO lines.

Not timing tests: they check that the scripts still work against the current code (the intake API
and its multipart shape, the inbox selector, the models the fixture fills) and that their figures
are positive and finite.
"""

import re

from bench import bench_dossiers, bench_inbox
from bench.tests.test_bench_smoke import NUMBER, assert_positive_finite, ratio_line


def test_dossier_intake_bench_prints_its_ratio_and_unique_codes(capsys):
    figures = bench_dossiers.main(["--clients", "2", "--requests", "8", "--seconds", "5", "--schema", "models"])

    output = capsys.readouterr().out
    match = re.search(rf"intake/ping={NUMBER}", ratio_line(output))
    assert match, output
    assert_positive_finite(float(match.group(1)), figures["ping_rps"], figures["intake_rps"])
    assert "every code unique" in output, output
    assert figures["codes_unique"] and figures["dossiers"] == figures["created"] > 0


def test_inbox_bench_prints_its_ratios(capsys):
    figures = bench_inbox.main(["--small", "200", "--large", "2000", "--open", "100", "--repeat", "3",
                                "--schema", "models"])

    output = capsys.readouterr().out
    match = re.search(rf"api 2000/200={NUMBER} page 2000/200={NUMBER} query 2000/200={NUMBER}",
                      ratio_line(output))
    assert match, output
    assert_positive_finite(*(float(group) for group in match.groups()))
    assert_positive_finite(figures["small_api_ms"], figures["large_api_ms"], figures["api_queries"])
    assert "QUERY PLAN" in output or "EXPLAIN" in output, output
