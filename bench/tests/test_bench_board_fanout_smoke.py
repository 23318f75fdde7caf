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


def test_boards_of_several_halls_on_two_workers_miss_no_call(capsys):
    """Two server processes on SQLite: a board's stream on one worker gets the calls made through the
    other (each process reads the others' events from the table), on every hall's board."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        figures = pool.submit(bench_board_fanout.main,
                              ["--sizes", "6", "--rounds", "2", "--workers", "2", "--boards", "3",
                               "--schema", "models"]).result()
    out = capsys.readouterr().out
    assert "3 board(s)" in out
    assert figures["refused"] == 0 and figures["missed"] == 0
