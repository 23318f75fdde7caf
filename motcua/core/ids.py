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
# The fourth digit: century of birth and gender (even: male, odd: female), Circular 07/2016/TT-BCA art. 7.
CENTURIES = (1900, 2000, 2100, 2200, 1800)  # digits 0/1, 2/3, 4/5, 6/7, 8/9
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
    year = CENTURIES[century_digit // 2] + int(number[4:6])
    today = today or date.today()
    if year > today.year or year < today.year - 130:
        raise ValidationFailed(_("Năm sinh trong số định danh không hợp lệ."), code="national_id_birth_year")
    return NationalId(number=number, province_code=province, gender="male" if century_digit % 2 == 0 else "female",
                      birth_year=year)


GENDER_LABELS = {"male": _("nam"), "female": _("nữ")}


def national_id_mismatches(national_id: NationalId, *, birth_date: date | None = None,
                           gender: str = "") -> list[ValidationFailed]:
    """What a declared birth date and gender contradict in the number, each error naming the digits.

    Digit 4 is the century and the gender, digits 5–6 the last two digits of the birth year.
    """
    found = []
    if birth_date is not None and birth_date.year != national_id.birth_year:
        values = {"year": birth_date.year, "id_year": national_id.birth_year}
        if birth_date.year % 100 != national_id.birth_year % 100:
            found.append(ValidationFailed(
                _("Năm sinh %(year)d không khớp với số định danh: chữ số thứ 5–6 cho năm sinh %(id_year)d.")
                % values, code="national_id_year_mismatch"))
        else:
            found.append(ValidationFailed(
                _("Năm sinh %(year)d không khớp với số định danh: chữ số thứ 4 cho thế kỷ sinh của năm %(id_year)d.")
                % values, code="national_id_century_mismatch"))
    if gender in GENDER_LABELS and gender != national_id.gender:
        found.append(ValidationFailed(
            _("Giới tính %(gender)s không khớp với số định danh: chữ số thứ 4 cho giới tính %(id_gender)s.")
            % {"gender": GENDER_LABELS[gender], "id_gender": GENDER_LABELS[national_id.gender]},
            code="national_id_gender_mismatch"))
    return found


def make_national_id(*, province_code: str, gender: str, birth_year: int, sequence: int) -> str:
    """Compose a valid-format ID (demo data and tests)."""
    century_digit = CENTURIES.index(birth_year // 100 * 100) * 2 + (0 if gender == "male" else 1)
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
