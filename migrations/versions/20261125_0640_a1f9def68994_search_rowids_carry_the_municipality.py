"""Archive search: SQLite rowids carry the municipality; sessions indexed by (tenant, start).

A search of one municipality (and year) becomes one FTS5 rowid range instead of a municipality
token intersected with the words (see portal/blueprints/sessions/search/sqlite.py). The index
is copied into a new table with the new rowids (tenant << 53 | day << 37 | kind << 36 |
group number mod 2**20 << 16 | sequence) and scope without the "t…" and "y…" tokens, in SQL.
PostgreSQL's index is unchanged (its "y…" lexemes, now unused, stay until a row is rewritten).
The (tenant_id, starts_at) index serves newest-first lists and the search form's years.

Revision ID: a1f9def68994
Revises: e5f2e9da7268
Create Date: 2026-11-25 06:40:11.062437

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a1f9def68994'
down_revision = 'e5f2e9da7268'
branch_labels = None
depends_on = None

COLUMNS = ("scope, title, body, display, kind, tenant_id, group_key, session_id, recording_id,"
           " start_s, speaker")


def _create(name: str) -> str:
    return (f"CREATE VIRTUAL TABLE {name} USING fts5("
            " scope, title, body, display UNINDEXED, kind UNINDEXED, tenant_id UNINDEXED,"
            " group_key UNINDEXED, session_id UNINDEXED, recording_id UNINDEXED,"
            " start_s UNINDEXED, speaker UNINDEXED,"
            " tokenize='unicode61 remove_diacritics 0', prefix='2 3 4')")


NEW_ROWID = ("(tenant_id << 53) | ((rowid >> 40) << 37) | (((rowid >> 39) & 1) << 36)"
             " | (((rowid >> 16) & 1048575) << 16) | (rowid & 65535)")
# "t1 y2024 b3 x1 gs12" -> "b3 x1 gs12"
AFTER_FIRST = "substr(scope, instr(scope, ' ') + 1)"
NEW_SCOPE = (f"CASE WHEN scope GLOB 't[0-9]* y[0-9]* *' THEN"
             f" substr({AFTER_FIRST}, instr({AFTER_FIRST}, ' ') + 1) ELSE scope END")

DAYS = "((rowid >> 37) & 65535)"
OLD_ROWID = (f"({DAYS} << 40) | (((rowid >> 36) & 1) << 39)"
             " | ((CAST(substr(group_key, 2) AS INTEGER) & 8388607) << 16) | (rowid & 65535)")
OLD_SCOPE = (f"'t' || tenant_id || ' y' || strftime('%Y', {DAYS} * 86400, 'unixepoch')"
             " || ' ' || scope")


def _rebuild(rowid: str, scope: str) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(_create("search_fts_rebuilt"))
    rest = COLUMNS.split(", ", 1)[1]
    op.execute(f"INSERT INTO search_fts_rebuilt (rowid, {COLUMNS}) SELECT {rowid}, {scope},"
               f" {rest} FROM search_fts ORDER BY 1")
    op.execute("DROP TABLE search_fts")
    op.execute("ALTER TABLE search_fts_rebuilt RENAME TO search_fts")


def upgrade():
    with op.batch_alter_table('council_sessions', schema=None) as batch_op:
        batch_op.create_index('ix_council_sessions_tenant_id_starts_at', ['tenant_id', 'starts_at'],
                              unique=False)
    _rebuild(NEW_ROWID, NEW_SCOPE)


def downgrade():
    _rebuild(OLD_ROWID, OLD_SCOPE)
    with op.batch_alter_table('council_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_council_sessions_tenant_id_starts_at')
