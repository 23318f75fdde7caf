"""Vietnamese text normalisation for search and slugs."""

import re
import unicodedata

_WORD = re.compile(r"[0-9a-z]+(?:\.[0-9a-z]+)*")
_MARKED_WORD = re.compile(r"[^\W_]+(?:\.[^\W_]+)*")


def fold(text: str) -> str:
    """Lower-case, diacritic-free form: 'Đăng ký khai sinh' -> 'dang ky khai sinh'."""
    text = unicodedata.normalize("NFD", text.lower()).replace("đ", "d")
    text = text.replace("\u0111", "d")
    return unicodedata.normalize("NFC", "".join(c for c in text if unicodedata.category(c) != "Mn"))


def tokens(text: str) -> list[str]:
    """Folded words plus adjacent bigrams, so that 'khai sinh' outranks 'khai' and 'sinh' apart."""
    words = _WORD.findall(fold(text))
    return words + [f"{a}_{b}" for a, b in zip(words, words[1:], strict=False)]


def marked_words(text: str) -> list[str]:
    """Lower-case words keeping their diacritics (NFC): 'Đăng ký khai sinh' -> ['đăng', 'ký', 'khai', 'sinh']."""
    return _MARKED_WORD.findall(unicodedata.normalize("NFC", text.lower()))


def slugify_vi(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "-", fold(text)).strip("-")
