"""SQLite FTS5 backend: one virtual table; filters live inside the index.

The municipality and the year are ranges of the FTS5 rowid: a rowid is the municipality's id
above the entry id (``rowid``), and entry ids start with the day of their group (see
``entries``), so one municipality's entries of one year are one contiguous range. FTS5 answers
rowid ranges from its own doclists (it seeks to the range in every term's list), so such a
filter costs nothing beyond the words: measured cheaper than a municipality token, whose long
doclist (half the archive) must be intersected with the words'. Body and has-transcript are
tokens of the ``scope`` column, matched in the same MATCH expression as the words.

Newest first across several municipalities: one lazy statement per municipality, merged on the
entry id (the rowid below the municipality's bits).
"""

from __future__ import annotations

import heapq
import json

from sqlalchemy import Connection, DateTime, text

from portal.blueprints.sessions.search.entries import (
    COLUMNS,
    SEQ_BITS,
    Entry,
    ScanTruncated,
    year_range,
)
from portal.blueprints.sessions.search.forms import (
    ALL,
    EXACT,
    FORMS,
    Term,
    index_keys,
    plain,
    vocabulary,
)

#: Matches one page may step over (a group's matches beyond the shown ones included).
MAX_SCANNED = 50_000

# rowid = tenant (10 bits) | day (16) | kind (1) | group number (20) | sequence (16): the entry id
# (days << 40 | kind << 39 | number (23 bits) << 16 | seq) repacked under the municipality.
TENANT_SHIFT = 53
MAX_TENANT = (1 << (63 - TENANT_SHIFT)) - 1
LOCAL_MASK = (1 << TENANT_SHIFT) - 1
NUMBER_MASK = (1 << 20) - 1
SEQ_MASK = (1 << SEQ_BITS) - 1


def local_id(entry_id: int) -> int:
    """The entry id in the 53 bits below the municipality (group numbers modulo 2**20)."""
    return ((entry_id >> 40) << 37 | ((entry_id >> 39) & 1) << 36
            | ((entry_id >> 16) & NUMBER_MASK) << 16 | (entry_id & SEQ_MASK))


def rowid(tenant_id: int, entry_id: int) -> int:
    if not 0 < tenant_id <= MAX_TENANT:
        raise ValueError(f"tenant id {tenant_id} does not fit the search index's rowid")
    return tenant_id << TENANT_SHIFT | local_id(entry_id)


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _term(term: Term, mode: str) -> str:
    """``{title body} : ("ბიუჯ"*)``, or with the stems: ``(... OR stems : ("ბიუჯ"))``."""
    words = "{title body} : (" + " OR ".join(
        _quote(s) + ("*" if prefix else "") for s, prefix in term.matches()) + ")"
    if mode == EXACT or not term.keys:
        return words
    return f"({words} OR stems : ({' OR '.join(_quote(k) for k in term.keys)}))"


def match_expression(scope: list[list[str]], terms, mode: str = EXACT) -> str:
    """``scope : (b3) AND scope : (x1) AND {title body} : ("ბიუჯ"*) AND ...``; ``mode`` ALL
    lets each word match through its stem as well, FORMS only through its stem (the
    exact matches left out: ``(all words) NOT (exact words)``)."""
    parts, excluded = [], []
    for alternatives in scope:
        if alternatives[0].startswith("-"):  # another feature's groups, left out
            excluded.append(alternatives[0][1:])
            continue
        inner = " OR ".join(alternatives)
        parts.append(f"scope : ({inner})")
    terms = [plain(t) for t in terms]
    if terms:
        words = " AND ".join(_term(t, ALL if mode == FORMS else mode) for t in terms)
        if mode == FORMS:
            exact = " AND ".join(_term(t, EXACT) for t in terms)
            words = f"({words}) NOT ({exact})"
        parts.append(f"({words})")
    expression = " AND ".join(parts) or "scope : (x0 OR x1)"  # every entry has one of these
    if excluded:
        expression = f"({expression}) NOT scope : ({' OR '.join(excluded)})"
    return expression


