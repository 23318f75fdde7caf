"""One rule for telephone numbers: mobile and fixed lines, written any common way, stored as 0xxxxxxxxx."""

import pytest

from motcua.core.errors import ValidationFailed
from motcua.core.phones import normalise_mobile, normalise_phone


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("0912345678", "0912345678"),
        ("0912 345 678", "0912345678"),
        ("0912.345.678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("+84-38-123-4567", "0381234567"),
        ("0561234567", "0561234567"),
        ("0701234567", "0701234567"),
        ("0812345678", "0812345678"),
        ("024 3825 1234", "02438251234"),
        ("(024) 3825.1234", "02438251234"),
        ("+84 24 3825 1234", "02438251234"),
        ("842838251234", "02838251234"),
    ],
)
def test_numbers_are_stored_in_their_national_form(written, stored):
    assert normalise_phone(written) == stored


@pytest.mark.parametrize("value", ["", "12345", "0112345678", "0412345678", "0612345678", "091234567",
                                   "09123456789", "0241234567", "024123456789", "+1 912 345 678", "09abc45678"])
def test_other_numbers_are_refused_with_phone_format(value):
    with pytest.raises(ValidationFailed) as error:
        normalise_phone(value)
    assert error.value.code == "phone_format" and "02x" in str(error.value.message)


def test_where_a_text_message_must_arrive_only_mobile_numbers_pass():
    assert normalise_mobile("+84 912 345 678") == "0912345678"
    with pytest.raises(ValidationFailed) as error:
        normalise_mobile("024 3825 1234")
    assert error.value.code == "phone_format" and "di động" in str(error.value.message)
