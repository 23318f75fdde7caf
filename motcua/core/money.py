"""Money is an integer number of đồng."""


def format_vnd(amount: int | None) -> str:
    """1250000 -> '1.250.000 đ' (Vietnamese grouping with dots)."""
    if amount is None:
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(int(amount)):,} đ".replace(",", ".")
