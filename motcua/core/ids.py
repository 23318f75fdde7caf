"""Identifiers people read or type: national ID numbers (CCCD) and tax codes."""

import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

from .errors import ValidationFailed
from .privacy import mask

# Province codes of birth registration used in the 12-digit personal ID (Circular 07/2016/TT-BCA,
# the 63 pre-2025 provinces; numbers already issued keep them after the 2025 merger).
ID_PROVINCES = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn", "008": "Tuyên Quang",
    "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu", "014": "Sơn La", "015": "Yên Bái",
    "017": "Hòa Bình", "019": "Thái Nguyên", "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang",
    "025": "Phú Thọ", "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định", "037": "Ninh Bình",
    "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh", "044": "Quảng Bình", "045": "Quảng Trị",
    "046": "Thừa Thiên Huế", "048": "Đà Nẵng", "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định",
    "054": "Phú Yên", "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng", "070": "Bình Phước",
    "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai", "077": "Bà Rịa - Vũng Tàu",
    "079": "Hồ Chí Minh", "080": "Long An", "082": "Tiền Giang", "083": "Bến Tre", "084": "Trà Vinh",
    "086": "Vĩnh Long", "087": "Đồng Tháp", "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ",
    "093": "Hậu Giang", "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}
_NATIONAL_ID = re.compile(r"^\d{12}$")
_TAX_CODE = re.compile(r"^(\d{10})(?:-(\d{3}))?$")
_TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


@dataclass(frozen=True)
class NationalId:
    number: str
    province_code: str
    gender: str  # "male" | "female"
    birth_year: int

    @property
    def masked(self) -> str:
        """Only the last 4 digits, for pages and logs."""
        return mask(self.number)


def parse_national_id(value: str, *, today: date | None = None) -> NationalId:
    """Validate a 12-digit personal ID: province, century/gender digit and birth year."""
    number = (value or "").strip().replace(" ", "")
    if not _NATIONAL_ID.match(number):
        raise ValidationFailed(_("Số định danh cá nhân phải gồm đúng 12 chữ số."), code="national_id_format")
    province = number[:3]
    if province not in ID_PROVINCES:
        raise ValidationFailed(_("Mã tỉnh nơi đăng ký khai sinh (3 số đầu) không hợp lệ."),
                               code="national_id_province")
    century_digit = int(number[3])
    if century_digit > 9:
        raise ValidationFailed(code="national_id_century")
    century = 1900 + (century_digit // 2) * 100
    year = century + int(number[4:6])
    today = today or date.today()
    if year > today.year or year < today.year - 130:
        raise ValidationFailed(_("Năm sinh trong số định danh không hợp lệ."), code="national_id_birth_year")
    return NationalId(number=number, province_code=province, gender="male" if century_digit % 2 == 0 else "female",
                      birth_year=year)


def make_national_id(*, province_code: str, gender: str, birth_year: int, sequence: int) -> str:
    """Compose a valid-format ID (demo data and tests)."""
    century_digit = (birth_year - 1900) // 100 * 2 + (0 if gender == "male" else 1)
    return f"{province_code}{century_digit}{birth_year % 100:02d}{sequence:06d}"


def validate_tax_code(value: str) -> str:
    """An organisation's tax code: 10 digits with a check digit, optionally '-NNN' for a branch."""
    code = (value or "").strip()
    match = _TAX_CODE.match(code)
    if not match:
        raise ValidationFailed(_("Mã số thuế phải gồm 10 chữ số (chi nhánh: 10 chữ số-3 chữ số)."),
                               code="tax_code_format")
    digits = match.group(1)
    check = 10 - sum(int(d) * w for d, w in zip(digits, _TAX_WEIGHTS, strict=False)) % 11
    if check != int(digits[9]):
        raise ValidationFailed(_("Mã số thuế không đúng chữ số kiểm tra."), code="tax_code_checksum")
    return code
