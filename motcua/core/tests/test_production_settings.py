"""Production settings are read at import time, so they are checked in a fresh interpreter."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def run(code_or_args: list[str], tmp_path, **extra: str) -> subprocess.CompletedProcess:
    # DJANGO_ALLOW_ASYNC_UNSAFE is set for browser tests; MOTCUA_DB_POOL would be refused with SQLite.
    inherited = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "MOTCUA_DB_POOL"}}
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


# --- the database connection pool (MOTCUA_DB_POOL) ---------------------------------------------------

POOL_CODE = "import json, motcua.settings as s; print(json.dumps([s.DATABASES['default'].get('OPTIONS', {}), s.DATABASES['default']['CONN_MAX_AGE']]))"


def test_db_pool_sizes_are_parsed_and_checked():
    from django.core.exceptions import ImproperlyConfigured

    from motcua.settings import db_pool_options

    assert db_pool_options("") is None and db_pool_options("  ") is None
    assert db_pool_options("2,8") == {"min_size": 2, "max_size": 8}
    assert db_pool_options(" 0 , 4 ") == {"min_size": 0, "max_size": 4}
    assert db_pool_options("6") == {"min_size": 1, "max_size": 6}
    for bad in ("8,2", "0", "0,0", "a,b", "1,2,3", "-1,4", "4,"):
        with pytest.raises(ImproperlyConfigured):
            db_pool_options(bad)


def test_the_pool_is_off_by_default_and_on_postgresql_when_asked(tmp_path):
    url = "postgres://motcua@db.example.org:5432/motcua"
    result = run(["-c", POOL_CODE], tmp_path, DATABASE_URL=url, MOTCUA_DB_POOL="")
    assert result.returncode == 0, result.stderr
    assert "pool" not in json.loads(result.stdout)[0]
    result = run(["-c", POOL_CODE], tmp_path, DATABASE_URL=url, MOTCUA_DB_POOL="2,8", DATABASE_CONN_MAX_AGE="0")
    assert result.returncode == 0, result.stderr
    options, max_age = json.loads(result.stdout)
    assert options["pool"] == {"min_size": 2, "max_size": 8, "timeout": 10} and max_age == 0


def test_the_pool_is_refused_on_sqlite_and_with_persistent_connections(tmp_path):
    result = run(["-c", POOL_CODE], tmp_path, MOTCUA_DB_POOL="2,8")
    assert result.returncode != 0 and "needs PostgreSQL" in result.stderr
    result = run(["-c", POOL_CODE], tmp_path, DATABASE_URL="postgres://motcua@db.example.org/motcua",
                 MOTCUA_DB_POOL="2,8", DATABASE_CONN_MAX_AGE="60")
    assert result.returncode != 0 and "DATABASE_CONN_MAX_AGE=0" in result.stderr


@pytest.mark.postgres
def test_a_pooled_connection_answers_on_postgresql(tmp_path):

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("needs DATABASE_URL=postgres://…")
    code = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE']='motcua.settings'; django.setup();"
            "from django.db import connection;"
            "c = connection.cursor(); c.execute('SELECT 1'); print(c.fetchone()[0], connection.pool.max_size)")
    result = run(["-c", code], tmp_path, MOTCUA_ENV="development", DATABASE_URL=url, MOTCUA_DB_POOL="1,3",
                 DATABASE_CONN_MAX_AGE="0")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1", "3"]
