"""VietQR: the EMVCo merchant-presented QR payload that Vietnamese banking apps read (NAPAS 247).

A payload is a series of TLV fields (two-digit id, two-digit length, value); field 38 carries the
NAPAS account (GUID `A000000727`, the bank's BIN and the account number, service `QRIBFTTA`); field
54 the amount, 58 the country, 62/08 the message; field 63 is the CRC-16/CCITT-FALSE (polynomial
0x1021, initial 0xFFFF) of everything before it, `6304` included, in four upper-case hex digits.
"""

from __future__ import annotations

NAPAS_GUID = "A000000727"
TO_ACCOUNT = "QRIBFTTA"
VND = "704"


def crc16_ccitt(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, no reflection, no final xor."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _bit in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def tlv(tag: str, value: str) -> str:
    if len(value) > 99:
        raise ValueError(f"field {tag} longer than 99 characters")
    return f"{tag}{len(value):02d}{value}"


def _ascii(text: str) -> str:
    """Messages travel without diacritics (banks reject other characters): letters, digits, spaces, dashes."""
    import unicodedata

    folded = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in folded if ch.isascii() and (ch.isalnum() or ch in " -.")).strip()[:50]


def with_crc(body: str) -> str:
    head = body + "6304"
    return f"{head}{crc16_ccitt(head.encode('utf-8')):04X}"


def payload(*, bank_bin: str, account: str, amount: int | None = None, message: str = "") -> str:
    """A dynamic VietQR for a transfer to `account` at the bank `bank_bin`, of `amount` đồng."""
    beneficiary = tlv("00", bank_bin) + tlv("01", account)
    merchant = tlv("00", NAPAS_GUID) + tlv("01", beneficiary) + tlv("02", TO_ACCOUNT)
    body = tlv("00", "01") + tlv("01", "12" if amount else "11") + tlv("38", merchant) + tlv("53", VND)
    if amount:
        body += tlv("54", str(int(amount)))
    body += tlv("58", "VN")
    if message:
        body += tlv("62", tlv("08", _ascii(message)))
    return with_crc(body)


def crc_valid(text: str) -> bool:
    """Whether a payload's last field is the CRC of what precedes it."""
    return len(text) > 8 and text[-8:-4] == "6304" and with_crc(text[:-8]) == text
