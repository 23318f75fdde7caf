"""Identifiers that people read, each generated here and nowhere else.

Numbers come from `DailySequence`: the increment happens inside the caller's transaction, so a
rolled-back use gives its number back (no gaps) and two concurrent callers never get the same one
(the row is locked by the UPDATE until commit on PostgreSQL; SQLite runs one writer at a time).
"""

import secrets
from datetime import date

from django.db import transaction
from django.db.models import F

from .models import DailySequence


def next_in_sequence(scope: str, day: date) -> int:
    """The next number (1, 2, …) of `scope` on `day`."""
    with transaction.atomic():
        DailySequence.objects.get_or_create(scope=scope, day=day)
        DailySequence.objects.filter(scope=scope, day=day).update(value=F("value") + 1)
        return DailySequence.objects.get(scope=scope, day=day).value


def dossier_code(agency_e_id: str, day: date, number: int) -> str:
    """`{agency e-ID}-{yyMMdd}-{NNNN}` (QCVN 102:2016 e-ID), e.g. 000.00.06.H26-251027-0361."""
    return f"{agency_e_id}-{day:%y%m%d}-{number:04d}"


def next_dossier_code(agency_e_id: str, day: date) -> str:
    return dossier_code(agency_e_id, day, next_in_sequence(f"dossier:{agency_e_id}", day))


# Crockford's base 32: no I, L, O or U, so nothing is misread from a printed slip.
TRACKING_KEY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TRACKING_KEY_LENGTH = 10  # 50 bits: out of reach of the tries the rate limits allow


def new_tracking_key() -> str:
    """A dossier's random tracking key, printed on slip 01 as `ABCDE-FGHJK`."""
    return "".join(secrets.choice(TRACKING_KEY_ALPHABET) for _ in range(TRACKING_KEY_LENGTH))


def normalise_tracking_key(text: str) -> str:
    """What a person typed or scanned, as stored: capitals, without spaces or dashes; O→0, I/L→1."""
    cleaned = "".join(ch for ch in (text or "").upper() if ch not in " -.")
    return cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))


def printed_tracking_key(key: str) -> str:
    """`ABCDEFGHJK` → `ABCDE-FGHJK`."""
    half = len(key) // 2
    return f"{key[:half]}-{key[half:]}" if key else ""


def ticket_number(letter: str, number: int) -> str:
    """A queue ticket as shown and announced: B-027."""
    return f"{letter}-{number:03d}"
