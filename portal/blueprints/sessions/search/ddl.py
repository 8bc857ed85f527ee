"""The search index tables, per dialect, as the migrations leave them (the council archive's
migration created them; the word forms' migration added ``stems`` and SQLite's vocabulary).

They stay out of the SQLAlchemy metadata (migrations/env.py skips ``search_*`` tables), because
an FTS5 virtual table and a generated tsvector column have no portable description.
"""

SQLITE_UPGRADE = [
    # scope holds filter tokens (body, has-transcript, group) so that filters are part of
    # the MATCH; the municipality and the year are rowid ranges (rowid = tenant << 53 |
    # entry id, see sqlite.py; migration a1f9def68994). display and the ids are stored,
    # not indexed. stems: the stems of the title's and body's Georgian words (forms.py).
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    " scope, title, body, stems, display UNINDEXED, kind UNINDEXED, tenant_id UNINDEXED,"
    " group_key UNINDEXED, session_id UNINDEXED, recording_id UNINDEXED, start_s UNINDEXED,"
    " speaker UNINDEXED, tokenize='unicode61 remove_diacritics 0', prefix='2 3 4')",
    # The vocabulary (words and stems), for reading Latin typing as Georgian.
    "CREATE TABLE search_terms (term text PRIMARY KEY) WITHOUT ROWID",
]
SQLITE_DOWNGRADE = ["DROP TABLE IF EXISTS search_terms", "DROP TABLE IF EXISTS search_fts"]

# Entry ids start with the day of their group (entries.group_base: days since 1970 << 40), so
# a range of ids is a range of dates: the table is partitioned by year on id, and a year filter
# reaches one partition's (smaller) GIN index instead of intersecting a year lexeme.
def _year_partitions(first: int = 2000, last: int = 2040) -> list[str]:
    from datetime import date

    def start(year: int) -> int:
        return (date(year, 1, 1) - date(1970, 1, 1)).days << 40

    return [f"CREATE TABLE search_entries_y{y} PARTITION OF search_entries"
            f" FOR VALUES FROM ({start(y)}) TO ({start(y + 1)})" for y in range(first, last + 1)
            ] + ["CREATE TABLE search_entries_other PARTITION OF search_entries DEFAULT"]


POSTGRES_UPGRADE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE TABLE search_entries ("
    " id bigint PRIMARY KEY, tenant_id integer NOT NULL, group_key varchar(40) NOT NULL,"
    " scope text NOT NULL, title text NOT NULL DEFAULT '', body text NOT NULL DEFAULT '',"
    " stems text NOT NULL DEFAULT '', display text NOT NULL DEFAULT '', kind varchar(20) NOT NULL, session_id integer,"
    " recording_id integer, start_s double precision, speaker text NOT NULL DEFAULT '',"
    " tsv tsvector GENERATED ALWAYS AS ("
    "  setweight(to_tsvector('simple', scope), 'A')"
    "  || setweight(to_tsvector('simple', title), 'B')"
    "  || setweight(to_tsvector('simple', stems), 'C')"
    "  || to_tsvector('simple', body)) STORED) PARTITION BY RANGE (id)",
    *_year_partitions(),
    "CREATE INDEX search_entries_tsv ON search_entries USING gin (tsv)",
    "CREATE INDEX search_entries_group ON search_entries (group_key)",
    # One municipality's entries newest first (migration 3f9b2d7c5e18).
    "CREATE INDEX search_entries_tenant ON search_entries (tenant_id, id)",
    # The vocabulary (words and stems), for forgiving typos (a misspelt term is replaced by
    # its nearest word) and reading Latin typing as Georgian.
    "CREATE TABLE search_terms (term text PRIMARY KEY)",
    "CREATE INDEX search_terms_trgm ON search_terms USING gin (term gin_trgm_ops)",
]
POSTGRES_DOWNGRADE = ["DROP TABLE IF EXISTS search_terms", "DROP TABLE IF EXISTS search_entries"]


def is_search_table(name: str | None) -> bool:
    return bool(name) and name.startswith("search_")