def split_scope(scope: list[list[str]]):
    """(municipality ids or None for all, first and end local id or None, token filters)."""
    rest, low, high = year_range(scope)
    tenants = None
    tokens = []
    for alternatives in rest:
        if alternatives[0][0] == "t":
            tenants = sorted({int(t[1:]) for t in alternatives})
        else:
            tokens.append(alternatives)
    if low is not None:
        low, high = local_id(low), local_id(high)
    return tenants, low, high, tokens


def _order(rowid: int) -> tuple[int, int]:
    return rowid & LOCAL_MASK, rowid >> TENANT_SHIFT


def _rowids(result, first: int = 64, most: int = 2048):
    """The rowids ``result`` selects, read from the driver's cursor in growing batches: plain
    tuples, not SQLAlchemy rows (a page of common words steps over hundreds)."""
    cursor, size = result.cursor, first
    while rows := cursor.fetchmany(size):
        for (rowid,) in rows:
            yield rowid
        size = min(size * 4, most)


# A session group's heading from its session (and body), a lone recording's from itself, by
# the ids the entry stores (entries are the ones the search's municipality ranges chose).
_COMPLETE = text(
    f"SELECT {', '.join('f.rowid AS id' if c == 'id' else 'f.' + c for c in COLUMNS)},"
    " coalesce(s.title, r.title) AS heading_title,"
    " coalesce(s.starts_at, r.published_at) AS heading_at,"
    " b.name_ka AS body_name_ka, b.name_en AS body_name_en"
    " FROM search_fts AS f"
    " LEFT JOIN council_sessions AS s ON s.id = f.session_id"
    " LEFT JOIN council_bodies AS b ON b.id = s.body_id"
    " LEFT JOIN council_recordings AS r ON f.session_id IS NULL AND r.id = f.recording_id"
    " WHERE f.rowid IN (SELECT value FROM json_each(:ids))"
).columns(heading_at=DateTime(timezone=True))


