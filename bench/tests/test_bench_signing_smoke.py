"""bench_signing runs end to end with a few documents and prints its ratio against stock pyHanko."""

import re
from concurrent.futures import ThreadPoolExecutor

from bench import bench_signing
from bench.tests.test_bench_smoke import NUMBER, assert_positive_finite, ratio_line


def test_signing_bench_prints_the_batch_against_stock_pyhanko(capsys):
    # In a thread of its own: pyHanko's synchronous calls run an event loop, and the browser tests' driver
    # may hold a running one in this thread.
    with ThreadPoolExecutor(1) as pool:
        figures = pool.submit(bench_signing.main, ["--documents", "3"]).result()
    line = ratio_line(capsys.readouterr().out)
    match = re.search(rf"batch/stock={NUMBER}", line)
    assert match, line
    assert_positive_finite(float(match.group(1)), figures["ratio"], figures["stock_ms"], figures["batch_ms"])
