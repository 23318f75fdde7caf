"""Personal numbers out of sight: the one masking rule for pages, and the filter for every log line.

`mask` is how an ID number or a phone number is shown where it need not be read in full (a page, a
slip kept by the citizen, a log line): only its last digits. `mask_text` finds such numbers in free
text: 9- and 12-digit ID numbers (old identity card, citizen ID / personal ID number) and Vietnamese
phone numbers (10 digits from 0, or +84/84, with or without spaces, dots or dashes). `MaskingFilter`
applies it to every log record before any handler writes it: the message, its arguments, the
request's address and an exception's text.
"""

from __future__ import annotations

import logging
import re
from typing import Any

MASK = "*"


def mask(value: object, visible: int = 4) -> str:
    """`001190012345` → `********2345`; `0912345678` with visible=3 → `*******678`; '' stays ''."""
    text = "" if value is None else str(value)
    if not text:
        return ""
    shown = text[-visible:] if visible > 0 else ""
    return MASK * max(0, len(text) - len(shown)) + shown


def mask_phone(value: object) -> str:
    """A phone number as pages and logs may show it: the last three digits."""
    return mask(value, 3)


_PHONE = r"(?:\+?84|0)(?:[\s.\-]?\d){8,10}"
_ID = r"\d{12}|\d{9}"
_NUMBERS = re.compile(rf"(?<![0-9A-Za-z])(?:{_PHONE}|{_ID})(?![0-9A-Za-z])")


def _mask_match(match: re.Match[str]) -> str:
    return mask(re.sub(r"\D", "", match.group(0)), 3)


def mask_text(text: str) -> str:
    """Free text with every ID or phone number in it masked."""
    return _NUMBERS.sub(_mask_match, text) if text and any(ch.isdigit() for ch in text) else text


def _masked(value: Any) -> Any:
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, int | float | bool) or value is None:
        return value
    # A request, a model instance, a path object…: logged by its text, masked.
    return mask_text(str(value))


class MaskingFilter(logging.Filter):
    """Mask ID and phone numbers in every record (attach to every handler: see settings.LOGGING)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed call must not lose the line
            message = str(record.msg)
        record.msg, record.args = mask_text(message), None
        request = record.__dict__.get("request")
        if request is not None and hasattr(request, "path"):
            # Django's request logger: the path only, never the query string.
            record.request = f"{getattr(request, 'method', '')} {mask_text(request.path)}"
        for key, value in list(record.__dict__.items()):
            if key not in _STANDARD and key != "request":
                record.__dict__[key] = _masked(value)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_text(record.stack_info)
        return True


_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}
