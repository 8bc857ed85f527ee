"""Georgian typed in Latin letters, read back as Georgian spellings.

Many people type ``maltakva``, ``sakrebulo``, ``biujeti``, ``t'bilisi`` or ``saqartvelo``.
The national romanisation (``romanisation.NATIONAL``, the table SMS uses the other way) and
the common informal spellings (``q`` for ყ or ქ, ``w`` for წ, ``x`` for ხ, ``k`` for ყ, ``c``
for ც or ჩ, ``th``/``ph``/``kh``...) make one Latin word stand for several Georgian ones:
``t`` is თ or ტ, ``k`` კ, ქ or ყ, ``p`` პ or ფ, ``ts`` ც or წ, ``ch`` ჩ or ჭ. ``spellings``
lists them; the caller keeps the ones its vocabulary knows (``candidates``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from portal.services.georgian.romanisation import NATIONAL

GEORGIAN_LETTER = re.compile(r"[\u10d0-\u10ff\u1c90-\u1cbf]")
LATIN_WORD = re.compile(r"^[a-z'’`ʼ]+$")
#: ``ʼ`` (U+02BC) is what ``keep_apostrophes`` turns them into: a letter to the word splitter.
APOSTROPHES = "'’`ʼ"
_APOSTROPHE = re.compile(r"(?<=[a-zA-Z])['’`](?=[a-zA-Z])")

#: Latin → Georgian letters, the likelier first; longer Latin spellings are tried first.
_TABLE: dict[str, tuple[str, ...]] = {
    "dzh": ("ჯ",), "tch": ("ჭ", "ჩ"), "ts": ("ც", "წ"), "tz": ("წ", "ც"), "ch": ("ჩ", "ჭ"), "dz": ("ძ",),
    "sh": ("შ",), "zh": ("ჟ",), "gh": ("ღ",), "kh": ("ხ",), "th": ("თ",), "ph": ("ფ",),
    "a": ("ა",), "b": ("ბ",), "c": ("ც", "ჩ"), "d": ("დ",), "e": ("ე",), "f": ("ფ",),
    "g": ("გ",), "h": ("ჰ", "ხ"), "i": ("ი",), "j": ("ჯ", "ჟ"), "k": ("კ", "ქ", "ყ"),
    "l": ("ლ",), "m": ("მ",), "n": ("ნ",), "o": ("ო",), "p": ("პ", "ფ"), "q": ("ქ", "ყ"),
    "r": ("რ",), "s": ("ს",), "t": ("თ", "ტ"), "u": ("უ",), "v": ("ვ",), "w": ("წ", "ვ"),
    "x": ("ხ",), "y": ("ყ", "ი"), "z": ("ზ",),
}
# The strict national spellings: an apostrophe marks the ejective (k' კ, t' ტ, ts' წ ...);
# older scholarly spellings put it on the aspirate instead (t'bilisi for თბილისი), second.
_ASPIRATE = {"k'": "ქ", "p'": "ფ", "t'": "თ", "ts'": "ც", "ch'": "ჩ"}
for _letter, _latin in NATIONAL.items():
    if _latin.endswith("'"):
        _TABLE[_latin] = (_letter, _ASPIRATE[_latin]) if _latin in _ASPIRATE else (_letter,)
_LONGEST = max(len(k) for k in _TABLE)
#: Words longer than this are not read as Georgian (a URL, a code).
MAX_LETTERS = 30
MAX_SPELLINGS = 64


def has_georgian(text: str) -> bool:
    return bool(GEORGIAN_LETTER.search(text))


def is_latin(word: str) -> bool:
    return bool(LATIN_WORD.match(word)) and len(word.strip(APOSTROPHES)) <= MAX_LETTERS


def keep_apostrophes(text: str) -> str:
    """``t'bilisi`` kept one word by a splitter that cuts at punctuation."""
    return _APOSTROPHE.sub("ʼ", text)


def letters(word: str) -> list[tuple[str, ...]]:
    """The Georgian letters ``word`` (lower-case Latin) may stand for, one tuple a position."""
    word = word.replace("ʼ", "'")
    out, i = [], 0
    while i < len(word):
        for size in range(_LONGEST, 0, -1):
            chunk = word[i:i + size]
            if chunk in _TABLE:
                out.append(_TABLE[chunk])
                i += size
                break
        else:
            i += 1  # an apostrophe on its own, or a letter we do not read
    return out


def spelling(word: str) -> str:
    """The likeliest Georgian spelling (each position's first letter)."""
    return "".join(options[0] for options in letters(word))


def _readings(word: str, keep: Callable[[str], bool] | None, limit: int) -> list[str]:
    """Georgian readings of ``word``, likeliest first: every way of cutting it into table
    entries (``tsh`` is ც+ჰ or თ+შ), every letter each may stand for; a partial reading
    goes on only while ``keep`` accepts it, and at most ``limit`` go on at each step."""
    word = word.replace("ʼ", "'")
    states, done = [(0, "")], []
    while states:
        grown = []
        for start, reading in states:
            if start >= len(word):
                done.append(reading)
                continue
            matched = False
            for size in range(_LONGEST, 0, -1):
                for letter in _TABLE.get(word[start:start + size], ()):
                    matched = True
                    grown.append((start + size, reading + letter))
            if not matched:
                grown.append((start + 1, reading))  # an apostrophe on its own
        if keep is not None:
            grown = [(i, r) for i, r in grown if keep(r)]
        states = grown[:limit]
    return list(dict.fromkeys(r for r in done if r))


def spellings(word: str, limit: int = MAX_SPELLINGS) -> list[str]:
    """Georgian spellings of ``word``, likeliest first, at most ``limit``."""
    return _readings(word, None, limit)[:limit]


def candidates(word: str, has_prefix: Callable[[str], bool],
               known: Callable[[Iterable[str]], set[str]], key: Callable[[str], str],
               most: int = 4) -> list[str]:
    """The Georgian spellings of ``word`` that the archive knows, likeliest first, at most
    ``most``.

    Letter by letter, a spelling is kept while some known word starts with it
    (``has_prefix``), so a word typed halfway still finds its Georgian words. When none
    survives (the text has another form of the word: ``maltakvashi`` when only
    ``მალთაყვის`` was said), the spellings whose stem (``key``) is known are kept.
    """
    probed: dict[str, bool] = {}

    def keep(prefix: str) -> bool:
        if prefix not in probed:
            probed[prefix] = has_prefix(prefix)
        return probed[prefix]

    found = _readings(word, keep, 16)
    if found:
        return found[:most]
    every = spellings(word)
    keys = {s: key(s) for s in every}
    known_keys = known(set(keys.values()))
    return [s for s in every if keys[s] in known_keys][:most]
