"""The middleware-cost benchmark runs end to end with tiny parameters and prints its RATIO line (not a timing test).

It sets Django up with its own settings and database, so it runs in a process of its own.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

from bench.tests.test_bench_smoke import NUMBER, assert_positive_finite, ratio_line

ROOT = Path(__file__).resolve().parents[2]


def test_middleware_bench_prints_each_middleware_and_its_ratio(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    env["MOTCUA_VAR_DIR"] = str(tmp_path)
    done = subprocess.run([sys.executable, "-m", "bench.bench_middleware", "--requests", "5", "--request-log"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    output = done.stdout
    line = ratio_line(output)
    for kind in ("ping", "issue", "call-next", "page"):
        match = re.search(rf"\b{kind}:stack/view={NUMBER}", line)
        assert match, line
        assert_positive_finite(float(match.group(1)))
    for name in ("RequestLogMiddleware", "SessionMiddleware", "PageMessageMiddleware", "(view)", "all middleware"):
        row = next((r for r in output.splitlines() if r.startswith(name + " ")), None)
        assert row is not None, output
        assert_positive_finite(*(float(x) for x in row.split()[-4:]))
