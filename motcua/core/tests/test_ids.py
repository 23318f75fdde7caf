from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.core.errors import ValidationFailed
from motcua.core.ids import (
    ID_PROVINCES,
    make_national_id,
    national_id_mismatches,
    parse_national_id,
    validate_tax_code,
)

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("number", "province", "gender", "year"),
    [
        ("001090012345", "001", "male", 1990),
        ("079185000001", "079", "female", 1985),
        ("001205000123", "001", "male", 2005),
        ("001307000123", "001", "female", 2007),
        ("001899000001", "001", "male", 1899),  # digit 8/9: the 19th century
        ("001997000001", "001", "female", 1897),
    ],
)
def test_valid_national_ids_are_decoded(number, province, gender, year):
    parsed = parse_national_id(number, today=TODAY)
    assert (parsed.province_code, parsed.gender, parsed.birth_year) == (province, gender, year)
    assert parsed.masked == "********" + number[-4:]


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("00109001234", "national_id_format"),  # 11 digits
        ("0010900123456", "national_id_format"),  # 13 digits
        ("00109001234a", "national_id_format"),
        ("003090012345", "national_id_province"),  # 003 is not a province code
        ("001230012345", "national_id_birth_year"),  # born 2030
        ("001427000000", "national_id_birth_year"),  # 22nd century
        ("001890000001", "national_id_birth_year"),  # born 1890: more than 130 years ago
    ],
)
def test_invalid_national_ids_are_refused_with_a_code(number, code):
    with pytest.raises(ValidationFailed) as err:
        parse_national_id(number, today=TODAY)
    assert err.value.code == code
    assert str(err.value.message)


@given(province=st.sampled_from(sorted(ID_PROVINCES)), gender=st.sampled_from(["male", "female"]),
       year=st.integers(1896, 2026), sequence=st.integers(0, 999_999))
def test_made_ids_parse_back(province, gender, year, sequence):
    parsed = parse_national_id(make_national_id(province_code=province, gender=gender, birth_year=year,
                                                sequence=sequence), today=TODAY)
    assert (parsed.province_code, parsed.gender, parsed.birth_year) == (province, gender, year)


@pytest.mark.parametrize("code", ["0100109106", "0100109106-001", "0312345673"])
def test_tax_codes_with_a_correct_check_digit_pass(code):
    assert validate_tax_code(code) == code


@pytest.mark.parametrize(("code", "error"), [("0100109107", "tax_code_checksum"), ("010010910", "tax_code_format"),
                                             ("0100109106-01", "tax_code_format")])
def test_bad_tax_codes_are_refused(code, error):
    with pytest.raises(ValidationFailed) as err:
        validate_tax_code(code)
    assert err.value.code == error


@pytest.mark.parametrize(
    ("birth_date", "gender", "codes"),
    [
        (date(1990, 5, 1), "female", []),
        (date(1990, 5, 1), "", []),
        (None, "female", []),
        (date(1991, 5, 1), "female", ["national_id_year_mismatch"]),  # digits 5–6 say 90
        (date(2090, 5, 1), "female", ["national_id_century_mismatch"]),  # digit 4 says the 1900s
        (date(1990, 5, 1), "male", ["national_id_gender_mismatch"]),  # digit 4 is odd: female
        (date(1985, 1, 1), "male", ["national_id_year_mismatch", "national_id_gender_mismatch"]),
    ],
)
def test_a_declared_birth_date_and_gender_must_agree_with_the_number(birth_date, gender, codes):
    parsed = parse_national_id("001190005678", today=TODAY)  # female, born 1990
    found = national_id_mismatches(parsed, birth_date=birth_date, gender=gender)
    assert [error.code for error in found] == codes
    assert all(str(error.message) for error in found)


def test_a_mismatch_names_the_digits_that_disagree():
    parsed = parse_national_id("001190005678", today=TODAY)
    (year,) = national_id_mismatches(parsed, birth_date=date(1991, 1, 1))
    (gender,) = national_id_mismatches(parsed, gender="male")
    assert "5–6" in str(year.message) and "1990" in str(year.message)
    assert "chữ số thứ 4" in str(gender.message) and "nữ" in str(gender.message)
