"""The clock of domain decisions (the queue, booking, ratings), in one place so that tests (and the browser
tests' live server) can set the time."""

from datetime import date, datetime

from django.utils import timezone


def now() -> datetime:
    return timezone.now()


def today() -> date:
    return timezone.localdate(now())
