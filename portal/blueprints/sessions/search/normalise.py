"""Georgian-aware text normalisation shared by indexing and querying.

Mtavruli capitals (U+1C90–U+1CBF) fold to Mkhedruli with ``str.lower()``; punctuation of any
script (Georgian „ “ quotes, dashes, «») becomes a space; runs of whitespace collapse.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from portal.services.georgian.stem import stem

_NON_WORD = re.compile(r"[^\w]+|_+")
_WORDS = re.compile(r"(\w+)")
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


@functools.lru_cache(maxsize=1 << 16)
def _folded(word: str) -> str:
    """``normalise`` of one word, remembered: the words of transcripts repeat a lot."""
    return normalise(word)


def highlight(text: str, query_terms: list[str], keys=(), width: int = 160
              ) -> list[tuple[str, bool]]:
    """``text`` cut to a window around the first match, as (piece, is_match) pairs: each
    matching word a piece, the text between matches one piece (so a template writes a few
    pieces a line, not one per word).

    A word matches when its normalised form starts with a query term (prefix search) or,
    given ``keys``, when its stem is one of them (another form of a query word), so the
    marks agree with what the index matched. Templates render pieces escaped.
    """
    words = _WORDS.split(text)  # separators at even indexes, words at odd ones
    prefixes = tuple(query_terms)
    keys = frozenset(keys)
    marks = [False] * len(words)
    if prefixes:
        for index in range(1, len(words), 2):
            folded = _folded(words[index])
            if folded.startswith(prefixes) or (keys and stem(folded) in keys):
                marks[index] = True
    if len(text) > width:
        first = next((index for index, mark in enumerate(marks) if mark), 0)
        start = max(0, sum(len(w) for w in words[:first]) - width // 3)
        words, marks = _window(words, marks, start, width)
        if start > 0:
            words, marks = ["… ", *words], [False, *marks]
        if start + width < len(text):
            words, marks = [*words, " …"], [*marks, False]
    pieces, run = [], []
    for word, mark in zip(words, marks, strict=True):
        if mark:
            if run:
                pieces.append(("".join(run), False))
                run = []
            pieces.append((word, True))
        elif word:
            run.append(word)
    if run:
        pieces.append(("".join(run), False))
    return pieces


def _window(words, marks, start, width):
    """The words (and their marks) that overlap characters ``start`` to ``start + width``."""
    kept_words, kept_marks, position = [], [], 0
    for word, mark in zip(words, marks, strict=True):
        end = position + len(word)
        if end > start and position < start + width:
            kept_words.append(word)
            kept_marks.append(mark)
        position = end
    return kept_words, kept_marks
