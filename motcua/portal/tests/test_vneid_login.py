"""Login with VNeID through the pages: the round trip, the account linked by national ID, refusals."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model

from motcua.core import roles
from motcua.dossiers import services
from motcua.dossiers.tests.conftest import KNOWN_ID, pdf
from motcua.integrations.identity import fake
from motcua.org.models import Person
from motcua.portal.models import Account

pytestmark = pytest.mark.django_db


def round_trip(client, national_id=KNOWN_ID, *, tamper_state=False):
    """The browser: our login, the provider's page, one person chosen, back to our callback."""
    start = client.get("/login/vneid/")
    assert start.status_code == 302
    url = urlsplit(start["Location"])
    assert url.path == "/fake-vneid/authorize"
    assert client.get(f"{url.path}?{url.query}").status_code == 200
    params = {k: v[0] for k, v in parse_qs(url.query).items()}
    back = client.post(url.path, {**params, "person": fake.subject_of(national_id)})
    callback = urlsplit(back["Location"])
    query = callback.query.replace("state=", "state=x") if tamper_state else callback.query
    return client.get(f"{callback.path}?{query}")


def test_a_known_citizen_logs_in_and_lands_on_their_dossiers(client, world, vneid):
    counter = services.submit_dossier(
        world.reception,
        services.Submission(
            procedure="1.004227",
            applicant=services.ApplicantData(kind="person", id_number=KNOWN_ID, name="Nguyễn Văn An"),
            shown=[4],
        ),
        {1: [pdf()], 2: [pdf()]},
    )
    answer = round_trip(client)
    assert answer.status_code == 302 and answer["Location"] == "/me/"
    person = Person.objects.get(national_id=KNOWN_ID)
    user = person.user
    assert user is not None and roles.has_role(user, roles.CITIZEN) and not user.has_usable_password()
    assert KNOWN_ID not in user.username
    account = Account.objects.get(user=user)
    assert account.proof == Account.Proof.VNEID and account.verified and account.vneid_subject
    page = client.get("/me/").content.decode()
    assert counter.code in page  # filed at the counter, found by the national ID, no tracking key typed
    assert KNOWN_ID not in page
    # The second login is the same account.
    client.logout()
    round_trip(client)
    assert get_user_model().objects.filter(person__national_id=KNOWN_ID).count() == 1
    assert Account.objects.count() == 1


def test_someone_unknown_to_the_center_gets_a_person_record(client, world, vneid):
    import datetime as dt

    from motcua.integrations.identity import Identity

    newcomer = Identity(
        subject="", national_id="001190005678", full_name="Trần Thị Bình", birth_date=dt.date(1990, 2, 3)
    )
    fake.use_people(lambda: [newcomer])
    try:
        assert round_trip(client, newcomer.national_id).status_code == 302
    finally:
        from motcua.portal.apps import demo_identities

        fake.use_people(demo_identities)
    person = Person.objects.get(national_id=newcomer.national_id)
    assert person.full_name == "Trần Thị Bình" and person.gender == "female" and person.user is not None


def test_a_forged_state_logs_nobody_in(client, world, vneid):
    answer = round_trip(client, tamper_state=True)
    assert answer.status_code == 400 and "VNeID" in answer.content.decode()
    assert "_auth_user_id" not in client.session and not Account.objects.exists()


def test_the_callback_without_a_pending_login_is_refused(client, world, vneid):
    answer = client.get("/login/vneid/callback/?code=abc&state=def")
    assert answer.status_code == 400 and "_auth_user_id" not in client.session


def test_a_staff_account_is_not_entered_through_vneid(client, world, vneid):
    Person.objects.filter(national_id=KNOWN_ID).update(user=world.reception)
    answer = round_trip(client)
    assert answer.status_code == 403 and "_auth_user_id" not in client.session


def test_without_a_provider_the_login_page_offers_no_vneid(client, world, settings):
    settings.MOTCUA_FAKE_VNEID = False
    settings.MOTCUA_VNEID_ISSUER = ""
    page = client.get("/login/").content.decode()
    assert 'id="login-vneid"' not in page and "số điện thoại" in page
    assert client.get("/login/vneid/").status_code == 503


def test_the_login_page_explains_each_way_in_vietnamese(client, world, vneid):
    page = client.get("/login/").content.decode()
    assert 'id="login-vneid"' in page
    assert "Công dân có tài khoản định danh điện tử VNeID" in page
    assert "Cán bộ, công chức: nhập tên đăng nhập" in page
    assert 'href="/signup/"' in page and 'href="/password-reset/"' in page


def test_the_sites_own_fake_is_reached_in_process(client, world, settings, tmp_path):
    """No socket: a server process serving one request at a time never waits on itself (identity.local)."""
    settings.MOTCUA_FAKE_VNEID = True
    settings.MOTCUA_VNEID_ISSUER = ""
    settings.VAR_DIR = tmp_path
    fake._key = None
    try:
        answer = round_trip(client)
    finally:
        fake._key = None
    assert answer.status_code == 302 and answer["Location"] == "/me/"
    assert Person.objects.get(national_id=KNOWN_ID).user is not None
    assert not list((tmp_path / "fake-vneid" / "codes").iterdir())  # the code was spent
