"""Where a visitor goes back to after a form (``next``, return paths): a path on this site only.

Browsers forgive a lot in a Location header: they drop tabs and newlines, read ``\\`` as ``/``
and take ``//host`` as another site, so ``/<TAB>/evil.example`` becomes ``//evil.example``.
``safe_next`` therefore refuses anything but a plain local path, in its raw and its
percent-decoded spellings, and returns it in ASCII (percent-encoded), ready for a header.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote, urlsplit

from flask import abort
from werkzeug.urls import iri_to_uri

#: C0 controls, DEL and C1 controls: never part of a link we make.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
#: Unicode categories a path of ours never holds: format (bidi, zero-width), separators
#: other than space, surrogates, private use, unassigned.
FOREIGN_CATEGORIES = {"Cf", "Zl", "Zp", "Cs", "Co", "Cn"}
MAX_LENGTH = 2000


def safe_next(target: object, default: str | None = None) -> str | None:
    """``target`` as an ASCII path on this site, or ``default`` when it is anything else.

    Raises BadRequest (400) when ``target`` holds a control character: no page of ours sends
    one, and a newline would break the Location header (a 500 before).
    """
    if not isinstance(target, str) or not target:
        return default
    if CONTROL.search(target):
        abort(400)
    if len(target) > MAX_LENGTH or not _is_local_path(target):
        return default
    return iri_to_uri(target)


def _is_local_path(target: str) -> bool:
    spelling, seen = target, set()
    # Each decoding is checked too ("%252F%252F" is "//" twice removed); a few rounds suffice,
    # and a spelling that still decodes further after them is refused.
    for _ in range(4):
        if not _plain_path(spelling):
            return False
        seen.add(spelling)
        spelling = unquote(spelling)
        if spelling in seen:
            return True
    return False


def _plain_path(spelling: str) -> bool:
    if not spelling.startswith("/") or spelling.startswith("//") or "\\" in spelling:
        return False
    if CONTROL.search(spelling) or any(unicodedata.category(c) in FOREIGN_CATEGORIES for c in spelling):
        return False
    parts = urlsplit(spelling)
    return not parts.scheme and not parts.netloc


def return_path() -> str:
    """The current page as a ``next`` value: its path as the visitor's address bar shows it
    (on a municipality's own domain, without the internal ``/<slug>`` prefix)."""
    from portal.tenancy import public_path

    return public_path()
