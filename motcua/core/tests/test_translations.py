"""Vietnamese is the source language; the English catalogues must be complete and up to date."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

PACKAGE = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(PACKAGE.glob("**/locale/en/LC_MESSAGES/django.po"))
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\{ *\w+ *\}\}|%[sd]")


def test_every_app_with_text_has_an_english_catalogue():
    apps = {p.parent.name for p in PACKAGE.glob("*/apps.py")}
    with_catalogue = {p.relative_to(PACKAGE).parts[0] for p in CATALOGUES}
    assert apps <= with_catalogue
    assert PACKAGE / "locale/en/LC_MESSAGES/django.po" in CATALOGUES


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_english_catalogue_is_complete(path):
    catalogue = polib.pofile(str(path))
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []
    for entry in catalogue.translated_entries():
        sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
        targets = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for target in targets:
            assert sorted(PLACEHOLDER.findall(target)) == sorted(PLACEHOLDER.findall(sources[-1])), entry.msgid
    mo = path.with_suffix(".mo")
    assert mo.exists() and mo.stat().st_mtime >= path.stat().st_mtime - 1, f"{mo} is stale: run make messages"


def test_catalogues_hold_every_string_of_the_code(tmp_path):
    """Re-extract into a copy of the package and compare the message ids with the committed ones."""
    copy = tmp_path / "motcua"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    app_dirs = sorted(p.parent for p in copy.glob("*/apps.py"))
    extract = [sys.executable, "-P", "-m", "django", "makemessages", "-l", "en", "--no-location", "--no-wrap",
               "-v0"]
    for app in app_dirs:
        # Without a locale folder of its own, makemessages would write into settings.LOCALE_PATHS, the real tree.
        (app / "locale").mkdir(exist_ok=True)
        subprocess.run([*extract, "--ignore", "tests/*", "--ignore", "migrations/*"], cwd=app, check=True)
    ignores = [arg for app in app_dirs for arg in ("--ignore", f"{app.name}/*")]
    subprocess.run([*extract, *ignores, "--ignore", "conftest.py"], cwd=copy, check=True)
    for committed in CATALOGUES:
        fresh = copy / committed.relative_to(PACKAGE)
        ids = {e.msgid for e in polib.pofile(str(fresh)) if not e.obsolete}
        kept = {e.msgid for e in polib.pofile(str(committed)) if not e.obsolete}
        assert ids - kept == set(), f"{committed}: new strings not in the catalogue (run make messages)"
