"""Archive search: the vocabulary keeps the first 40 letters of longer words; PostgreSQL's
index gets ``(tenant_id, id)``.

A typed word beginning is searched as the known words it begins (``search_terms``); words
longer than the vocabulary keeps whole were left out of it, so such a search would miss them.
The vocabulary now keeps their first 40 letters (searched as a beginning); this adds those of
the words already indexed (nothing to undo: the extra entries are harmless to the old code).

PostgreSQL searches one municipality with a ``tenant_id`` condition instead of its lexeme: one
municipality's entries newest first are then a backward scan of the new index (measured on
1M entries in 64 municipalities: a common word 200 → 11 ms).

Revision ID: 3f9b2d7c5e18
Revises: ae57114ddd0e
Create Date: 2026-12-05 21:00:00.000000

"""
from alembic import op
from sqlalchemy import text

# revision identifiers, used by Alembic.
revision = '3f9b2d7c5e18'
down_revision = 'ae57114ddd0e'
branch_labels = None
depends_on = None

BATCH = 5000
WORD_LENGTH = 40


def upgrade():
    conn = op.get_bind()
    sqlite = conn.dialect.name == "sqlite"
    table, key = ("search_fts", "rowid") if sqlite else ("search_entries", "id")
    insert = ("INSERT OR IGNORE INTO search_terms (term) VALUES (:t)" if sqlite else
              "INSERT INTO search_terms (term) VALUES (:t) ON CONFLICT DO NOTHING")
    last = -(1 << 63)
    while rows := conn.execute(text(
            f"SELECT {key}, title, body, stems FROM {table} WHERE {key} > :last"
            f" ORDER BY {key} LIMIT :n"), {"last": last, "n": BATCH}).all():
        long = {w[:WORD_LENGTH] for row in rows
                for w in f"{row.title} {row.body} {row.stems}".split() if len(w) > WORD_LENGTH}
        if long:
            conn.execute(text(insert), [{"t": w} for w in sorted(long)])
        last = rows[-1][0]


    if not sqlite:
        op.execute("CREATE INDEX search_entries_tenant ON search_entries (tenant_id, id)")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX search_entries_tenant")
