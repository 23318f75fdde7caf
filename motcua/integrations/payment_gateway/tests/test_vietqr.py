"""VietQR payloads: EMVCo TLV fields and the CRC-16/CCITT-FALSE checksum."""

from motcua.integrations.payment_gateway.vietqr import crc16_ccitt, crc_valid, payload


def test_the_crc_is_ccitt_false():
    # The published check value of CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF) for "123456789".
    assert crc16_ccitt(b"123456789") == 0x29B1


def test_a_vietqr_payload_for_an_exact_amount():
    text = payload(bank_bin="970436", account="0011000000000", amount=135_000, message="Hồ sơ 000.00.11/1")
    assert text.startswith("000201010212")  # dynamic: the amount is fixed
    assert "0010A000000727" in text and "0006970436" in text and "0113" "0011000000000" in text
    assert "0208QRIBFTTA" in text and "5303704" in text and "5406135000" in text and "5802VN" in text
    assert "Ho so 000.00.11" in text  # without diacritics
    assert crc_valid(text) and not crc_valid(text[:-1] + ("0" if text[-1] != "0" else "1"))
