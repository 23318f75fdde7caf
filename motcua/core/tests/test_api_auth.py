from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from motcua.core import roles
from motcua.core.models import ApiToken

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    roles.sync_roles()
    user = User.objects.create_user("officer1", password="s3cret-pass", first_name="Lan", last_name="Nguyễn")
    user.groups.add(roles.sync_roles()[roles.RECEPTION_OFFICER])
    return user


def issue(client, username="officer1", password="s3cret-pass"):
    return client.post("/api/auth/token", {"username": username, "password": password},
                       content_type="application/json")


def test_token_is_issued_with_expiry_and_only_its_hash_is_stored(client, officer):
    response = issue(client)
    assert response.status_code == 201
    body = response.json()
    assert body["token"].startswith("mc_") and body["token_type"] == "Bearer"
    stored = ApiToken.objects.get(user=officer)
    assert stored.key_hash == ApiToken.hash_key(body["token"])
    assert body["token"] not in (stored.key_hash, stored.prefix)
    assert timedelta(hours=11) < stored.expires_at - timezone.now() <= timedelta(hours=12)


def test_bearer_token_authenticates_and_names_roles(client, officer):
    token = issue(client).json()["token"]
    response = client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json() == {"username": "officer1", "full_name": "Lan Nguyễn", "roles": ["reception_officer"]}


def test_wrong_password_is_a_401_with_code_and_vietnamese_message(client, officer):
    response = issue(client, password="wrong")
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"
    assert "mật khẩu" in response.json()["message"]
    assert not ApiToken.objects.exists()


def test_missing_fields_are_a_422_naming_the_field(client):
    response = client.post("/api/auth/token", {"username": "x"}, content_type="application/json")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_failed"
    assert [d["field"] for d in body["details"]] == ["password"]


def test_malformed_json_is_a_clear_4xx(client):
    response = client.post("/api/auth/token", "{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert "code" in response.json()


def test_revoked_token_no_longer_works(client, officer):
    token = issue(client).json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    assert client.delete("/api/auth/token", headers=auth).status_code == 204
    response = client.get("/api/auth/me", headers=auth)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_expired_token_is_refused(client, officer):
    token = issue(client).json()["token"]
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_token_of_a_deactivated_user_is_refused(client, officer):
    token = issue(client).json()["token"]
    User.objects.filter(pk=officer.pk).update(is_active=False)
    assert client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_unknown_token_and_no_token_are_401(client):
    assert client.get("/api/auth/me", headers={"Authorization": "Bearer mc_nope"}).status_code == 401
    assert client.get("/api/auth/me").status_code == 401


def test_session_login_also_works_for_the_api(client, officer):
    client.force_login(officer)
    assert client.get("/api/auth/me").json()["username"] == "officer1"


def test_token_logins_are_limited_per_client(client, officer):
    """Many usernames from one client: the per-client rate (20/m) refuses the rest."""
    statuses = [issue(client, username=f"user{i}", password="wrong").status_code for i in range(25)]
    assert statuses.count(401) == 20
    assert statuses[-1] == 429


def test_a_rotated_forwarded_for_header_does_not_reset_the_limit(client, officer):
    """100 logins, each claiming another address in X-Forwarded-For, from one socket peer."""
    statuses = [client.post("/api/auth/token", {"username": f"user{i}", "password": "wrong"},
                            content_type="application/json", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code
                for i in range(100)]
    assert statuses.count(429) == 80


def test_roles_are_groups_with_their_permissions():
    groups = roles.sync_roles()
    assert set(groups) == set(roles.ROLE_PERMISSIONS)
    director = set(groups[roles.CENTER_DIRECTOR].permissions.values_list("codename", flat=True))
    assert {"change_procedure", "view_branch"} <= director
    assert not groups[roles.CITIZEN].permissions.exists()
    reception = set(groups[roles.RECEPTION_OFFICER].permissions.values_list("codename", flat=True))
    assert "change_procedure" not in reception
    # running it again changes nothing
    assert roles.sync_roles()[roles.RECEPTION_OFFICER].permissions.count() == len(reception)
