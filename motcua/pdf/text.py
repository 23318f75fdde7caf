"""How values are written on the forms: dd/mm/yyyy, HH:MM, 1.250.000 đ, NFC text."""

import unicodedata
from datetime import date, datetime
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from motcua.core.money import format_vnd

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

__all__ = [
    "LOCAL_TZ",
    "clean",
    "format_date",
    "format_datetime",
    "format_time",
    "format_vnd",
    "local",
    "markup",
    "place_date_line",
]


def clean(text: object) -> str:
    """NFC text: the font has precomposed Vietnamese letters, but no shaping for combining marks."""
    if text is None:
        return ""
    return unicodedata.normalize("NFC", str(text)).strip()


def markup(text: object) -> str:
    """Plain text made safe for a reportlab paragraph; line breaks kept."""
    return escape(clean(text)).replace("\n", "<br/>")


def local(moment: datetime) -> datetime:
    """Aware datetimes are shown in Vietnam's time; naive ones are taken as already local."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(LOCAL_TZ)


def format_date(day: date | datetime | None) -> str:
    if day is None:
        return ""
    if isinstance(day, datetime):
        day = local(day)
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def format_time(moment: datetime | None) -> str:
    if moment is None:
        return ""
    moment = local(moment)
    return f"{moment.hour:02d}:{moment.minute:02d}"


def format_datetime(moment: datetime | None) -> str:
    """`08:30 ngày 23/11/2026`: the hour first, as the forms read."""
    if moment is None:
        return ""
    return f"{format_time(moment)} ngày {format_date(moment)}"


def place_date_line(place: str, day: date) -> str:
    """`Hà Nội, ngày 05 tháng 01 năm 2026` (the place and date line under the national motto)."""
    if isinstance(day, datetime):
        day = local(day).date()
    return f"{clean(place)}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year:04d}"
