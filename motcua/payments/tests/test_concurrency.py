"""Receipts under concurrent payments and crashes: no gap, no duplicate, nothing paid twice (PostgreSQL).

SQLite runs one writer at a time (the same numbering is tested in test_counter_and_receipts.py).
"""

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections

from motcua.core.errors import DomainError
from motcua.payments.models import Invoice, Payment, Receipt
from motcua.payments.services import handle_gateway_notification, record_counter_payment

from .conftest import order_of, received

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
THREADS = 8


def _in_threads(work, count=THREADS):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run(index):
        try:
            barrier.wait()
            results.append(work(index))
        except DomainError as exc:
            errors.append(exc.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")


def test_concurrent_payments_get_consecutive_receipt_numbers(client, fees, fee_officer):
    invoices = [Invoice.objects.get(dossier__code=received(client, fees)).reference for _n in range(24)]

    def pay(index):
        return [record_counter_payment(fee_officer, ref, method="cash", amount=80_000).number
                for ref in invoices[index::THREADS]]

    results, errors = _in_threads(pay)
    numbers = sorted(n for batch in results for n in batch)
    assert errors == [] and numbers == list(range(1, 25))
    assert sorted(Receipt.objects.values_list("number", flat=True)) == list(range(1, 25))


def test_one_invoice_paid_at_once_by_many_is_paid_once(client, fees, fee_officer):
    reference = Invoice.objects.get(dossier__code=received(client, fees)).reference
    results, errors = _in_threads(lambda _i: record_counter_payment(fee_officer, reference, method="cash",
                                                                     amount=80_000).number)
    assert results == [1] and errors == ["invoice_closed"] * (THREADS - 1)
    assert Payment.objects.filter(status="succeeded").count() == 1 and Receipt.objects.count() == 1


def test_the_same_success_notified_many_times_at_once_is_confirmed_once(client, fees, gateway):
    code = received(client, fees)
    client.force_login(fees.reception)
    order = gateway.check_order(order_of(client.post(f"/api/dossiers/{code}/payments").json()["payment_url"]))
    answer = gateway.answer(order, "success", dt.datetime.now(dt.UTC))
    results, errors = _in_threads(lambda _i: handle_gateway_notification(answer).answer.value)
    assert sorted(results) == ["00"] + ["02"] * (THREADS - 1) and errors == []
    assert Receipt.objects.count() == 1 and Invoice.objects.get(dossier__code=code).status == "paid"


CRASHING_PAYMENT = """
import os, sys, time
import django
django.setup()
from django.contrib.auth.models import User
from django.db import transaction
from motcua.core import codes
from motcua.payments.services import receipts
from motcua.payments.services.counter import record_counter_payment

original = receipts.issue_receipt
def slow_issue(*args, **kwargs):
    receipt = original(*args, **kwargs)
    print("drawn", receipt.number, flush=True)
    time.sleep(60)  # killed here: the number is drawn, nothing is committed
    return receipt
import motcua.payments.services.counter as counter
counter.issue_receipt = slow_issue
record_counter_payment(User.objects.get(username="thuphi"), sys.argv[1], method="cash", amount=80_000)
"""


def test_a_payment_killed_in_the_middle_leaves_no_gap(client, fees, fee_officer, tmp_path):
    invoices = [Invoice.objects.get(dossier__code=received(client, fees)).reference for _n in range(4)]
    database = settings.DATABASES["default"]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "motcua.settings",
           "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"}
    script = tmp_path / "crash.py"
    script.write_text(CRASHING_PAYMENT, encoding="utf-8")
    root = Path(settings.BASE_DIR)
    for _attempt in range(3):  # kill -9 in a loop, each time after the number was drawn
        process = subprocess.Popen([sys.executable, str(script), invoices[0]], cwd=root, env=env,
                                   stdout=subprocess.PIPE, text=True)
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("drawn"), line
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        assert process.returncode == -signal.SIGKILL
    assert not Receipt.objects.exists() and Invoice.objects.get(reference=invoices[0]).status == "open"
    numbers = [record_counter_payment(fee_officer, ref, method="cash", amount=80_000).number for ref in invoices]
    assert numbers == [1, 2, 3, 4]
