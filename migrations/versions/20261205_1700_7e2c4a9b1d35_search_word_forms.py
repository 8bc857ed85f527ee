"""Archive search: Georgian word forms (a stems column) and a vocabulary for Latin typing.

Each index entry gets the stems of its title's and body's Georgian words
(``portal.services.georgian.stem``), searched beside the words so that any form of a word
finds the others: SQLite's FTS5 table is rebuilt with a ``stems`` column, PostgreSQL's
``search_entries`` gets a ``stems`` column at weight C of its tsvector. The stems of the
existing entries are computed here (the reindex step; ``flask archive reindex`` rebuilds the
whole index from the tables as well). SQLite gets the ``search_terms`` vocabulary PostgreSQL
already had (words and stems), which reads Latin typing as Georgian.

Revision ID: 7e2c4a9b1d35
Revises: bcc7a6127f89
Create Date: 2026-12-05 17:00:00.000000

"""
from alembic import op
from sqlalchemy import text

from portal.services.georgian.stem import is_georgian, stem

# revision identifiers, used by Alembic.
revision = '7e2c4a9b1d35'
down_revision = 'bcc7a6127f89'
branch_labels = None
depends_on = None

BATCH = 5000
COLUMNS = ("scope, title, body, display, kind, tenant_id, group_key, session_id, recording_id,"
           " start_s, speaker")


def _keys(title: str, body: str) -> str:
    words = f"{title} {body}".split()
    return " ".join(dict.fromkeys(stem(w) for w in words if len(w) >= 3 and is_georgian(w)))


def _vocabulary(title: str, body: str, keys: str) -> set[str]:
    return {w for w in f"{title} {body} {keys}".split() if 2 <= len(w) <= 40}


def _fts(name: str, stems: bool) -> str:
    return (f"CREATE VIRTUAL TABLE {name} USING fts5("
            f" scope, title, body,{' stems,' if stems else ''} display UNINDEXED,"
            " kind UNINDEXED, tenant_id UNINDEXED, group_key UNINDEXED, session_id UNINDEXED,"
            " recording_id UNINDEXED, start_s UNINDEXED, speaker UNINDEXED,"
            " tokenize='unicode61 remove_diacritics 0', prefix='2 3 4')")


def _batches(conn, sql: str):
    """Rows of ``sql`` (which selects ``key`` first and takes ``:last``) a batch at a time."""
    last = -(1 << 63)
    while rows := conn.execute(text(sql), {"last": last, "n": BATCH}).all():
        yield rows
        last = rows[-1][0]


def _upgrade_sqlite(conn) -> None:
    op.execute(_fts("search_fts_rebuilt", stems=True))
    op.execute("CREATE TABLE search_terms (term text PRIMARY KEY) WITHOUT ROWID")
    columns = COLUMNS.split(", ")
    names = ", ".join(["rowid", *columns, "stems"])
    values = ", ".join(f":{c}" for c in ["rowid", *columns, "stems"])
    for rows in _batches(conn, f"SELECT rowid, {COLUMNS} FROM search_fts WHERE rowid > :last"
                               " ORDER BY rowid LIMIT :n"):
        out, words = [], set()
        for row in rows:
            values_of = dict(row._mapping)
            values_of["stems"] = _keys(row.title, row.body)
            words |= _vocabulary(row.title, row.body, values_of["stems"])
            out.append(values_of)
        conn.execute(text(f"INSERT INTO search_fts_rebuilt ({names}) VALUES ({values})"), out)
        if words:
            conn.execute(text("INSERT OR IGNORE INTO search_terms (term) VALUES (:t)"),
                         [{"t": w} for w in sorted(words)])
    op.execute("DROP TABLE search_fts")
    op.execute("ALTER TABLE search_fts_rebuilt RENAME TO search_fts")


def _downgrade_sqlite() -> None:
    op.execute(_fts("search_fts_rebuilt", stems=False))
    op.execute(f"INSERT INTO search_fts_rebuilt (rowid, {COLUMNS}) SELECT rowid, {COLUMNS}"
               " FROM search_fts ORDER BY rowid")
    op.execute("DROP TABLE search_fts")
    op.execute("ALTER TABLE search_fts_rebuilt RENAME TO search_fts")
    op.execute("DROP TABLE search_terms")


def _tsv(stems: bool) -> str:
    return ("ALTER TABLE search_entries ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
            " setweight(to_tsvector('simple', scope), 'A')"
            " || setweight(to_tsvector('simple', title), 'B')"
            + (" || setweight(to_tsvector('simple', stems), 'C')" if stems else "")
            + " || to_tsvector('simple', body)) STORED")


def _upgrade_postgres(conn) -> None:
    op.execute("DROP INDEX search_entries_tsv")
    op.execute("ALTER TABLE search_entries DROP COLUMN tsv")
    op.execute("ALTER TABLE search_entries ADD COLUMN stems text NOT NULL DEFAULT ''")
    for rows in _batches(conn, "SELECT id, title, body FROM search_entries WHERE id > :last"
                               " ORDER BY id LIMIT :n"):
        updates = [{"id": r.id, "stems": _keys(r.title, r.body)} for r in rows]
        conn.execute(text("UPDATE search_entries SET stems = :stems WHERE id = :id"), updates)
        words = set().union(*(_vocabulary(r.title, r.body, u["stems"])
                              for r, u in zip(rows, updates, strict=True)))
        if words:
            conn.execute(text("INSERT INTO search_terms (term) SELECT unnest(CAST(:w AS text[]))"
                              " ON CONFLICT DO NOTHING"), {"w": sorted(words)})
    op.execute(_tsv(stems=True))
    op.execute("CREATE INDEX search_entries_tsv ON search_entries USING gin (tsv)")


def _downgrade_postgres() -> None:
    op.execute("DROP INDEX search_entries_tsv")
    op.execute("ALTER TABLE search_entries DROP COLUMN tsv")
    op.execute("ALTER TABLE search_entries DROP COLUMN stems")
    op.execute(_tsv(stems=False))
    op.execute("CREATE INDEX search_entries_tsv ON search_entries USING gin (tsv)")


def upgrade():
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        _upgrade_postgres(conn)
    else:
        _upgrade_sqlite(conn)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        _downgrade_postgres()
    else:
        _downgrade_sqlite()
