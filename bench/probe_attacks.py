"""The attacks of the hardening review, re-run against a throwaway demo database: what gets through now.

    .venv/bin/python bench/probe_attacks.py            # a fresh database under a temporary folder
    .venv/bin/python bench/probe_attacks.py --keep DIR # reuse (or create) DIR as MOTCUA_VAR_DIR

Each line names an attack, what it got before the hardening (from the review) and what it gets now,
sent through Django's test client from one client address (the socket peer 203.0.113.7, with a
different `X-Forwarded-For` on every request where that is the trick). It is not a benchmark: no
timing is asserted; the figures are counts of answers.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEER = "203.0.113.7"


def setup(var_dir: str) -> None:
    os.environ["MOTCUA_VAR_DIR"] = var_dir
    os.environ.pop("DATABASE_URL", None)  # always a throwaway SQLite database, never a configured one
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from motcua.core.models import RateCounter

    call_command("migrate", verbosity=0)
    from django.contrib.auth.models import User

    if not User.objects.filter(username="reception").exists():
        call_command("demo", verbosity=0)
    RateCounter.objects.all().delete()  # every probe starts with fresh limits and no locked account
    call_command("axes_reset", verbosity=0)


def tally(responses) -> str:
    counts = collections.Counter(r.status_code for r in responses)
    return ", ".join(f"{status}×{n}" for status, n in sorted(counts.items()))


def client():
    from django.test import Client

    return Client(REMOTE_ADDR=PEER)


def probe_logins() -> list[tuple[str, str, str]]:
    from motcua.core.models import RateCounter

    browser = client()
    tokens = [browser.post("/api/auth/token", {"username": "reception", "password": f"wrong{n}"},
                           content_type="application/json", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
              for n in range(100)]
    # The right password a minute later (the windows of the rate limits have passed), from another
    # address: the account is locked.
    RateCounter.objects.all().delete()
    right = client().post("/api/auth/token", {"username": "reception", "password": "demo"},
                          content_type="application/json", REMOTE_ADDR="203.0.113.99")
    pages = [client().post("/login/", {"username": "leader", "password": f"wrong{n}"},
                           HTTP_X_FORWARDED_FOR=f"192.0.2.{n}") for n in range(100)]
    return [
        ("100 token logins, rotated X-Forwarded-For", "0 refused", f"{tally(tokens)}"),
        ("the right password after them, from elsewhere", "accepted", f"{right.status_code} {right.json().get('code')}"),
        ("100 /login/ attempts, rotated X-Forwarded-For", "no limit", tally(pages)),
    ]


def probe_tracking() -> list[tuple[str, str, str]]:
    guesses = [client().get("/api/tracking/HN-2026-000001", {"key": f"{n:04d}"},
                            HTTP_X_FORWARDED_FOR=f"10.0.{n // 250}.{n % 250}") for n in range(356)]
    let_through = sum(1 for r in guesses if r.status_code != 429)
    return [("356 tracking guesses on one dossier code", "check fell in 356 (4 digits)",
             f"{let_through} checked, {356 - let_through} refused (429); the key has 32^10 values")]


def probe_tickets() -> list[tuple[str, str, str]]:
    from motcua.org.models import ServicePoint

    point = ServicePoint.objects.filter(is_active=True).order_by("pk").first()
    anonymous = client()
    answers = [anonymous.post(f"/api/service-points/{point.pk}/tickets", {"group": "A", "phone": f"09{n:08d}"},
                              content_type="application/json") for n in range(229)]
    kiosk_page = anonymous.get(f"/queue/kiosk/{point.pk}/")
    return [("229 anonymous queue numbers over the API", "229 issued", tally(answers)),
            ("the kiosk page in an ordinary browser", "200, issues numbers", f"{kiosk_page.status_code}")]


def probe_bookings() -> list[tuple[str, str, str]]:
    import datetime as dt

    from bench.bench_queue_api import national_id
    from motcua.integrations.sms.fake import OutboxSms
    from motcua.org.models import ServicePoint
    from motcua.queueing import selectors
    from motcua.queueing.models import Booking, BookingSlot
    from motcua.queueing.services.booking import bookable_days

    point = ServicePoint.objects.filter(is_active=True).order_by("pk").first()
    group = selectors.served_groups(point)[0]
    day = next(d for d in bookable_days(point) if d > dt.date.today())
    slots = ["08:00", "08:30", "09:00", "09:30"]
    browser = client()
    before_sms = len(OutboxSms.outbox)
    answers = [browser.post("/api/bookings", {"service_point": point.pk, "group": group.letter,
                                              "date": day.isoformat(), "time": slots[n % 4],
                                              "national_id": national_id(n), "phone": f"0912{n:06d}"},
                            content_type="application/json", HTTP_X_FORWARDED_FOR=f"10.1.0.{n}")
               for n in range(120)]
    taken = sum(BookingSlot.objects.filter(service_point=point, group=group).values_list("booked", flat=True))
    one_phone = [client().post("/api/bookings", {"service_point": point.pk, "group": group.letter,
                                                 "date": day.isoformat(), "time": "10:00",
                                                 "national_id": national_id(500 + n), "phone": "0987000111"},
                               content_type="application/json", REMOTE_ADDR=f"203.0.113.{50 + n}")
                 for n in range(20)]
    codes = [r.json().get("code") for r in one_phone if r.status_code == 429]
    return [
        ("120 bookings from one client", "120 booked, 4 slots full",
         f"{tally(answers)}; places taken {taken} (pending holds nothing); "
         f"{len(OutboxSms.outbox) - before_sms} SMS; {Booking.objects.filter(status='pending').count()} pending"),
        ("20 bookings for one phone from 20 addresses", "20 SMS",
         f"{tally(one_phone)} ({codes.count('sms_limit')} sms_limit)"),
    ]


def probe_bad_input() -> list[tuple[str, str, str]]:
    browser = client()
    browser.defaults["REMOTE_ADDR"] = "203.0.113.8"  # an address the login probe has not used up
    deep = "[" * 10_000 + "]" * 10_000
    big = json.dumps({"username": "x" * 3_000_000, "password": "y"})
    answers = {
        "GET /api/tracking/%00": browser.get("/api/tracking/%00"),
        "GET /procedures/?q=!!!": browser.get("/procedures/", {"q": "!!!"}),
        "GET /api/procedures?q=😀": browser.get("/api/procedures", {"q": "😀"}),
        "JSON nested 10,000 levels": browser.post("/api/auth/token", deep, content_type="application/json"),
        "3 MB JSON body": browser.post("/api/auth/token", big, content_type="application/json"),
        "GET /no-such-page": browser.get("/no-such-page"),
        "GET /dossiers/2026/12/x.pdf": browser.get("/dossiers/2026/12/x.pdf"),
    }
    before = {"GET /procedures/?q=!!!": "500", "3 MB JSON body": "500 (at 2.5 MB)", "GET /no-such-page": "debug page",
              "GET /dossiers/2026/12/x.pdf": "200 (files served)"}
    return [(name, before.get(name, "500"), f"{r.status_code} {_code(r)}") for name, r in answers.items()]


def _code(response) -> str:
    if response.get("Content-Type", "").startswith("application/json"):
        return str(response.json().get("code", ""))
    return "(page)"


def probe_audit() -> list[tuple[str, str, str]]:
    import io

    from django.core.management import CommandError, call_command
    from django.db import connection

    from motcua.core.models import AuditEntry

    call_command("audit", "checkpoint", stdout=io.StringIO())
    entry = AuditEntry.objects.order_by("pk")[1]
    table = AuditEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT action FROM {table} WHERE id = %s", [entry.pk])
        action = cursor.fetchone()[0]
        cursor.execute(f"UPDATE {table} SET action = %s WHERE id = %s", ["dossier.approve", entry.pk])
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", "verify", stdout=out, stderr=err)
        result = "passed (not detected)"
    except CommandError as refused:
        result = f"exit {refused.returncode}: {str(refused)[:90]}"
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET action = %s WHERE id = %s", [action, entry.pk])
    return [("an audit entry edited in the database", "verify passed", result)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", metavar="DIR", help="MOTCUA_VAR_DIR to use and keep (default: a temporary one)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="motcua-probe-") as tmp:
        setup(args.keep or tmp)
        rows = []
        for probe in (probe_logins, probe_tracking, probe_tickets, probe_bookings, probe_bad_input, probe_audit):
            rows += probe()
    width = max(len(name) for name, _, _ in rows)
    for name, before, now in rows:
        print(f"{name:<{width}}  before: {before:<30}  now: {now}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
