"""Who a message can go to: the e-mail pattern and phone normalisation that the forms'
validators (``portal.web.forms``: ``EMAIL``, ``PHONE``) and delivery (``services.outbox``)
share, so an address a form accepts is one the outbox takes.
"""

from __future__ import annotations

import re

#: Deliberately loose: the message we send is the real check. (tenant.toml's addresses too.)
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
EMAIL_RE = re.compile(EMAIL_PATTERN)
#: The longest address the outbox accepts (forms ask for at most 254, RFC 5321's path).
MAX_EMAIL_LENGTH = 320

_SEPARATORS = re.compile(r"[\s().-]")
_GEORGIAN_MOBILE = re.compile(r"9955[0-9]{8}")


class InvalidRecipient(ValueError):
    """The address or phone number cannot receive messages (checked before anything is queued)."""


def check_email(address: str) -> str:
    """``address`` without surrounding blanks; raises InvalidRecipient if it is not one."""
    address = address.strip()
    if not EMAIL_RE.match(address) or len(address) > MAX_EMAIL_LENGTH:
        raise InvalidRecipient(f"not an e-mail address: {address!r}")
    return address


def normalise_phone(number: str) -> str:
    """Georgian numbers in any usual spelling → ``995XXXXXXXXX``; other E.164 numbers kept
    (digits only, as the SMS provider takes them). Raises InvalidRecipient."""
    digits = _SEPARATORS.sub("", number)
    if digits.startswith("+"):
        digits = digits[1:]
    elif digits.startswith("00"):
        digits = digits[2:]
    if not digits.isascii() or not digits.isdigit():
        raise InvalidRecipient(f"not a phone number: {number!r}")
    if len(digits) == 9 and digits.startswith("5"):
        digits = "995" + digits
    if digits.startswith("995") and len(digits) != 12:
        raise InvalidRecipient(f"a Georgian number has 9 digits after 995: {number!r}")
    if not 8 <= len(digits) <= 15:
        raise InvalidRecipient(f"not a phone number: {number!r}")
    return digits


def georgian_mobile(number: str) -> str:
    """A Georgian mobile number (5XX XXX XXX, with or without +995 or 00995, spaces or dashes)
    in E.164: ``+9955XXXXXXXX``. Raises InvalidRecipient for anything else."""
    digits = normalise_phone(number)
    if not _GEORGIAN_MOBILE.fullmatch(digits):
        raise InvalidRecipient(f"not a Georgian mobile number: {number!r}")
    return "+" + digits
