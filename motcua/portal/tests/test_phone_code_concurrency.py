"""Parallel guesses and parallel use of one texted code (run on PostgreSQL too: DATABASE_URL=postgres://…)."""

import datetime as dt

import pytest

from motcua.portal.models import Account, PhoneCode
from motcua.portal.services import accounts
from motcua.queueing.tests.test_concurrency import run_in_threads

from .conftest import last_code

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "Mua-xuan-2026!"


def test_parallel_wrong_codes_are_all_counted_and_only_the_allowed_ones_checked(world, settings):
    settings.MOTCUA_PHONE_CODE_ATTEMPTS = 5
    challenge = accounts.send_phone_code(PhoneCode.Purpose.SIGN_UP, "0987654321", client="198.51.100.1")
    wrong = "000000" if last_code() != "000000" else "111111"
    outcomes = []

    def work(i):
        try:
            accounts.use_phone_code(challenge.public_id, wrong, PhoneCode.Purpose.SIGN_UP)
        except accounts.DomainError as exc:
            outcomes.append(exc.code)

    run_in_threads(12, work)
    assert PhoneCode.objects.get(pk=challenge.pk).attempts == 12
    assert sorted(outcomes) == sorted(["code_invalid"] * 4 + ["code_attempts_exceeded"] * 8)


def test_one_code_used_in_parallel_makes_one_account(world):
    challenge = accounts.send_phone_code(PhoneCode.Purpose.SIGN_UP, "0987654321", client="198.51.100.2")
    code = last_code()
    made, refused = [], []

    def work(i):
        try:
            made.append(
                accounts.sign_up_by_phone(
                    challenge=challenge.public_id,
                    code=code,
                    full_name="Trần Thị Bình",
                    national_id="001190005678",
                    birth_date=dt.date(1990, 2, 3),
                    password=PASSWORD,
                    password2=PASSWORD,
                ).pk
            )
        except accounts.DomainError as exc:
            refused.append(exc.code)

    run_in_threads(6, work)
    assert len(made) == 1 and Account.objects.count() == 1
    assert set(refused) <= {"code_expired", "code_attempts_exceeded", "phone_taken"} and len(refused) == 5
