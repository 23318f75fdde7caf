"""bench_signing runs end to end with a few documents and prints its ratio against stock pyHanko."""

import re

from bench import bench_signing
from bench.tests.test_bench_smoke import NUMBER, assert_positive_finite, ratio_line


def test_signing_bench_prints_the_batch_against_stock_pyhanko(capsys):
    figures = bench_signing.main(["--documents", "3"])
    line = ratio_line(capsys.readouterr().out)
    match = re.search(rf"batch/stock={NUMBER}", line)
    assert match, line
    assert_positive_finite(float(match.group(1)), figures["ratio"], figures["stock_ms"], figures["batch_ms"])
