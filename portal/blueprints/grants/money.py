"""Amounts of a competition: typed in whole units (a decimal point and two decimals at most),
kept in minor units, written in the page's language with the competition's currency code."""

from __future__ import annotations

import re
from decimal import Decimal

from babel.numbers import format_decimal

from portal.i18n import request_locale

#: "2000", "2 000", "2,000.50", "2000,5": spaces and thousands commas are dropped.
_AMOUNT = re.compile(r"^\d{1,9}(?:[.,]\d{1,2})?$")
#: The largest amount anyone may type (minor units fit a 32-bit column).
MAX_MINOR = 2_000_000_000


def parse_amount(text: str | None) -> int | None:
    """Minor units of a typed amount, or None when it is not an amount (empty, negative,
    letters, more than two decimals, too large)."""
    text = (text or "").strip().replace(" ", "").replace("\u00a0", "")
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d{1,2})?", text):
        text = text.replace(",", "")
    if not _AMOUNT.match(text):
        return None
    minor = int((Decimal(text.replace(",", ".")) * 100).to_integral_value())
    return minor if minor <= MAX_MINOR else None


def plain(minor: int | None) -> str:
    """The amount as a form shows it back ("2500", "2500.50")."""
    if minor is None:
        return ""
    whole, cents = divmod(minor, 100)
    return f"{whole}.{cents:02d}" if cents else str(whole)


def money(minor: int | None, currency: str) -> str:
    """``2,500 EUR`` / ``2 500 EUR`` in the page's language."""
    if minor is None:
        return "—"
    number = format_decimal(Decimal(minor) / 100, "#,##0.##", locale=request_locale() or "ka")
    return f"{number}\u00a0{currency}"
