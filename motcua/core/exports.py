"""Values written to spreadsheets and CSV files that others open.

A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read as a formula by
spreadsheet programs: an applicant named `=HYPERLINK(...)` would become a live link in the register.
Every export passes its text cells through `neutralise`, which prefixes such a value with an
apostrophe (the usual mark for "this is text"), so it is shown, never run.
"""

from __future__ import annotations

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """The value as it may be written to a cell: text that could start a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value
