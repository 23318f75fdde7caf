"""Amounts in Vietnamese words, as printed on receipts."""

import pytest

from motcua.core.money import vnd_in_words


@pytest.mark.parametrize(("amount", "words"), [
    (0, "Không đồng"),
    (5, "Năm đồng"),
    (15, "Mười lăm đồng"),
    (21, "Hai mươi mốt đồng"),
    (105, "Một trăm linh năm đồng"),
    (8_000, "Tám nghìn đồng"),
    (10_000, "Mười nghìn đồng"),
    (135_000, "Một trăm ba mươi lăm nghìn đồng"),
    (1_250_000, "Một triệu hai trăm năm mươi nghìn đồng"),
    (1_000_005, "Một triệu không trăm linh năm đồng"),
    (2_001_000, "Hai triệu không trăm linh một nghìn đồng"),
    (1_000_000_000, "Một tỷ đồng"),
    (5_000_000_000_000, "Năm nghìn tỷ đồng"),
])
def test_amounts_in_words(amount, words):
    assert vnd_in_words(amount) == words
