"""A typed word beginning is searched as the known words it begins (``forms.with_known_words``)
and finds exactly what the beginning itself finds, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from portal.blueprints.sessions.models import Recording
from portal.blueprints.sessions.recordings import recordings
from portal.blueprints.sessions.search import SearchQuery, backend_for, known_words, search
from portal.blueprints.sessions.search.forms import (
    MAX_KNOWN,
    WORD_LENGTH,
    plain,
    vocabulary,
    with_known_words,
)
from portal.blueprints.sessions.search.postgres import tsquery
from portal.blueprints.sessions.search.sqlite import match_expression
from portal.blueprints.sessions.sources.transcripts import Cue
from portal.extensions import db
from portal.tenancy import all_tenants, tenant_context
from tests.helpers import count_queries

#: Longer than the vocabulary keeps whole: it is kept as its first WORD_LENGTH letters.
LONG = "ბიუჯეტ" + "ისა" * 15
LONGER = LONG + "ში"


@pytest.fixture
def budget(archives, poti, abasha):
    """Forms of ბიუჯეტი (and two words too long for the vocabulary) in Poti's transcripts,
    a one-letter word, and ბიუჯეტი in Abasha too."""
    assert len(LONG) > WORD_LENGTH
    lines = [(poti, ["ბიუჯეტი დამტკიცდა", "ბიუჯეტის ცვლილებები ა და ბ", f"{LONG} სიტყვა",
                    f"{LONGER} და ბიუჯეტში", "ბიუჯეტირება 2026 წლის"]),
             (abasha, ["ბიუჯეტი აბაშაში"])]
    with all_tenants():
        for tenant, texts in lines:
            with tenant_context(tenant):
                recording = Recording(source="youtube", external_id=f"budget{tenant.id}",
                                      url="https://www.youtube.com/watch?v=b", title="ბიუჯეტი",
                                      published_at=datetime(2022, 2, 2, 8, tzinfo=UTC))
                db.session.add(recording)
                db.session.flush()
                recordings.replace_transcript(
                    recording, [Cue(10 * i, 10 * i + 5, text) for i, text in enumerate(texts)])
        db.session.flush()
    return archives


def page_of(tenant_ids, q, **options):
    with all_tenants():
        page = search(db.session.connection(), SearchQuery(text=q, tenant_ids=tenant_ids,
                                                           **options))
    return [(g.key, g.forms, [h.id for h in g.hits]) for g in page.groups], page.next_cursor


PREFIXES = ["ა", "ბი", "ბიუ", "ბიუჯ", "ბიუჯეტ", "ბიუჯეტი", "ბიუჯეტის", "ბიუჯეტირ",
            LONG[:WORD_LENGTH - 1], LONG[:WORD_LENGTH], LONG[:WORD_LENGTH + 1], LONG, LONGER,
            "ბიუჯეტ წლის", "სხდ", "წყალარ", "202", "ზზზზ", "budget", "biujeti"]


@pytest.mark.parametrize("word_forms", [False, True])
def test_the_known_words_find_what_the_beginning_finds(budget, poti, abasha, word_forms):
    for tenants in ((poti.id,), (abasha.id,), (poti.id, abasha.id)):
        for q in PREFIXES:
            for per_page in (1, 10):
                prefix = page_of(tenants, q, word_forms=word_forms, per_page=per_page,
                                 known_words=False)
                for known in (True, None):  # always; the backend's default
                    expanded = page_of(tenants, q, word_forms=word_forms, per_page=per_page,
                                       known_words=known)
                    assert expanded == prefix, (tenants, q, per_page, known)
    # Not vacuous: the long words and the one-letter word are found.
    found, _ = page_of((poti.id,), LONG[:WORD_LENGTH], word_forms=word_forms, known_words=True)
    assert sum(len(ids) for _, _, ids in found) == 2
    found, _ = page_of((poti.id,), LONGER, word_forms=word_forms, known_words=True)
    assert sum(len(ids) for _, _, ids in found) == 1
    assert page_of((poti.id,), "ა", word_forms=word_forms)[0]


def test_a_beginning_becomes_its_known_words(budget):
    with all_tenants():
        conn = db.session.connection()
        [term] = known_words(conn, always=True, words=["ბიუჯეტ"])
        [long_term] = known_words(conn, always=True, words=[LONG[:30]])
        [one_letter] = known_words(conn, always=True, words=["ა"])
        [unknown] = known_words(conn, always=True, words=["ზზზზ"])
    assert {"ბიუჯეტი", "ბიუჯეტის", "ბიუჯეტში", "ბიუჯეტირება"} <= set(term.known[0])
    assert ("ბიუჯეტი", False) in term.matches()
    # The long words are in the vocabulary as their first WORD_LENGTH letters, searched as
    # a beginning: both long words are found through it.
    assert long_term.matches() == [(LONG[:WORD_LENGTH], True)]
    # The vocabulary keeps no one-letter words; nothing known: the beginning itself.
    assert one_letter.known == (None,) and one_letter.matches() == [("ა", True)]
    assert unknown.known == (None,) and unknown.matches() == [("ზზზზ", True)]


def test_more_known_words_than_the_cap_stay_a_beginning(budget):
    with all_tenants():
        conn = db.session.connection()
        backend = backend_for(conn)
        starting = backend.words_beginning(conn, "ბიუჯ", 100)
        [term] = with_known_words([plain("ბიუჯ")],
                                  lambda p, n: backend.words_beginning(conn, p, n),
                                  most=len(starting) - 1)
        [kept] = with_known_words([plain("ბიუჯ")],
                                  lambda p, n: backend.words_beginning(conn, p, n),
                                  most=len(starting))
    assert 4 <= len(starting) <= MAX_KNOWN
    assert term.matches() == [("ბიუჯ", True)]
    assert [w for w, _ in kept.matches()] == starting


def test_the_expressions_name_the_known_words():
    term = plain("ბიუჯ")
    term = type(term)(term.word, term.spellings, known=(("ბიუჯეტი", "ბიუჯ" + "ა" * 36),))
    sqlite = match_expression([], [term])
    assert '"ბიუჯეტი" OR "ბიუჯ' in sqlite and sqlite.count("*") == 1
    assert tsquery([], [term]) == "('ბიუჯეტი':BD | 'ბიუჯ" + "ა" * 36 + "':*BD)"


def test_the_vocabulary_keeps_the_beginning_of_long_words():
    assert vocabulary("", f"{LONG} ა ბიუჯეტი", "") == {LONG[:WORD_LENGTH], "ბიუჯეტი"}


def test_where_each_database_searches_the_known_words(budget, poti):
    """SQLite's prefix index answers beginnings of up to 4 letters faster than their words;
    longer ones are merged doclists. PostgreSQL's GIN gains only where a beginning is
    intersected with other words (docs/performance.md)."""
    conn = db.session.connection()
    postgres = conn.dialect.name == "postgresql"
    for q, sqlite_looks, postgres_looks in (("ბიუჯ", False, False), ("ბიუჯეტ", True, False),
                                            ("ბიუჯეტ წლის", True, True)):
        with count_queries(conn.engine) as statements:
            page_of((poti.id,), q, word_forms=False)
        assert any("search_fts" in s or "search_entries" in s for s in statements)
        looked = any("search_terms" in s for s in statements)
        assert looked == (postgres_looks if postgres else sqlite_looks), q
