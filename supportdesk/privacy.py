"""Personal data inside free text: the one place that finds and masks it.

- ID-card numbers (居民身份证号): 18 characters whose check digit is right
  (GB 11643, ISO 7064 MOD 11-2) and the old 15-digit form, both with a real
  province code and birth date. They are never stored: `mask_id_numbers`
  runs on every text before it is saved (tickets, events, labelled examples,
  import errors) and keeps the last 4 characters.
- Mobile phone numbers and e-mail addresses in the text: `mask_contacts` masks
  them (and ID numbers) for readers who see contact fields masked, i.e.
  college teachers, and in every export -- "138****5678", "z***@qq.com", as the
  contact fields are shown.

No database; settings only for the desk's own published e-mail addresses,
which stay readable.
"""

from __future__ import annotations

import re
from datetime import date

# First two digits of a resident ID: the province (GB/T 2260), plus Taiwan,
# Hong Kong, Macao and the codes of residence permits.
_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "
    "61 62 63 64 65 71 81 82 83 91".split()
)
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"

# Not inside a longer run of digits or letters (a candidate number, an order id).
_ID18 = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])")
_ID15 = re.compile(r"(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9])(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?![0-9])")
# Every match below has three digits in a row or an @: most texts have neither,
# and one search rules them out (the exports call this for every row). Written
# as "a digit or @, then: it was the @, or two more digits" -- the same test as
# \d{3}|@, in half the time: the engine skips to the characters of one set.
_MAYBE_CONTACT = re.compile(r"[\d@](?:(?<=@)|\d\d)")
_EMAIL = re.compile(r"(?<![\w.+-])([\w.+-])[\w.+-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")


def _real_date(year: int, month: int, day: int) -> bool:
    try:
        born = date(year, month, day)
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= date.today()


def is_id_number(value: str) -> bool:
    """An 18-character ID with a valid check digit, or an old 15-digit one."""
    if value[:2] not in _PROVINCES:
        return False
    if len(value) == 18:
        if not value[:17].isdigit() or not _real_date(
            int(value[6:10]), int(value[10:12]), int(value[12:14])
        ):
            return False
        total = sum(int(digit) * weight for digit, weight in zip(value[:17], _WEIGHTS, strict=True))
        return _CHECK[total % 11] == value[17].upper()
    if len(value) == 15 and value.isdigit():
        return _real_date(1900 + int(value[6:8]), int(value[8:10]), int(value[10:12]))
    return False


def _keep_last_4(match: re.Match) -> str:
    value = match.group(0)
    if not is_id_number(value):
        return value
    return "*" * (len(value) - 4) + value[-4:]


def mask_id_numbers(text: str) -> str:
    """Every ID-card number in `text` as asterisks and its last 4 characters."""
    if not text or len(text) < 15:
        return text
    return _ID15.sub(_keep_last_4, _ID18.sub(_keep_last_4, text))


def mask_phone(phone: str) -> str:
    """138****1234: the first three and last four digits stay."""
    # (all digits: the phone itself, without a generator per character)
    digits = phone if phone.isdigit() else "".join(ch for ch in phone if ch.isdigit())
    if len(digits) > 11 and digits.startswith("86"):
        digits = digits[2:]
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}"


def _published_addresses() -> frozenset[str]:
    from django.conf import settings

    return frozenset(
        address.lower() for address in (settings.INFO_CENTER_EMAIL, settings.DEFAULT_FROM_EMAIL)
    )


def mask_contacts(text: str) -> str:
    """ID numbers, mobile numbers and e-mail addresses in `text` masked (the
    desk's own published addresses excepted)."""
    if not text or not _MAYBE_CONTACT.search(text):
        return text
    text = mask_id_numbers(text)
    text = _MOBILE.sub(lambda m: mask_phone(m.group(0)), text)

    def email(match: re.Match) -> str:
        if match.group(0).lower() in _published_addresses():
            return match.group(0)
        return f"{match.group(1)}***@{match.group(2)}"

    return _EMAIL.sub(email, text)
