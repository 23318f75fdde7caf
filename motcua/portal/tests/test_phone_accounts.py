"""Sign-up and password reset by a texted code: hashed, expiring, few tries, limited per phone and client."""

import datetime as dt
import logging

import pytest
from django.utils import timezone

from motcua.core.errors import RateLimited
from motcua.dossiers.tests.conftest import KNOWN_ID
from motcua.integrations.sms import set_sms
from motcua.integrations.sms.fake import OutboxSms
from motcua.org.models import Person
from motcua.portal.models import Account, PhoneCode
from motcua.portal.services import accounts

from .conftest import last_code

pytestmark = pytest.mark.django_db

PHONE = "0987654321"
NEW_ID = "001190005678"  # unknown to the center
PASSWORD = "Mua-xuan-2026!"


def send(purpose=PhoneCode.Purpose.SIGN_UP, phone=PHONE, client="198.51.100.7"):
    return accounts.send_phone_code(purpose, phone, client=client)


def sign_up(challenge, code, **overrides):
    values = {
        "full_name": "Trần Thị Bình",
        "national_id": NEW_ID,
        "birth_date": dt.date(1990, 2, 3),
        "password": PASSWORD,
        "password2": PASSWORD,
    }
    return accounts.sign_up_by_phone(challenge=challenge.public_id, code=code, **{**values, **overrides})


def test_sign_up_creates_a_citizen_linked_to_a_new_person_and_the_phone_logs_in(world, client):
    challenge = send(phone="+84 987 654 321")
    code = last_code()
    assert OutboxSms.outbox[-1].phone == PHONE
    stored = PhoneCode.objects.get()
    assert code not in stored.code_hash and len(stored.code_hash) == 64  # a keyed hash, never the code
    user = sign_up(challenge, code)
    account = Account.objects.get(user=user)
    assert account.phone == PHONE and account.proof == Account.Proof.PHONE and not account.verified
    assert Person.objects.get(national_id=NEW_ID).user == user
    # The login page takes the phone number in place of a user name.
    answer = client.post("/login/", {"username": "0987 654 321", "password": PASSWORD})
    assert answer.status_code == 302 and answer["Location"] == "/me/"


def test_a_person_on_record_is_linked_only_with_the_phone_the_center_has(world):
    challenge = send(phone="0912345678")  # the number on Nguyễn Văn An's record
    user = sign_up(
        challenge,
        last_code(),
        national_id=KNOWN_ID,
        full_name="Nguyễn Văn An",
        birth_date=dt.date(1990, 5, 1),
    )
    assert Account.objects.get(user=user).proof == Account.Proof.PHONE_ON_RECORD
    assert Person.objects.get(national_id=KNOWN_ID).user == user


def test_someone_elses_national_id_with_another_phone_is_refused(world):
    challenge = send()
    with pytest.raises(accounts.PersonClaimed):
        sign_up(
            challenge,
            last_code(),
            national_id=KNOWN_ID,
            full_name="Nguyễn Văn An",
            birth_date=dt.date(1990, 5, 1),
        )
    assert Person.objects.get(national_id=KNOWN_ID).user is None and not Account.objects.exists()


def test_a_wrong_code_counts_down_then_locks_the_code(world, settings):
    settings.MOTCUA_PHONE_CODE_ATTEMPTS = 3
    challenge = send()
    code = last_code()
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(accounts.CodeInvalid) as first:
        sign_up(challenge, wrong)
    assert first.value.details["attempts_left"] == 2
    with pytest.raises(accounts.CodeInvalid):
        sign_up(challenge, wrong)
    with pytest.raises(accounts.CodeAttemptsExceeded):
        sign_up(challenge, wrong)
    with pytest.raises(accounts.CodeAttemptsExceeded):  # the right code no longer helps
        sign_up(challenge, code)
    assert not Account.objects.exists()


def test_a_code_expires_and_serves_once(world, settings):
    challenge = send()
    code = last_code()
    later = timezone.now() + dt.timedelta(minutes=settings.MOTCUA_PHONE_CODE_MINUTES, seconds=1)
    with pytest.raises(accounts.CodeExpired):
        accounts.use_phone_code(challenge.public_id, code, PhoneCode.Purpose.SIGN_UP, now=later)
    accounts.use_phone_code(challenge.public_id, code, PhoneCode.Purpose.SIGN_UP)
    with pytest.raises(accounts.CodeExpired):
        accounts.use_phone_code(challenge.public_id, code, PhoneCode.Purpose.SIGN_UP)


