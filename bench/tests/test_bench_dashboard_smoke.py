"""bench_dashboard runs end to end with tiny parameters and prints a ratio for each page it times."""

import re

from bench import bench_dashboard
from bench.tests.test_bench_smoke import NUMBER, assert_positive_finite, ratio_line


def test_dashboard_bench_prints_a_ratio_for_the_dashboards_the_index_and_transparency(capsys):
    figures = bench_dashboard.main(["--small", "200", "--large", "2000", "--open", "100", "--repeat", "3",
                                    "--schema", "models"])
    line = ratio_line(capsys.readouterr().out)
    for name in ("dashboard_city", "dashboard_branch", "service_index_api", "transparency_page"):
        match = re.search(rf"{name} 2000/200={NUMBER}", line)
        assert match, line
        assert_positive_finite(float(match.group(1)), figures[f"{name}_ratio"])