class SqliteBackend:
    name = "sqlite"
    #: A word beginning searched as the known words it begins: FTS5 merges every doclist of
    #: a beginning before it can seek in it, and reads exact words lazily. Beginnings of up to
    #: 4 letters have their own prefix index (``prefix='2 3 4'``), faster than the words.
    expands_prefixes = True
    expands_from = 5
    expands_with_words = 1
    #: ``complete`` reads the groups' headings with their entries.
    headings_in_rows = True

    def prepare(self, conn: Connection) -> None:
        pass

    def replace_group(self, conn: Connection, group_key: str, entries: list[Entry]) -> None:
        conn.execute(
            text("DELETE FROM search_fts WHERE rowid IN "
                 "(SELECT rowid FROM search_fts WHERE search_fts MATCH :m)"),
            {"m": f"scope : g{group_key}"},
        )
        if not entries:
            return
        rows = [e.__dict__ | {"rowid": rowid(e.tenant_id, e.id),
                              "stems": index_keys(e.title, e.body)} for e in entries]
        conn.execute(
            text("INSERT INTO search_fts (rowid, scope, title, body, stems, display, kind,"
                 " tenant_id, group_key, session_id, recording_id, start_s, speaker)"
                 " VALUES (:rowid, :scope, :title, :body, :stems, :display, :kind,"
                 " :tenant_id, :group_key, :session_id, :recording_id, :start_s, :speaker)"),
            rows,
        )
        words = set().union(*(vocabulary(r["title"], r["body"], r["stems"]) for r in rows))
        if words:
            conn.execute(text("INSERT OR IGNORE INTO search_terms (term) VALUES (:t)"),
                         [{"t": w} for w in sorted(words)])

    def _statements(self, conn, scope, terms, before, columns, limit=None, by_date=True,
                    mode=EXACT):
        """One lazy result per municipality, each in descending rowid order, with the bounds
        that put it below the cursor ``before``. No municipality and ``by_date`` False: one
        statement over the whole index (municipality by municipality)."""
        tenants, low, high, tokens = split_scope(scope)
        match = match_expression(tokens, terms, mode)
        select = ", ".join(("rowid AS id", *columns))
        sql = f"SELECT {select} FROM search_fts WHERE search_fts MATCH :m"
        if tenants is None and low is None and before is None and not by_date:
            tail = " ORDER BY rowid DESC" + (" LIMIT :limit" if limit else "")
            return [conn.execute(text(sql + tail), {"m": match, "limit": limit})]
        if tenants is None:
            tenants = list(conn.execute(text("SELECT id FROM tenants ORDER BY id")).scalars())
        sql += " AND rowid >= :low AND rowid < :high ORDER BY rowid DESC"
        sql += " LIMIT :limit" if limit else ""
        results = []
        for tenant in tenants:
            first = tenant << TENANT_SHIFT
            end = first + (high if high is not None else LOCAL_MASK + 1)
            if before is not None:
                # Groups order by (entry id, municipality): below the cursor's group, or beside
                # it in a municipality that comes after the cursor's.
                local, cursor_tenant = before & LOCAL_MASK, before >> TENANT_SHIFT
                if tenant < cursor_tenant:
                    local += 1 << SEQ_BITS
                end = min(end, first + local)
            start = first + (low or 0)
            if start < end:
                results.append(conn.execute(
                    text(sql), {"m": match, "low": start, "high": end, "limit": limit}))
        return results

    def fetch(self, conn: Connection, scope, terms, before: int | None, limit: int,
              mode: str = EXACT):
        """The raw full-text statement: the last ``limit`` matches (by rowid) with their
        columns; with no filter at all, one statement over the whole index."""
        results = self._statements(conn, scope, terms, before, COLUMNS[1:], limit,
                                   by_date=False, mode=mode)
        if len(results) == 1:
            return results[0].all()
        merged = heapq.merge(*results, key=lambda row: _order(row.id), reverse=True)
        return [row for row, _ in zip(merged, range(limit), strict=False)]

    def scan(self, conn: Connection, scope, terms, before: int | None, per_group: int,
             mode: str = EXACT):
        """The rowids of every match, newest first, at most ``per_group`` of each group,
        lazily: rowids only (stepping over a group's other matches reads no content), one
        statement per municipality — a word's doclist is read once, however many groups a
        page skips."""
        results = self._statements(conn, scope, terms, before, (), mode=mode)
        streams = [_rowids(result) for result in results]
        rowids = streams[0] if len(streams) == 1 else heapq.merge(
            *streams, key=_order, reverse=True)
        try:
            base, count = None, 0
            for scanned, rowid in enumerate(rowids):
                if scanned == MAX_SCANNED:
                    raise ScanTruncated
                group = rowid & ~SEQ_MASK
                if group != base:
                    base, count = group, 0
                count += 1
                if count <= per_group:
                    yield rowid
        finally:
            for result in results:
                result.close()

    def complete(self, conn: Connection, ids: list[int]) -> dict:
        """The shown matches' columns and their groups' headings (``HEADING``), in one
        statement, the rowids as one JSON parameter."""
        if not ids:
            return {}
        rows = conn.execute(_COMPLETE, {"ids": json.dumps(ids)})
        return {row.id: row for row in rows}

    def correct(self, conn: Connection, terms: list[str]) -> list[str] | None:
        return None  # FTS5 has no similarity search; typos are forgiven on PostgreSQL only

    def has_prefix(self, conn: Connection, prefix: str) -> bool:
        """Whether a known word or stem starts with ``prefix`` (Latin spellings)."""
        return conn.execute(
            text("SELECT 1 FROM search_terms WHERE term >= :p AND term < :p || char(1114111)"
                 " LIMIT 1"), {"p": prefix}).first() is not None

    def words_beginning(self, conn: Connection, prefix: str, limit: int) -> list[str]:
        """At most ``limit`` vocabulary entries that start with ``prefix``."""
        return list(conn.execute(
            text("SELECT term FROM search_terms WHERE term >= :p AND term < :p || char(1114111)"
                 " ORDER BY term LIMIT :n"), {"p": prefix, "n": limit}).scalars())

    def known(self, conn: Connection, words) -> set[str]:
        return set(conn.execute(
            text("SELECT term FROM search_terms WHERE term IN (SELECT value FROM json_each(:w))"),
            {"w": json.dumps(sorted(words))}).scalars())

    def clear(self, conn: Connection) -> None:
        conn.execute(text("DELETE FROM search_fts"))
