"""Vietnamese telephone numbers: the one rule for every form, API and kiosk that takes a number.

Mobile numbers have 10 digits and start with 03, 05, 07, 08 or 09 (after the 2018 renumbering);
fixed lines have 11 digits: 02 + the area code + the subscriber number (Hà Nội 024, TP.HCM 028).
People write them with spaces, dots, dashes or brackets and often with the country code (+84 or 84):
the stored form is always the national one, digits only, starting with 0.
"""

import re

from django.utils.translation import gettext_lazy as _

from .errors import ValidationFailed

_MOBILE = re.compile(r"^0[35789]\d{8}$")
_LANDLINE = re.compile(r"^02\d{9}$")
_SEPARATORS = re.compile(r"[\s.\-()]")


def _national_form(value: str) -> str:
    digits = _SEPARATORS.sub("", value or "")
    if digits.startswith("+84"):
        return "0" + digits[3:]
    if digits.startswith("84") and len(digits) in (11, 12):  # 84 + 9 (mobile) or 10 (fixed line) digits
        return "0" + digits[2:]
    return digits


def normalise_phone(value: str, *, landline: bool = True) -> str:
    """The number as 0xxxxxxxxx ('+84 912 345 678' -> '0912345678'); ValidationFailed `phone_format`.

    `landline=False` accepts mobile numbers only (where a text message must reach the person).
    """
    number = _national_form(value)
    if _MOBILE.match(number) or (landline and _LANDLINE.match(number)):
        return number
    if not landline:
        raise ValidationFailed(_("Số điện thoại di động phải gồm 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09."),
                               code="phone_format")
    raise ValidationFailed(_("Số điện thoại không hợp lệ: di động 10 chữ số (03, 05, 07, 08, 09…), "
                             "máy cố định 11 chữ số (mã vùng 02x…)."), code="phone_format")


def normalise_mobile(value: str) -> str:
    """A mobile number only (see `normalise_phone`)."""
    return normalise_phone(value, landline=False)