def test_a_new_code_replaces_the_earlier_one(world):
    first = send()
    first_code = last_code()
    send()
    with pytest.raises(accounts.CodeExpired):
        accounts.use_phone_code(first.public_id, first_code, PhoneCode.Purpose.SIGN_UP)


def test_codes_are_limited_per_phone_and_per_client(world, settings):
    settings.MOTCUA_SMS_PER_PHONE_PER_HOUR = 2
    send()
    send()
    with pytest.raises(RateLimited):
        send()
    assert len(OutboxSms.outbox) == 2
    settings.MOTCUA_PHONE_CODE_CLIENT_RATE = "1/h"
    send(phone="0977000001", client="203.0.113.9")
    with pytest.raises(RateLimited):
        send(phone="0977000002", client="203.0.113.9")


def test_a_weak_password_keeps_the_code_for_another_try(world):
    challenge = send()
    code = last_code()
    with pytest.raises(accounts.ValidationFailed):
        sign_up(challenge, code, password="123", password2="123")
    with pytest.raises(accounts.ValidationFailed):
        sign_up(challenge, code, password2="khac")
    assert sign_up(challenge, code).pk


def test_a_landline_or_a_taken_phone_is_refused(world):
    with pytest.raises(accounts.ValidationFailed):
        send(phone="02438221234")
    sign_up(send(), last_code())
    with pytest.raises(accounts.PhoneTaken):
        send()


def test_gateway_down_sends_nothing_and_keeps_no_live_code(world):
    set_sms(OutboxSms(failing=True))
    try:
        with pytest.raises(accounts.CodeNotSent):
            send()
    finally:
        set_sms(None)
    assert PhoneCode.objects.get().used_at is not None


def test_password_reset_by_code_and_the_old_password_stops_working(world):
    user = sign_up(send(), last_code())
    OutboxSms.clear()
    challenge = send(PhoneCode.Purpose.RESET)
    accounts.reset_password_by_phone(
        challenge=challenge.public_id,
        code=last_code(),
        password="Mot-mat-khau-moi-9",
        password2="Mot-mat-khau-moi-9",
    )
    user.refresh_from_db()
    assert user.check_password("Mot-mat-khau-moi-9") and not user.check_password(PASSWORD)


def test_a_reset_for_a_number_without_account_texts_nothing_and_says_the_same(world, client):
    answer = client.post("/password-reset/", {"phone": "0966111222"})
    assert answer.status_code == 302 and not OutboxSms.outbox
    assert "Nếu số" in client.get("/password-reset/verify/").content.decode()


def test_no_phone_or_national_id_in_the_logs(world, caplog):
    caplog.set_level(logging.DEBUG)
    sign_up(send(), last_code())
    assert PHONE not in caplog.text and NEW_ID not in caplog.text


def test_the_sign_up_pages_end_logged_in(world, client):
    assert client.post("/signup/", {"phone": PHONE})["Location"] == "/signup/verify/"
    page = client.get("/signup/verify/").content.decode()
    assert PHONE not in page and "321" in page  # the number masked
    answer = client.post(
        "/signup/verify/",
        {
            "code": last_code(),
            "full_name": "Trần Thị Bình",
            "national_id": NEW_ID,
            "birth_date": "03/02/1990",
            "password": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert answer.status_code == 302 and answer["Location"] == "/me/"
    assert client.get("/me/").status_code == 200


def test_a_wrong_code_on_the_page_says_how_many_tries_are_left(world, client):
    client.post("/signup/", {"phone": PHONE})
    wrong = "000000" if last_code() != "000000" else "111111"
    answer = client.post(
        "/signup/verify/",
        {
            "code": wrong,
            "full_name": "B",
            "national_id": NEW_ID,
            "birth_date": "03/02/1990",
            "password": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert answer.status_code == 422 and "còn 4 lần thử" in answer.content.decode()


def test_the_demo_shows_the_texted_code_on_the_page_and_production_never(world, client, settings):
    settings.DEMO = True
    client.post("/signup/", {"phone": PHONE})
    assert (
        'id="demo-code"' in (page := client.get("/signup/verify/").content.decode()) and last_code() in page
    )
    settings.DEMO = False
    settings.DEBUG = False
    assert 'id="demo-code"' not in client.get("/signup/verify/").content.decode()
