"""Money is an integer number of đồng."""


def format_vnd(amount: int | None) -> str:
    """1250000 -> '1.250.000 đ' (Vietnamese grouping with dots)."""
    if amount is None:
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(int(amount)):,} đ".replace(",", ".")


_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_GROUPS = ("", "nghìn", "triệu", "tỷ")


def _three(number: int, leading: bool) -> list[str]:
    """One group of three digits in words; `leading`: the highest group (no "không trăm", no "linh")."""
    hundreds, tens, units = number // 100, number // 10 % 10, number % 10
    words = []
    if hundreds or not leading:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [_DIGITS[tens], "mươi"]
    if units:
        if units == 1 and tens >= 2:
            words.append("mốt")
        elif units == 5 and tens >= 1:
            words.append("lăm")
        else:
            words.append(_DIGITS[units])
    return words


def vnd_in_words(amount: int) -> str:
    """1250000 -> 'Một triệu hai trăm năm mươi nghìn đồng' (as printed on receipts)."""
    amount = int(amount)
    if amount == 0:
        return "Không đồng"
    sign = ["âm"] if amount < 0 else []
    amount = abs(amount)
    groups = []
    while amount:
        groups.append(amount % 1000)
        amount //= 1000
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            # A billion is the top name: thousands of billions say "tỷ" again after their group.
            if index % 3 == 0 and index and any(groups[index + 1:index + 3]):
                words.append(_GROUPS[3])
            continue
        words += _three(group, leading=not words)
        name = _GROUPS[index % 3] if index % 3 else (_GROUPS[3] if index else "")
        if name:
            words.append(name)
    text = " ".join(sign + words + ["đồng"])
    return text[0].upper() + text[1:]
