"""`make demo` serves like a deployment: uvicorn with several workers, the demo profile, its own apt packages."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def dry_run(target: str) -> str:
    result = subprocess.run(["make", "-n", "-o", ".venv/.installed", "-o", "node_modules/.package-lock.json",
                             target, "PORT=8123"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_demo_runs_uvicorn_with_workers_not_the_development_server():
    commands = dry_run("demo")
    assert "runserver" not in commands
    assert "uvicorn motcua.asgi:application --host 127.0.0.1 --port 8123 --workers 2" in commands
    assert "manage.py scheduler &" in commands and "trap 'kill 0'" in commands


def test_demo_installs_the_debian_packages_its_features_use():
    demo_apt = next(line for line in dry_run("demo").splitlines() if "dpkg -s" in line)
    assert "espeak-ng" in demo_apt and "fonts-dejavu-core" in demo_apt
    assert "chromium" not in demo_apt, "test-only packages stay in system-deps"
    test_apt = next(line for line in dry_run("system-deps").splitlines() if "dpkg -s" in line)
    assert all(p in test_apt for p in ("espeak-ng", "chromium", "poppler-utils", "gettext"))


def test_demo_target_selects_the_demo_profile():
    makefile = (ROOT / "Makefile").read_text()
    assert "demo: export MOTCUA_ENV = demo" in makefile


def test_demo_profile_has_debug_off_local_hosts_no_https_and_allows_demo_accounts(tmp_path):
    code = (
        "import django, os; django.setup();"
        "from django.conf import settings; from django.core.management import call_command;"
        "assert settings.DEMO and not settings.DEBUG and not settings.PRODUCTION;"
        "assert not getattr(settings, 'SECURE_SSL_REDIRECT', False);"
        "assert '127.0.0.1' in settings.ALLOWED_HOSTS and settings.WHITENOISE_USE_FINDERS;"
        "call_command('migrate', verbosity=0);"
        "from django.contrib.auth.models import User; from motcua.core.models import DemoAccount;"
        "DemoAccount.objects.create(user=User.objects.create_user('reception', password='demo'), role='x');"
        "import motcua.asgi; print('started')"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_DEBUG"}}
    env.update({"MOTCUA_ENV": "demo", "DJANGO_SETTINGS_MODULE": "motcua.settings", "MOTCUA_VAR_DIR": str(tmp_path),
                "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"})
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout
