"""Identifiers that people read, each generated here and nowhere else.

Numbers come from `DailySequence`: the increment happens inside the caller's transaction, so a
rolled-back use gives its number back (no gaps) and two concurrent callers never get the same one
(the row is locked by the UPDATE until commit on PostgreSQL; SQLite runs one writer at a time).
"""

import re
import secrets
from datetime import date

from django.db import connection

# The table is DailySequence's (core_dailysequence); SQLite (>= 3.35) and PostgreSQL both speak this.
_NEXT_VALUE = (
    "INSERT INTO core_dailysequence (scope, day, value) VALUES (%s, %s, 1) "
    "ON CONFLICT (scope, day) DO UPDATE SET value = core_dailysequence.value + 1 "
    "RETURNING value"
)
_NEXT_VALUES = (
    "INSERT INTO core_dailysequence (scope, day, value) VALUES {values} "
    "ON CONFLICT (scope, day) DO UPDATE SET value = core_dailysequence.value + 1 "
    "RETURNING scope, value"
)


def next_in_sequence(scope: str, day: date) -> int:
    """The next number (1, 2, …) of `scope` on `day`.

    One statement, an upsert that creates the day's row or increments it and returns the new value
    (SQLite ≥ 3.35 and PostgreSQL): the row stays locked until the caller's transaction ends.
    """
    with connection.cursor() as cursor:
        cursor.execute(_NEXT_VALUE, [scope, connection.ops.adapt_datefield_value(day)])
        return int(cursor.fetchone()[0])


def dossier_code(agency_e_id: str, day: date, number: int) -> str:
    """`{agency e-ID}-{yyMMdd}-{NNNN}` (QCVN 102:2016 e-ID), e.g. 000.00.06.H26-251027-0361."""
    return f"{agency_e_id}-{day:%y%m%d}-{number:04d}"


def next_in_sequences(*keys: tuple[str, date]) -> list[int]:
    """`next_in_sequence` of each (scope, day), in one statement; the scopes must differ.

    The rows are taken in the order given: callers that take several always name them in the same
    order (the dossier's code before its slip's number), so two of them never wait on each other.
    """
    scopes = [scope for scope, _day in keys]
    if len(set(scopes)) != len(scopes):
        raise ValueError("one number per scope and statement")
    values = ", ".join(["(%s, %s, 1)"] * len(keys))
    params = [value for scope, day in keys for value in (scope, connection.ops.adapt_datefield_value(day))]
    with connection.cursor() as cursor:
        cursor.execute(_NEXT_VALUES.format(values=values), params)
        numbers = {scope: int(value) for scope, value in cursor.fetchall()}
    return [numbers[scope] for scope in scopes]


# A dossier code as people quote it in free text: `000.00.06.H26-251027-0361`.
DOSSIER_CODE_IN_TEXT = re.compile(r"(?<![0-9A-Za-z.])[0-9A-Za-z]{3}(?:\.[0-9A-Za-z]{2,3}){2,3}-\d{6}-\d{4}(?![0-9A-Za-z])")


def next_dossier_code(agency_e_id: str, day: date) -> str:
    return dossier_code(agency_e_id, day, next_in_sequence(f"dossier:{agency_e_id}", day))


def next_dossier_code_and_slip(agency_e_id: str, day: date, form: str, book: str, year: int) -> tuple[str, int]:
    """A dossier's code and the number of its first slip (`next_slip_number`), drawn in one statement."""
    number, slip = next_in_sequences((f"dossier:{agency_e_id}", day), (f"slip:{form}:{book}", date(year, 1, 1)))
    return dossier_code(agency_e_id, day, number), slip


def next_complaint_code(day: date) -> str:
    """A complaint or petition: `PAKN-{yyMMdd}-{NNNN}`, numbered per day (inside the caller's transaction)."""
    return f"PAKN-{day:%y%m%d}-{next_in_sequence('complaint', day):04d}"


# Crockford's base 32: no I, L, O or U, so nothing is misread from a printed slip.
TRACKING_KEY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TRACKING_KEY_LENGTH = 10  # 50 bits: out of reach of the tries the rate limits allow


def new_tracking_key() -> str:
    """A dossier's random tracking key, printed on slip 01 as `ABCDE-FGHJK`."""
    return "".join(secrets.choice(TRACKING_KEY_ALPHABET) for _ in range(TRACKING_KEY_LENGTH))


def normalise_tracking_key(text: str) -> str:
    """What a person typed or scanned, as stored: capitals, without spaces or dashes; O→0, I/L→1."""
    cleaned = "".join(ch for ch in (text or "").upper() if ch not in " -.")
    return cleaned.translate(str.maketrans("OIL", "011"))


def printed_tracking_key(key: str) -> str:
    """`ABCDEFGHJK` → `ABCDE-FGHJK`."""
    half = len(key) // 2
    return f"{key[:half]}-{key[half:]}" if key else ""


def ticket_number(letter: str, number: int) -> str:
    """A queue ticket as shown and announced: B-027."""
    return f"{letter}-{number:03d}"


# Booking codes: no 0/O, 1/I, so a code is read aloud and typed at the kiosk without doubt.
BOOKING_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
BOOKING_CODE_LENGTH = 8


def new_booking_code() -> str:
    """A random booking code, e.g. `K7M2QX9A` (the caller makes sure no booking has it yet)."""
    return "".join(secrets.choice(BOOKING_CODE_ALPHABET) for _n in range(BOOKING_CODE_LENGTH))


def normalise_booking_code(value: str) -> str:
    """A booking code as typed or scanned, as stored: capitals, letters and digits only."""
    return "".join(ch for ch in (value or "").upper() if ch.isalnum())


def slip_unit(branch_number: int | None, prefix: str = "") -> str:
    """The unit that numbers an official slip: the branch (`CN02`) or, with no branch, the center (`TT`).

    `prefix`: the center's own (`Center.slip_prefix`, data), so that two centers of one installation
    keep books of their own: `DN-CN02`, `DN-TT`.
    """
    unit = f"CN{branch_number:02d}" if branch_number is not None else "TT"
    return f"{prefix}-{unit}" if prefix else unit


def slip_book(unit: str, year: int) -> str:
    """A numbering book (sổ) of slips: its unit and year, e.g. `CN02/2026`."""
    return f"{unit}/{year}"


def next_slip_number(form: str, book: str, year: int) -> int:
    """The next number of `form` in `book`, gapless from 1 each year (inside the caller's transaction)."""
    return next_in_sequence(f"slip:{form}:{book}", date(year, 1, 1))


def printed_slip_number(number: int, symbol: str, book: str) -> str:
    """What a slip shows after "Số:", e.g. `0153/TNHS-CN02` (`0153/TNHS-DN-CN02` with a center's prefix)."""
    unit = book.split("/", 1)[0]
    return f"{number:04d}/{symbol}-{unit}"



def new_payment_reference() -> str:
    """A payment's transaction reference for the gateway and the bank message, e.g. `TT7K2M9QX4RA`."""
    return "TT" + "".join(secrets.choice(TRACKING_KEY_ALPHABET) for _n in range(10))


def invoice_reference(dossier_code: str, number: int) -> str:
    """The n-th invoice of a dossier: its code, `/` and the number (`000.00.06.H26-251027-0361/1`)."""
    return f"{dossier_code}/{number}"


def next_receipt_number(template_symbol: str, series_symbol: str, year: int) -> int:
    """The next number of an electronic receipt series, gapless from 1 (inside the caller's transaction)."""
    return next_in_sequence(f"receipt:{template_symbol}:{series_symbol}", date(year, 1, 1))


def printed_receipt_number(number: int) -> str:
    """A receipt's number as printed: seven digits (`0000153`)."""
    return f"{number:07d}"


def new_receipt_check_key() -> str:
    """The random key of a receipt's public authenticity check (in the QR code printed on it)."""
    return "".join(secrets.choice(TRACKING_KEY_ALPHABET) for _n in range(16))
