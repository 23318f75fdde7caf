"""The board fan-out benchmark runs end to end with tiny sizes and prints its RATIO line (not a timing test)."""

import math
import re
from concurrent.futures import ThreadPoolExecutor

from bench import bench_board_fanout


def test_board_fanout_bench_prints_its_ratio(capsys):
    # The benchmark runs its own event loop: in a thread of its own, since a browser test run before
    # in the same worker leaves Playwright's loop running in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        figures = pool.submit(bench_board_fanout.main,
                              ["--sizes", "2,4", "--rounds", "1", "--schema", "models"]).result()

    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("RATIO ")]
    assert len(lines) == 1
    assert re.search(r"p95@4/p95@2=[0-9.]+ refused@4=0 missed@4=0", lines[0]), lines[0]
    assert math.isfinite(figures["ratio"]) and figures["ratio"] > 0
    assert figures["refused"] == 0 and figures["missed"] == 0
