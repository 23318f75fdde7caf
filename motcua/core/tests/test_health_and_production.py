import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from motcua.core.checks import assert_production_safe
from motcua.core.models import DemoAccount

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_migrations(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "migrations": "ok"}}


def test_healthz_is_503_when_a_migration_is_pending(client, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("fake", False)])
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "1 pending"


def test_every_response_has_a_request_id(client):
    assert len(client.get("/healthz").headers["X-Request-ID"]) == 16
    assert client.get("/healthz", headers={"X-Request-ID": "abc"}).headers["X-Request-ID"] == "abc"


def test_production_refuses_to_start_while_a_demo_account_exists(settings):
    settings.PRODUCTION = True
    settings.MOTCUA_AUDIT_KEY = "k" * 40
    assert_production_safe()  # none yet
    DemoAccount.objects.create(user=User.objects.create_user("reception", password="demo"), role="x")
    with pytest.raises(RuntimeError, match="reception"):
        assert_production_safe()


def test_demo_accounts_are_tolerated_outside_production(settings):
    settings.PRODUCTION = False
    DemoAccount.objects.create(user=User.objects.create_user("reception", password="demo"), role="x")
    assert_production_safe()


def test_deploy_check_reports_demo_accounts(settings, capsys):
    from django.core.management.base import SystemCheckError

    settings.PRODUCTION = True
    DemoAccount.objects.create(user=User.objects.create_user("admin", password="demo"), role="x")
    with pytest.raises(SystemCheckError, match="motcua.E001"):
        call_command("check", "--deploy", "--tag", "security", "--fail-level", "ERROR")


def test_unknown_pages_get_a_vietnamese_404_page(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.text and '<html lang="vi">' in response.text


def test_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response.url.endswith("favicon.svg")
