"""What one query word matches: its spellings (word beginnings) and its stems (word forms).

A Georgian word matches the words it begins (prefix search, as typed) and, through the
stemmer (``portal.services.georgian.stem``), every other form of the same word: the index
keeps each word's stem beside it. A word typed in Latin letters also matches the Georgian
spellings the archive knows (``portal.services.georgian.latin``).

A search runs in two tiers: **exact** (the words as typed, what the search did before) and
then **forms** (matches through a stem only, the exact ones left out), so exact forms come
first and every match is listed once per tier.

A word beginning as typed (``"ბიუჯეტ"*``) makes the full-text indexes merge the matches of
every word it begins before they can seek in them; the known words it begins, searched as exact
words (an OR), are read lazily. ``with_known_words`` swaps one for the other from the
vocabulary (``search_terms``) when the beginning starts at most ``MAX_KNOWN`` words. The
vocabulary keeps words of 2 to ``WORD_LENGTH`` letters and the first ``WORD_LENGTH`` letters of
longer ones; a known word of that length is therefore still searched as a beginning, so the
matches are exactly the prefix's.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from portal.services.georgian import latin
from portal.services.georgian.stem import is_georgian, stem

EXACT, ALL, FORMS = "exact", "all", "forms"
#: Longest word the vocabulary keeps whole (longer ones: their first ``WORD_LENGTH`` letters).
WORD_LENGTH = 40
#: Most known words a typed beginning is searched as; beyond, as the beginning itself.
MAX_KNOWN = 32


@dataclass(frozen=True)
class Term:
    #: As typed (normalised).
    word: str
    #: Matched as word beginnings: the word, and its Georgian spellings if typed in Latin.
    spellings: tuple[str, ...]
    #: Matched against the words' stems.
    keys: tuple[str, ...] = ()
    #: Per spelling: the known words it begins (``with_known_words``), or None (a beginning).
    known: tuple[tuple[str, ...] | None, ...] = ()

    def matches(self) -> list[tuple[str, bool]]:
        """What the words' columns are searched for: (text, is a word beginning) pairs."""
        out = []
        for index, spelling in enumerate(self.spellings):
            words = self.known[index] if index < len(self.known) else None
            if words is None:
                out.append((spelling, True))
            else:
                out += [(w, len(w) >= WORD_LENGTH) for w in words]
        return out


def key_of(word: str) -> str | None:
    """The stem searched for ``word``, or None when the word has no forms to find."""
    return stem(word) if len(word) >= 3 and is_georgian(word) else None


def plain(word: str | Term) -> Term:
    """A word as the search did before word forms: its beginning only."""
    return word if isinstance(word, Term) else Term(word, (word,))


def expand(words: list[str], *, word_forms: bool = True,
           latin_spellings: Callable[[str], list[str]] | None = None) -> list[Term]:
    """The terms of ``words``. ``latin_spellings`` (given for a query without Georgian
    letters) turns a Latin word into the Georgian spellings to search as well."""
    out = []
    for word in words:
        spellings = [word]
        if latin_spellings is not None and latin.is_latin(word):
            spellings += [s for s in latin_spellings(word) if s != word]
        keys = [k for k in (key_of(s) for s in spellings) if k] if word_forms else []
        out.append(Term(word, tuple(spellings), tuple(dict.fromkeys(keys))))
    return out


def with_known_words(terms: list[Term], words_beginning: Callable[[str, int], list[str]],
                     most: int = MAX_KNOWN, shortest: int = 2) -> list[Term]:
    """``terms`` with each spelling of at least ``shortest`` letters that begins 1 to ``most``
    known words searched as those words. ``words_beginning(prefix, n)``: at most ``n``
    vocabulary entries starting with ``prefix``. One-letter beginnings stay (the vocabulary
    keeps no one-letter words)."""
    shortest = max(shortest, 2)
    out = []
    for term in terms:
        known = []
        for spelling in term.spellings:
            words = words_beginning(spelling, most + 1) if len(spelling) >= shortest else []
            known.append(tuple(words) if 0 < len(words) <= most else None)
        out.append(dataclasses.replace(term, known=tuple(known)))
    return out


def has_forms(terms: Iterable[Term]) -> bool:
    return any(t.keys for t in terms)


def also_searched(terms: Iterable[Term]) -> list[str]:
    """The Georgian spellings searched beside the Latin words (said on the page)."""
    return [s for t in terms for s in t.spellings[1:]]


def index_keys(title: str, body: str) -> str:
    """The stems an entry is indexed under (its Georgian words', once each), space-separated."""
    keys = dict.fromkeys(k for k in map(key_of, f"{title} {body}".split()) if k)
    return " ".join(keys)


def vocabulary(title: str, body: str, keys: str) -> set[str]:
    """The words and stems a Latin query's spellings are checked against."""
    return {w[:WORD_LENGTH] for w in f"{title} {body} {keys}".split() if len(w) >= 2}
