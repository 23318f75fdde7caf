"""The attack probe runs end to end (in its own process and throwaway database) and reports each attack."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_probe_reports_every_attack_refused(tmp_path):
    done = subprocess.run([sys.executable, "bench/probe_attacks.py", "--keep", str(tmp_path / "var")], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    rows = {line.split("  before:")[0].strip(): line.split("now: ")[1]
            for line in done.stdout.splitlines() if "  before:" in line}
    assert len(rows) == 16, done.stdout
    assert rows["229 anonymous queue numbers over the API"] == "401×229"
    assert rows["the right password after them, from elsewhere"] == "429 account_locked"
    assert rows["3 MB JSON body"] == "413 request_too_large"
    assert rows["an audit entry edited in the database"].startswith("exit 1")
    assert "places taken 0" in rows["120 bookings from one client"]
