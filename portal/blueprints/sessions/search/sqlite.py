"""SQLite FTS5 backend: one virtual table; filters live inside the index.

Municipality, body and has-transcript are tokens of the ``scope`` column, matched in the same
MATCH expression as the words. The year is a range of the FTS5 rowid: entry ids start with
the day of their group (see ``entries``), and FTS5 answers rowid ranges from its own doclists
(it seeks to the range in every term's list), so it is as much inside the index as a token —
and measured faster than a year token, whose long doclist must be intersected.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, text

from portal.blueprints.sessions.search.entries import Entry, group_base

COLUMNS = ("id", "tenant_id", "group_key", "kind", "session_id", "recording_id", "start_s",
           "speaker", "display")


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def match_expression(scope: list[list[str]], terms: list[str]) -> str:
    """``scope : (t1 OR t2) AND scope : y2024 AND {title body} : ("ბიუჯ"* AND ...)``."""
    parts = []
    for alternatives in scope:
        inner = " OR ".join(alternatives)
        parts.append(f"scope : ({inner})")
    if terms:
        parts.append("{title body} : (" + " AND ".join(_quote(t) + "*" for t in terms) + ")")
    return " AND ".join(parts) or "scope : (x0 OR x1)"  # every entry has one of these


def year_range(scope: list[list[str]]) -> tuple[list[list[str]], int | None, int | None]:
    """Take the year token out of ``scope``: (other filters, first id, end id) of that year."""
    years = [int(alts[0][1:]) for alts in scope if len(alts) == 1 and alts[0][0] == "y"]
    rest = [alts for alts in scope if not (len(alts) == 1 and alts[0][0] == "y")]
    if not years:
        return rest, None, None
    return (rest, group_base(date(years[0], 1, 1), "s0"),
            group_base(date(years[0] + 1, 1, 1), "s0"))


class SqliteBackend:
    name = "sqlite"

    def prepare(self, conn: Connection) -> None:
        pass

    def replace_group(self, conn: Connection, group_key: str, entries: list[Entry]) -> None:
        conn.execute(
            text("DELETE FROM search_fts WHERE rowid IN "
                 "(SELECT rowid FROM search_fts WHERE search_fts MATCH :m)"),
            {"m": f"scope : g{group_key}"},
        )
        if entries:
            conn.execute(
                text("INSERT INTO search_fts (rowid, scope, title, body, display, kind,"
                     " tenant_id, group_key, session_id, recording_id, start_s, speaker)"
                     " VALUES (:id, :scope, :title, :body, :display, :kind, :tenant_id,"
                     " :group_key, :session_id, :recording_id, :start_s, :speaker)"),
                [e.__dict__ for e in entries],
            )

    def fetch(self, conn: Connection, scope, terms, before: int | None, limit: int):
        scope, low, high = year_range(scope)
        sql = (f"SELECT rowid AS {', '.join(COLUMNS)} FROM search_fts"
               " WHERE search_fts MATCH :m")
        params = {"m": match_expression(scope, terms), "limit": limit}
        if low is not None:
            params["low"] = low
            before = high if before is None else min(before, high)
            sql += " AND rowid >= :low"
        if before is not None:
            sql += " AND rowid < :before"
            params["before"] = before
        sql += " ORDER BY rowid DESC LIMIT :limit"
        return conn.execute(text(sql), params).all()

    def correct(self, conn: Connection, terms: list[str]) -> list[str] | None:
        return None  # FTS5 has no similarity search; typos are forgiven on PostgreSQL only

    def clear(self, conn: Connection) -> None:
        conn.execute(text("DELETE FROM search_fts"))
