"""The search index: Georgian normalisation, prefixes, filters inside the index, grouping,
paging, and the index following every write."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from portal.blueprints.sessions.council import services
from portal.blueprints.sessions.models import TranscriptSegment
from portal.blueprints.sessions.recordings import recordings
from portal.blueprints.sessions.search import SearchQuery, search, sqlite
from portal.blueprints.sessions.search.entries import base_of
from portal.blueprints.sessions.search.normalise import highlight, normalise, terms
from portal.blueprints.sessions.search.sqlite import LOCAL_MASK
from portal.extensions import db
from portal.tenancy import all_tenants, tenant_context
from tests.helpers import count_queries


def run(tenant_ids, q="", **filters):
    with all_tenants():
        return search(db.session.connection(), SearchQuery(text=q, tenant_ids=tenant_ids,
                                                            **filters))


def test_normalise_folds_mtavruli_and_punctuation():
    assert normalise("ᲑᲘᲣᲯᲔᲢᲘ — „ცვლილებები“!") == "ბიუჯეტი ცვლილებები"
    assert terms("  ბიუჯ,  ბიუჯ  ცვლ ") == ["ბიუჯ", "ცვლ"]


def test_highlight_marks_prefix_matches():
    pieces = highlight("ბიუჯეტის ცვლილებები", ["ბიუჯ"])
    assert pieces == [("ბიუჯეტის", True), (" ცვლილებები", False)]
    # The text between matches is one piece, however many words it has.
    assert highlight("ა ბ, გ ბიუჯ დ", ["ბიუჯ"]) == [("ა ბ, გ ", False), ("ბიუჯ", True),
                                                   (" დ", False)]


def test_prefix_and_mtavruli_query_find_transcript_lines(archives, poti):
    page = run((poti.id,), "ᲬᲧᲐᲚᲐᲠᲘᲜ")
    assert [g.session_id for g in page.groups] == [archives["poti"].session.id]
    hit = page.groups[0].hits[0]
    assert hit.kind == "transcript" and hit.start_s == 190
    assert ("წყალარინების", True) in hit.pieces


def test_results_stay_in_their_municipality(archives, poti, abasha):
    assert run((poti.id,), "მარანი").groups == []
    assert len(run((abasha.id,), "მარანი").groups) == 1
    both = run((poti.id, abasha.id), "წყალარინ")
    assert {g.tenant_id for g in both.groups} == {poti.id, abasha.id}


def test_filters_year_body_and_transcript(archives, poti):
    a = archives["poti"]
    assert [g.session_id for g in run((poti.id,), "ბიუჯ", year=2024).groups] == [a.old_session.id]
    assert [g.session_id for g in run((poti.id,), "ბიუჯ", body_id=a.body.id).groups] == [
        a.session.id]
    with_transcript = run((poti.id,), "ბიუჯ", has_transcript=True)
    assert [g.session_id for g in with_transcript.groups] == [a.session.id]


def test_groups_newest_first_and_unmatched_recording_is_searchable(archives, poti):
    a = archives["poti"]
    page = run((poti.id,), "")
    keys = [g.key for g in page.groups]
    assert keys == [f"s{a.session.id}", f"s{a.old_session.id}", f"r{a.lone.id}"]
    lone = run((poti.id,), "ტყის")
    assert lone.groups[0].session_id is None and lone.groups[0].recording_id == a.lone.id


def test_cursor_paging_visits_every_group_once(archives, poti):
    seen, before = [], None
    for _ in range(5):
        page = run((poti.id,), "", before=before, per_page=1)
        seen += [g.key for g in page.groups]
        before = page.next_cursor
        if before is None:
            break
    assert len(seen) == len(set(seen)) == 3


def test_cursor_paging_across_municipalities_is_newest_first(archives, poti, abasha):
    """Several municipalities: one scan each, merged by date; the cursor resumes each."""
    everything = run((poti.id, abasha.id), "", per_page=10)
    assert len(everything.groups) == 6 and everything.next_cursor is None
    seen, before = [], None
    for _ in range(10):
        page = run((poti.id, abasha.id), "", before=before, per_page=2)
        seen += [g.key for g in page.groups]
        before = page.next_cursor
        if before is None:
            break
    assert seen == [g.key for g in everything.groups]
    days = [base_of(g.hits[0].id) >> 40 for g in everything.groups]
    if db.session.connection().dialect.name == "sqlite":
        days = [(base_of(g.hits[0].id) & LOCAL_MASK) >> 37 for g in everything.groups]
    assert days == sorted(days, reverse=True)


def test_every_municipality_without_a_filter_is_newest_first(archives, poti, abasha):
    named = run((poti.id, abasha.id), "ბიუჯ", per_page=10)
    assert len({g.tenant_id for g in named.groups}) == 2
    assert [g.key for g in run((), "ბიუჯ", per_page=10).groups] == [g.key for g in named.groups]


def test_sqlite_rowids_put_the_municipality_above_the_entry_id():
    entry = base_of((20000 << 40) | (5 << 16)) + 7
    assert sqlite.rowid(3, entry) >> 53 == 3 and sqlite.rowid(3, entry) & 0xFFFF == 7
    assert sqlite.rowid(2, entry) < sqlite.rowid(3, entry - 1)  # one range per municipality
    with pytest.raises(ValueError):
        sqlite.rowid(sqlite.MAX_TENANT + 1, entry)


def test_a_page_that_reads_too_many_matches_ends_with_a_cursor(archives, poti, monkeypatch):
    """The work of one page is bounded; the rest is reached through the cursor."""
    if db.session.connection().dialect.name != "sqlite":
        pytest.skip("SQLite's lazy scan; PostgreSQL bounds its chunks (MAX_CHUNKS)")
    monkeypatch.setattr(sqlite, "MAX_SCANNED", 2)
    first = run((poti.id,), "", per_page=10)
    assert first.groups and first.next_cursor is not None
    rest = run((poti.id,), "", per_page=10, before=first.next_cursor)
    keys = [g.key for g in first.groups] + [g.key for g in rest.groups]
    assert len(keys) == len(set(keys))


def test_index_follows_writes(archives, poti):
    a = archives["poti"]
    with tenant_context(poti):
        segment = a.recording and db.session.scalars(
            db.select(TranscriptSegment).where(
                TranscriptSegment.recording_id == a.recording.id)).first()
        recordings.correct_segment(segment, "ზღვისპირა პარკის მშენებლობა")
        assert run((poti.id,), "ზღვისპირ").groups
        services.update_session(a.old_session, title="გადარქმეული სხდომა")
        assert run((poti.id,), "გადარქმ").groups[0].session_id == a.old_session.id
        recordings.confirm_match(a.lone, a.session)
        assert run((poti.id,), "ტყის").groups[0].session_id == a.session.id
        db.session.delete(a.old_session)
        db.session.flush()
        assert run((poti.id,), "გადარქმ").groups == []


def test_filters_are_inside_the_match(archives, poti, app):
    """On SQLite, tenant and year are part of the full-text query (rowid ranges), never a
    WHERE beside MATCH. PostgreSQL's year is a partition (an id range); its municipality is
    a ``tenant_id`` condition with its own (tenant_id, id) index, not a lexeme."""
    conn = db.session.connection()
    with count_queries(conn.engine) as statements:
        run((poti.id,), "ბიუჯ", year=2025)
    fts = [s for s in statements if "search_" in s and "search_terms" not in s]
    assert fts
    for statement in fts:
        lowered = statement.lower()
        if conn.dialect.name == "sqlite":
            assert "tenant_id =" not in lowered and "tenant_id=" not in lowered
        assert "year" not in lowered
    if conn.dialect.name == "postgresql":
        assert any("tenant_id = %(tenant)s" in s.lower() for s in fts)




def test_postgres_forgives_typos(archives, poti):
    conn = db.session.connection()
    if conn.dialect.name != "postgresql":
        pytest.skip("pg_trgm typo correction is a PostgreSQL feature")
    page = run((poti.id,), "წყალარინბის")
    assert page.corrected and page.groups


def test_reindex_all_rebuilds_the_same_index(archives, poti):
    conn = db.session.connection()
    table = "search_entries" if conn.dialect.name == "postgresql" else "search_fts"
    before = conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()
    from portal.blueprints.sessions.search import reindex_all

    reindex_all(conn)
    assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() == before
