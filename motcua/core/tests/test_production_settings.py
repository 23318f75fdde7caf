"""Production settings are read at import time, so they are checked in a fresh interpreter."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def run(code_or_args: list[str], tmp_path, **extra: str) -> subprocess.CompletedProcess:
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}  # set for browser tests
    env = {
        **inherited,
        "MOTCUA_ENV": "production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "MOTCUA_AUDIT_KEY": secrets.token_urlsafe(32),
        "DJANGO_ALLOWED_HOSTS": "motcua.example.org",
        "MOTCUA_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **extra,
    }
    return subprocess.run([sys.executable, *code_or_args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_requires_an_audit_key_in_production(tmp_path):
    result = run(["manage.py", "check", "--deploy"], tmp_path, MOTCUA_AUDIT_KEY="")
    assert result.returncode != 0 and "motcua.E002" in result.stderr


def test_production_refuses_a_short_secret_key(tmp_path):
    result = run(["-c", "import os; os.environ['DJANGO_SECRET_KEY']='short'; import motcua.settings"], tmp_path)
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr


def test_production_logs_one_json_line_per_request(tmp_path):
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='motcua.settings'; django.setup();"
        "from django.test import Client;"
        "Client(HTTP_HOST='motcua.example.org').get('/healthz', secure=True)"
    )
    result = run(["-c", code], tmp_path, DJANGO_SECURE_SSL_REDIRECT="0")
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    requests = [line for line in lines if line["logger"] == "motcua.request"]
    assert len(requests) == 1
    assert requests[0]["path"] == "/healthz" and requests[0]["method"] == "GET"
    assert requests[0]["status"] in (200, 503) and "duration_ms" in requests[0]
