"""A light stemmer for Georgian nouns and adjectives: every form of a word gives one key.

Search indexes the key of each word beside the word itself and looks a query word's key up,
so ``მალთაყვა`` finds ``მალთაყვის``, ``მალთაყვაში`` and ``მალთაყვასთან``; ``ფოთი`` finds
``ფოთს``; ``უბანი`` finds ``უბნები``. The key is not a dictionary form, only the same for the
forms of one word (and, rarely, for two related words: ``მერი`` and ``მერია``).

The steps, each taken at most once, in this order:

1. a postposition glued to the word (``-ში``, ``-ზე``, ``-თან``, ``-დან``, ``-მდე``, ``-ვით``,
   ``-თვის``, ``-კენ``, ``-გან``, ``-ადმი``, ``-ებრ``); after the ones that take the genitive
   (``ქალაქისთვის``) the genitive ending goes too; the dative's ``-ს`` is already gone before
   ``-ში``/``-ზე``/``-თან`` (``ფოთში``), except ``-სთან``/``-სავით`` after a vowel stem;
2. a case ending: ergative ``-მა`` (after a consonant) / ``-მ`` (after a vowel), dative ``-ს``,
   genitive ``-ის``, instrumental ``-ით`` (``-თი`` after a long ``-ო``/``-უ`` stem),
   adverbial ``-ად``, their long forms ``-ისა``,
   ``-ითა``, ``-ადა``, and the old plural's ``-თა``;
3. final vowels: the nominative ``-ი``, the vocative ``-ო``, and a stem's own ``-ა``/``-ე``/
   ``-ო``, which the genitive truncates (``მალთაყვა`` → ``მალთაყვ-ის``); so all forms agree;
4. the plural ``-ებ-`` (``უბნებში``), then final vowels again (``მოქალაქეები``);
5. syncope: a vowel ``ა``/``ე``/``ო`` before a final ``ლ``/``რ``/``ნ`` is dropped, as
   the genitive and the plural drop it (``უბანი``/``უბნის``, ``ფანჯარა``/``ფანჯრის``,
   ``წელი``/``წლის``): every form's key is the short stem.

Words of other scripts, numbers and words under three letters are returned unchanged.
"""

from __future__ import annotations

import functools
import re

VOWELS = frozenset("აეიოუ")
GEORGIAN = re.compile(r"^[\u10d0-\u10ff]+$")

#: Postpositions glued to a word, longest first: (ending, what comes off the word before it).
#: "genitive" strips the genitive ending left before the postposition; "vowel" requires a
#: vowel before the ending (the vowel stems' ``-სთან``: ``მალთაყვასთან``; ``-ვით`` after
#: ``ი``/``ა``, not the instrumental of ``მალთაყვით``).
_POSTPOSITIONS: tuple[tuple[str, str], ...] = (
    ("სავით", "vowel"),
    ("ამებრ", "genitive"),
    ("სთან", "vowel"),
    ("თვის", "genitive"),
    ("ადმი", "genitive"),
    ("ებრ", "genitive"),
    ("კენ", "genitive"),
    ("გან", "genitive"),
    ("დან", ""),
    ("მდე", ""),
    ("ვით", "vowel"),
    ("თან", ""),
    ("ში", ""),
    ("ზე", ""),
)
_GENITIVE = ("ისა", "ის", "სა", "ს")
#: Case endings, longest first (``-მა``/``-მ`` are handled apart: they depend on the letter
#: before them).
_CASES = ("ისა", "ითა", "ადა", "ის", "ით", "ად", "თა", "ს")
_SYNCOPE_VOWELS = frozenset("აეო")
_SYNCOPE_CONSONANTS = frozenset("ლრნ")


def is_georgian(word: str) -> bool:
    return bool(GEORGIAN.match(word))


def _strip_vowels(word: str) -> str:
    while len(word) > 2 and word[-1] in VOWELS:
        word = word[:-1]
    return word


def _postposition(word: str) -> tuple[str, bool]:
    for ending, rule in _POSTPOSITIONS:
        rest = word[: -len(ending)]
        if word.endswith(ending) and len(rest) >= 3:
            if rule == "vowel" and rest[-1] not in VOWELS:
                continue
            if rule == "genitive":
                for genitive in _GENITIVE:
                    if rest.endswith(genitive) and len(rest) - len(genitive) >= 2 and (
                            genitive[0] == "ი" or rest[-len(genitive) - 1] in VOWELS):
                        return rest[: -len(genitive)], True
            return rest, True
    return word, False


def _case(word: str) -> str:
    if word.endswith("თი") and len(word) >= 6 and word[-3] in "ოუ":
        return word[:-2]  # the instrumental of -ო/-უ stems: საავადმყოფოთი
    if word.endswith("მა") and len(word) >= 5 and word[-3] not in VOWELS:
        return word[:-2]
    if word.endswith("მ") and len(word) >= 4 and word[-2] in VOWELS:
        return word[:-1]
    for ending in _CASES:
        if word.endswith(ending) and len(word) - len(ending) >= (3 if ending == "თა" else 2):
            return word[: -len(ending)]
    return word


def _syncope(word: str) -> str:
    if (len(word) >= 4 or (len(word) == 3 and word.endswith("ელ"))) and (
            word[-1] in _SYNCOPE_CONSONANTS and word[-2] in _SYNCOPE_VOWELS
            and word[-3] not in VOWELS):
        return word[:-2] + word[-1]
    return word


@functools.lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """The key shared by the forms of a Georgian noun or adjective (``word`` lower case)."""
    if len(word) < 3 or not is_georgian(word):
        return word
    word, had_postposition = _postposition(word)
    if not had_postposition:
        word = _case(word)
    word = _strip_vowels(word)
    if word.endswith("ებ") and len(word) >= 4:
        word = _strip_vowels(word[:-2])
    return _syncope(word)


def stems(words) -> list[str]:
    """The distinct keys of ``words``, in order of first appearance."""
    return list(dict.fromkeys(stem(w) for w in words))
