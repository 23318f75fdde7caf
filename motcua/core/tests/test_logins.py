"""Logins: the account is locked after repeated failures, on the page and the API alike."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import override_settings

pytestmark = pytest.mark.django_db

PASSWORD = "s3cret-pass"


@pytest.fixture
def officer():
    return User.objects.create_user("officer1", password=PASSWORD)


def token_login(client, password, username="officer1", **extra):
    return client.post("/api/auth/token", {"username": username, "password": password},
                       content_type="application/json", **extra)


def page_login(client, password, username="officer1", **extra):
    return client.post("/login/", {"username": username, "password": password}, **extra)


def test_the_right_password_is_refused_after_five_failures_on_the_api(client, officer):
    # the fifth failure locks the account and says so
    assert [token_login(client, "wrong").status_code for _ in range(5)] == [401] * 4 + [429]
    response = token_login(client, PASSWORD)
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "account_locked"
    assert "tạm khóa" in body["message"]
    assert body["details"] == {"retry_after_minutes": 15}
    assert response["Retry-After"] == "900"


def test_the_lock_follows_the_username_whatever_the_client(client, officer):
    for i in range(5):
        token_login(client, "wrong", REMOTE_ADDR=f"198.51.100.{i}")
    assert token_login(client, PASSWORD, REMOTE_ADDR="192.0.2.7").status_code == 429


def test_the_login_page_locks_the_account_too(client, officer):
    statuses = [page_login(client, "wrong").status_code for _ in range(5)]
    assert statuses == [200] * 4 + [429]  # the form again with its error, then the lock
    response = page_login(client, PASSWORD)
    assert response.status_code == 429
    assert "Tài khoản tạm khóa" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failures_on_the_page_and_the_api_add_up(client, officer):
    for _ in range(3):
        page_login(client, "wrong")
    for _ in range(2):
        token_login(client, "wrong")
    assert page_login(client, PASSWORD).status_code == 429


def test_a_success_before_the_limit_forgets_the_failures(client, officer):
    for _ in range(4):
        token_login(client, "wrong")
    assert token_login(client, PASSWORD).status_code == 201
    for _ in range(4):
        token_login(client, "wrong")
    assert token_login(client, PASSWORD).status_code == 201


def test_an_administrator_sees_the_lock_and_lifts_it(client, officer):
    for _ in range(5):
        token_login(client, "wrong")
    admin = User.objects.create_superuser("root", password="root-pass-123")
    client.force_login(admin)
    listing = client.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert "officer1" in listing.content.decode()
    attempt = AccessAttempt.objects.get(username="officer1")
    assert attempt.failures_since_start == 5
    client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    client.logout()
    assert token_login(client, PASSWORD).status_code == 201


def test_the_lockout_admin_speaks_vietnamese_and_english(client, officer):
    token_login(client, "wrong")
    client.force_login(User.objects.create_superuser("root", password="root-pass-123"))
    vietnamese = client.get("/admin/axes/accessattempt/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Khóa đăng nhập" in vietnamese and "Tên đăng nhập" in vietnamese and "Số lần đăng nhập sai" in vietnamese
    client.cookies["django_language"] = "en"
    english = client.get("/admin/axes/accessattempt/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Login lockout" in english and "Failed Logins" in english and "Tên đăng nhập" not in english


def test_the_lock_is_lifted_by_command(client, officer):
    for _ in range(5):
        token_login(client, "wrong")
    call_command("axes_reset_username", "officer1")
    assert token_login(client, PASSWORD).status_code == 201


@override_settings(MOTCUA_LOGIN_RATE="3/m")
def test_the_login_page_is_limited_per_client(client, officer):
    statuses = [page_login(client, "wrong", username=f"user{i}").status_code for i in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert "Quá nhiều yêu cầu" in page_login(client, PASSWORD).content.decode()


@override_settings(MOTCUA_LOGIN_USERNAME_RATE="2/m")
def test_attempts_are_limited_per_username_whatever_the_client(client, officer):
    statuses = [token_login(client, PASSWORD, REMOTE_ADDR=f"198.51.100.{i}").status_code for i in range(3)]
    assert statuses == [201, 201, 429]
    assert token_login(client, PASSWORD, REMOTE_ADDR="198.51.100.9").json()["code"] == "rate_limited"


def test_the_lock_is_logged_without_the_username(client, officer, caplog):
    for _ in range(5):
        token_login(client, "wrong")
    locked = [r for r in caplog.records if "Locking out" in r.getMessage()]
    assert locked
    assert all("officer1" not in r.getMessage() for r in caplog.records)


def test_a_login_without_a_usable_client_address_is_recorded(client, officer):
    """A request with no IP address (test clients, some proxies) must not break the IP column of the records."""
    assert token_login(client, "wrong", REMOTE_ADDR="").status_code == 401
    assert AccessAttempt.objects.get(username="officer1").ip_address is None
    client.force_login(officer)  # the login signal writes an access log row too
