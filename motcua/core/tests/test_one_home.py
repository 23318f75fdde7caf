"""Rules written once: a second copy of a rule's tell-tale line anywhere in the package fails here.

Each entry names the rule, the one module allowed to hold it, and a pattern that only an
implementation of that rule would contain. Tests and migrations are not searched.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

PACKAGE = Path(settings.BASE_DIR) / "motcua"

RULES = [
    # who is an administrator (superuser or the system administrator role)
    ("administrator", "core/roles.py", re.compile(r"\.is_superuser\s+or\b")),
    # who is acting: the officer record of a signed-in user
    ("acting officer", "core/roles.py", re.compile(r"getattr\(\w+,\s*[\"']officer[\"']")),
    # Vietnamese mobile numbers
    ("mobile number", "core/phones.py", re.compile(r"0\[35789\]")),
    # the lifecycle's transitions table
    ("lifecycle", "dossiers/states.py", re.compile(r"^TRANSITIONS\b.*=", re.M)),
    # who may act on a dossier's step
    ("dossier step actor", "dossiers/policies.py", re.compile(r"StepRole\.AGENCY_LEADER|Role\.AGENCY_LEADER")),
    # the supplement request's window setting
    ("supplement window", "dossiers/services/deadlines.py", re.compile(r"MOTCUA_SUPPLEMENT_WINDOW_HOURS")),
    # who operates a queue's counters
    ("queue operators", "queueing/policies.py", re.compile(r"OPERATOR_ROLES\s*=")),
]


def _sources():
    for path in PACKAGE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        yield path.relative_to(PACKAGE).as_posix(), path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name,home,pattern", RULES, ids=[rule[0] for rule in RULES])
def test_the_rule_has_one_home(name, home, pattern):
    holders = sorted(path for path, text in _sources() if pattern.search(text))
    assert holders == [home], f"{name}: written in {holders}, its home is {home}"
