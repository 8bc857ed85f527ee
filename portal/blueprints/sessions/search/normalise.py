"""Georgian-aware text normalisation shared by indexing and querying.

Mtavruli capitals (U+1C90–U+1CBF) fold to Mkhedruli with ``str.lower()``; punctuation of any
script (Georgian „ “ quotes, dashes, «») becomes a space; runs of whitespace collapse.
"""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^\w]+|_+")
MAX_TERMS = 8


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text or "").lower()
    return " ".join(_NON_WORD.sub(" ", text).split())


def terms(query: str) -> list[str]:
    """The distinct search terms of a query, in order, at most ``MAX_TERMS``."""
    seen: list[str] = []
    for term in normalise(query).split():
        if term not in seen:
            seen.append(term)
    return seen[:MAX_TERMS]


def highlight(text: str, query_terms: list[str], width: int = 160) -> list[tuple[str, bool]]:
    """``text`` cut to a window around the first match, as (piece, is_match) pairs.

    A word matches when its normalised form starts with a query term (prefix search), so
    the marks agree with what the index matched. Templates render pieces escaped.
    """
    pieces: list[tuple[str, bool]] = []
    words = re.split(r"(\w+)", text)
    first = None
    for index, word in enumerate(words):
        is_match = bool(word) and index % 2 == 1 and any(
            normalise(word).startswith(t) for t in query_terms
        )
        if is_match and first is None:
            first = sum(len(w) for w in words[:index])
        pieces.append((word, is_match))
    if len(text) <= width:
        return [p for p in pieces if p[0]]
    start = max(0, (first or 0) - width // 3)
    out, position = [], 0
    for word, is_match in pieces:
        end = position + len(word)
        if end > start and position < start + width:
            out.append((word, is_match))
        position = end
    if start > 0:
        out.insert(0, ("… ", False))
    if start + width < len(text):
        out.append((" …", False))
    return [p for p in out if p[0]]
