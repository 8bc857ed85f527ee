"""PostgreSQL backend: stored tsvector (``simple`` configuration) with a GIN index.

Body and has-transcript are weight-A lexemes of the same tsvector, answered by the one GIN
index; search terms are restricted to weights B/D so a word never matches a filter token. The
municipality is a ``tenant_id`` condition with its own ``(tenant_id, id)`` index (its ``t…``
lexeme stays in the tsvector, unqueried). The year is a range of ids, which the table is
partitioned on: one year's partition and its own GIN index (see ddl.py). Typos: when nothing
matches, each term unknown to the vocabulary (``search_terms``, pg_trgm) is
replaced by its most similar known word and the search runs once more.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from portal.blueprints.sessions.search.entries import (
    COLUMNS,
    Entry,
    ScanTruncated,
    base_of,
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

MIN_SIMILARITY = 0.3
#: Matches read per statement of a scan, and statements one page may run.
CHUNK = 60
MAX_CHUNKS = 12


def _lexeme(term: str) -> str:
    return "'" + term.replace("'", "''").replace("\\", "") + "'"


def _term(term: Term, mode: str) -> str:
    """``('ბიუჯ':*BD)``, or with the stems (weight C): ``('ბიუჯ':*BD | 'ბიუჯეტ':C)``."""
    alternatives = [f"{_lexeme(s)}:{'*' if prefix else ''}BD" for s, prefix in term.matches()]
    if mode != EXACT:
        alternatives += [f"{_lexeme(k)}:C" for k in term.keys]
    return "(" + " | ".join(alternatives) + ")"


def tsquery(scope: list[list[str]], terms, mode: str = EXACT) -> str:
    """Filters (weight A) and words; ``mode`` as in ``sqlite.match_expression``."""
    parts = ["(" + " | ".join(f"{_lexeme(t)}:A" for t in alts) + ")" for alts in scope
             if not alts[0].startswith("-")]
    # Another feature's groups left out: NOT beside at least one positive part (GIN needs one).
    excluded = [f"!{_lexeme(alts[0][1:])}:A" for alts in scope if alts[0].startswith("-")]
    terms = [plain(t) for t in terms]
    if excluded and not parts and not terms:
        parts.append("('x0':A | 'x1':A)")
    parts += excluded
    if terms:
        parts += [_term(t, ALL if mode == FORMS else mode) for t in terms]
        if mode == FORMS:
            parts.append("!(" + " & ".join(_term(t, EXACT) for t in terms) + ")")
    return " & ".join(parts) or "'x0':A | 'x1':A"  # every entry has one of these


def split_tenants(scope: list[list[str]]) -> tuple[list[list[str]], list[int] | None]:
    """The municipalities out of ``scope`` (a ``tenant_id`` condition), the rest kept."""
    tenants = None
    rest = []
    for alternatives in scope:
        if alternatives[0][0] == "t" and alternatives[0][1:].isdigit():
            tenants = sorted({int(t[1:]) for t in alternatives})
        else:
            rest.append(alternatives)
    return rest, tenants


class PostgresBackend:
    """One per search (``backend_for``): ``scan`` keeps the rows it read for ``complete``."""

    name = "postgresql"
    #: A word beginning as the known words it begins (sqlite.py), only beside other words:
    #: GIN collects all of a beginning's matches before intersecting them, while exact words
    #: are intersected by skipping (two common words at 10M entries: 293 → 44 ms). Alone, a
    #: beginning measured faster than its words.
    expands_prefixes = True
    expands_from = 2
    expands_with_words = 2
    headings_in_rows = False

    def __init__(self) -> None:
        self._rows: dict = {}

    def prepare(self, conn: Connection) -> None:
        """Plan every search for its own values. psycopg prepares a statement after a few
        runs and PostgreSQL then may switch to a generic plan, which cannot see the tsquery's
        selectivity nor prune the year partitions: measured 4 ms → 800 ms on 1M entries."""
        conn.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))

    def replace_group(self, conn: Connection, group_key: str, entries: list[Entry]) -> None:
        conn.execute(text("DELETE FROM search_entries WHERE group_key = :g"), {"g": group_key})
        if not entries:
            return
        # As before SQLite's rowids took them over: the year lexeme is not queried (a year
        # is a partition), but without it the planner's estimates for prefix terms moved
        # and rare prefixes got a backward scan of the whole table (raw p95 30 -> 100 ms).
        rows = [e.__dict__ | {"scope": f"t{e.tenant_id} y{e.year} {e.scope}",
                              "stems": index_keys(e.title, e.body)} for e in entries]
        conn.execute(
            text("INSERT INTO search_entries (id, tenant_id, group_key, scope, title, body,"
                 " stems, display, kind, session_id, recording_id, start_s, speaker) VALUES"
                 " (:id, :tenant_id, :group_key, :scope, :title, :body, :stems, :display, :kind,"
                 " :session_id, :recording_id, :start_s, :speaker)"),
            rows,
        )
        # The vocabulary: words (typos, Latin spellings) and stems (Latin spellings).
        words = sorted(set().union(*(vocabulary(r["title"], r["body"], r["stems"])
                                     for r in rows)))
        if words:
            conn.execute(
                text("INSERT INTO search_terms (term) SELECT unnest(CAST(:w AS text[]))"
                     " ON CONFLICT DO NOTHING"),
                {"w": words},
            )

    def fetch(self, conn: Connection, scope, terms, before: int | None, limit: int,
              mode: str = EXACT):
        scope, low, high = year_range(scope)
        scope, tenants = split_tenants(scope)
        sql = (f"SELECT {', '.join(COLUMNS)} FROM search_entries"
               " WHERE tsv @@ to_tsquery('simple', :q)")
        params = {"q": tsquery(scope, terms, mode), "limit": limit}
        if tenants is not None:
            # The column, not the t… lexeme: one municipality's entries newest first are a
            # backward scan of (tenant_id, id), which a common word's matches fill quickly;
            # with the lexeme, the planner scanned every municipality's entries by id.
            # (= for one: the planner orders by the index only for an equality, not ANY.)
            if len(tenants) == 1:
                sql += " AND tenant_id = :tenant"
                params["tenant"] = tenants[0]
            else:
                sql += " AND tenant_id = ANY(:tenants)"
                params["tenants"] = tenants
        if low is not None:
            sql += " AND id >= :low"
            params["low"] = low
            before = high if before is None else min(before, high)
        if before is not None:
            sql += " AND id < :before"
            params["before"] = before
        sql += " ORDER BY id DESC LIMIT :limit"
        return conn.execute(text(sql), params).all()

    def scan(self, conn: Connection, scope, terms, before: int | None, per_group: int,
             mode: str = EXACT):
        """Ids of the matches newest first, at most ``per_group`` of each group, in chunks (the
        rows kept for ``complete``): a chunk that ends inside a full group makes the next one
        start below that group."""
        base, count = None, 0
        for _ in range(MAX_CHUNKS):
            rows = self.fetch(conn, scope, terms, before, CHUNK, mode)
            for row in rows:
                group = base_of(row.id)
                if group != base:
                    base, count = group, 0
                count += 1
                if count <= per_group:
                    self._rows[row.id] = row
                    yield row.id
            if len(rows) < CHUNK:
                return
            before = base if count >= per_group else rows[-1].id
        raise ScanTruncated

    def complete(self, conn: Connection, ids: list[int]) -> dict:
        return {i: self._rows[i] for i in ids}

    def correct(self, conn: Connection, terms: list[str]) -> list[str] | None:
        corrected, changed = [], False
        for term in terms:
            known = conn.execute(
                text("SELECT 1 FROM search_terms WHERE term >= :t AND term < :t || chr(1114111)"
                     " LIMIT 1"), {"t": term}).first()
            if known or len(term) < 3:
                corrected.append(term)
                continue
            row = conn.execute(
                text("SELECT term FROM search_terms WHERE term % :t"
                     " ORDER BY similarity(term, :t) DESC LIMIT 1"), {"t": term}).first()
            if row and row.term != term:
                corrected.append(row.term)
                changed = True
            else:
                corrected.append(term)
        return corrected if changed else None

    def has_prefix(self, conn: Connection, prefix: str) -> bool:
        """Whether a known word or stem starts with ``prefix`` (Latin spellings)."""
        return conn.execute(
            text("SELECT 1 FROM search_terms WHERE term >= :t AND term < :t || chr(1114111)"
                 " LIMIT 1"), {"t": prefix}).first() is not None

    def words_beginning(self, conn: Connection, prefix: str, limit: int) -> list[str]:
        """At most ``limit`` vocabulary entries that start with ``prefix``."""
        return list(conn.execute(
            text("SELECT term FROM search_terms WHERE term >= :t AND term < :t || chr(1114111)"
                 " ORDER BY term LIMIT :n"), {"t": prefix, "n": limit}).scalars())

    def known(self, conn: Connection, words) -> set[str]:
        return set(conn.execute(text("SELECT term FROM search_terms WHERE term = ANY(:w)"),
                                {"w": sorted(words)}).scalars())

    def clear(self, conn: Connection) -> None:
        conn.execute(text("DELETE FROM search_entries"))
