"""Delivery errors in the staff's language; the raw detail stays for operators.

The worker records what the mail server or SMS provider said (``last_error``, English, with
codes and the server's own words: what an operator needs). Staff read an explanation in their
language: ``ERRORS`` is the one table from each kind of error (its code, and the beginning of
the text ``services/mail.py``, ``services/sms/`` and ``delivery/`` write) to that explanation.
A new kind of error without an entry reads "Delivery failed." until it gets one.
"""

from __future__ import annotations

import re

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

#: (code, the start of the recorded text, explanation); the first match wins.
ERRORS: tuple[tuple[str, re.Pattern, object], ...] = tuple(
    (code, re.compile(pattern), label) for code, pattern, label in (
        ("unconfirmed", r"unconfirmed\b", _l("Unconfirmed: the worker stopped after handing the "
                                             "message over, so it was not sent again.")),
        ("sms_budget", r"over this month's SMS budget",
         _l("Held: this month's SMS budget is used up. Waiting for approval.")),
        ("smtp_login", r"SMTP login refused", _l("The mail server refused the portal's sign-in.")),
        ("smtp_unreachable", r"SMTP server unreachable", _l("The mail server could not be reached.")),
        ("smtp_lost", r"SMTP connection lost", _l("The connection to the mail server was lost.")),
        ("recipient_refused", r"recipient refused", _l("The recipient's address was refused.")),
        ("recipient_deferred", r"recipient deferred",
         _l("The recipient's mail server asked us to try again later.")),
        ("sms_rate_limit", r"provider rate limit", _l("The SMS provider asked us to slow down.")),
        ("sms_no_credit", r"provider account out of credit",
         _l("The SMS provider account is out of credit.")),
        ("sms_unreachable", r"provider unreachable", _l("The SMS provider could not be reached.")),
        ("sms_refused", r"provider refused", _l("The SMS provider refused the message.")),
        ("sms_error", r"provider (error|answered)", _l("The SMS provider reported an error.")),
    ))
GAVE_UP = re.compile(r"gave up after (\d+) attempts: (.*)", re.S)


def error_code(raw: str) -> str | None:
    for code, pattern, _label in ERRORS:
        if pattern.match(raw):
            return code
    return None


def describe_error(raw: str | None) -> str:
    """What ``last_error`` means, in the page's language ("" when there is none)."""
    if not raw:
        return ""
    gave_up = GAVE_UP.match(raw)
    if gave_up:
        return " ".join((gettext("Gave up after %(n)s attempts.", n=gave_up.group(1)),
                         describe_error(gave_up.group(2))))
    code = error_code(raw)
    labels = {c: label for c, _pattern, label in ERRORS}
    return str(labels[code]) if code else gettext("Delivery failed.")
