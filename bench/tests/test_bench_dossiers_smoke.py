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
    match = re.search(rf"intake/ping={NUMBER} intake/bare={NUMBER} ping/bare={NUMBER}", ratio_line(output))
    assert match, output
    assert_positive_finite(*(float(match.group(i)) for i in (1, 2, 3)))
    assert_positive_finite(figures["ping_rps"], figures["bare_rps"], figures["intake_rps"])
    assert "every code unique" in output, output
    assert figures["codes_unique"] and figures["dossiers"] == figures["created"] > 0


def test_inbox_bench_prints_a_ratio_for_every_inbox_the_approvals_and_the_register(capsys):
    figures = bench_inbox.main(["--small", "200", "--large", "2000", "--open", "100", "--repeat", "3",
                                "--schema", "models"])

    output = capsys.readouterr().out
    line = ratio_line(output)
    names = [f"{role}_{what}" for role in bench_inbox.ROLES for what in ("api", "page", "query", "page_query")]
    names += ["approvals_page", "approvals_query", "register_api", "register_query"]
    for name in names:
        match = re.search(rf"\b{name} 2000/200={NUMBER}", line)
        assert match, (name, line)
        assert_positive_finite(float(match.group(1)), figures[f"small_{name}_ms"], figures[f"large_{name}_ms"])
        assert figures[f"{name}_queries"] >= 1
    for name in ("reception_query", "agency_officer_query", "agency_leader_query", "branch_leader_query",
                 "approvals_query", "register_query"):
        assert f" of {name} at 2,000 dossiers:" in output, output
