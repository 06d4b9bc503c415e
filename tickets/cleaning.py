"""Characters no stored text may hold.

NUL cannot be stored by PostgreSQL at all (a DataError that failed whole
import batches); the other C0/C1 control characters and the non-characters
are invisible in the page, the CSV and the mail, and only ever come from a
broken export or a hostile file. Tab, line feed and carriage return stay.
"""

import re

_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def strip_controls(text: str) -> str:
    return _CONTROLS.sub("", text)


def has_controls(text: str) -> bool:
    return _CONTROLS.search(text) is not None
