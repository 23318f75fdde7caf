"""The mixed-workload benchmark runs end to end with tiny parameters and prints its RATIO line (not a timing test)."""

import math
import re
from concurrent.futures import ThreadPoolExecutor

from bench import bench_mixed
from bench.tests.test_bench_smoke import NUMBER, assert_positive_finite, ratio_line


def test_mixed_bench_prints_every_kind_and_its_ratio(capsys):
    # Its board streams run on an event loop of their own thread; the benchmark itself in a thread too,
    # since a browser test run before in the same worker leaves Playwright's loop running in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        figures = pool.submit(bench_mixed.main, ["--clients", "2", "--requests", "40", "--seconds", "10",
                                                 "--streams", "3", "--dossiers", "20", "--counters", "2",
                                                 "--workers", "1", "--schema", "models"]).result()

    output = capsys.readouterr().out
    match = re.search(rf"mix/ping={NUMBER} p99-mix/p99-ping={NUMBER}", ratio_line(output))
    assert match, output
    assert_positive_finite(float(match.group(1)), float(match.group(2)))
    for kind in bench_mixed.KINDS:
        assert re.search(rf"^  {re.escape(kind)} +[0-9.]+ req/s", output, re.MULTILINE), (kind, output)
        assert figures[f"{kind}_rps"] > 0, (kind, output)
        assert math.isfinite(figures[f"{kind}_p99_ms"])
    assert figures["streams_connected"] == 3 and figures["streams_refused"] == 0, output
    assert "other statuses" not in output and "connection failures" not in output, output
