"""Template filters shared by every page: money, dates and times (number separators follow the language), masking."""

from decimal import Decimal

from django import template
from django.utils import formats, timezone

from .. import privacy
from ..money import format_vnd

register = template.Library()


@register.filter
def mask(value, kind="id"):
    """`{{ number|mask }}`: an ID number's last 4 digits only; `{{ phone|mask:"phone" }}`: the last 3."""
    return privacy.mask_phone(value) if kind == "phone" else privacy.mask(value)


@register.filter
def vnd(amount):
    """1250000 -> 1.250.000 đ (1,250,000 đ on English pages)."""
    text = format_vnd(amount)
    separator = formats.get_format("THOUSAND_SEPARATOR")
    return text.replace(".", separator) if separator != "." else text


@register.filter
def vndate(value):
    """dd/mm/yyyy in the center's time zone."""
    if not value:
        return ""
    if hasattr(value, "hour") and timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime("%d/%m/%Y")


@register.filter
def vndatetime(value):
    """HH:MM dd/mm/yyyy in the center's time zone."""
    if not value:
        return ""
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y")


@register.filter
def days(value):
    """A number of working days or hours without a useless '.0', with the language's decimal separator."""
    if value is None:
        return ""
    number = Decimal(str(value)).normalize()
    return format(number, "f").replace(".", formats.get_format("DECIMAL_SEPARATOR"))


@register.filter
def plural_count(value):
    """1 for exactly one, otherwise 2: the count of {% blocktranslate count %} for a value that may be a fraction."""
    if value is None:
        return 2
    return 1 if Decimal(str(value)) == 1 else 2
