"""One search interface over the council archive, with SQLite FTS5 and PostgreSQL backends.

Keeping the index current: an ``after_flush`` listener collects every session or recording
group touched by the flush (sessions, agenda items, documents, recordings, transcript
segments) and rebuilds those groups' entries on the same connection, inside the same
transaction. So every write through the ORM (services, sync, demo loader, staff edits) updates
the index, a rolled-back write rolls back its index entries too, and no caller has to remember
to reindex. Bulk Core inserts bypass the ORM and must call ``reindex_groups`` themselves (the
bench does).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection, event, inspect, select
from sqlalchemy.orm import Session

from portal.blueprints.sessions.models import (
    AgendaItem,
    Body,
    CouncilSession,
    Document,
    Recording,
    TranscriptSegment,
)
from portal.blueprints.sessions.search.entries import (
    SOURCES,
    ScanTruncated,
    base_of,
    build_group,
)
from portal.blueprints.sessions.search.forms import (
    EXACT,
    FORMS,
    Term,
    also_searched,
    expand,
    has_forms,
    plain,
    with_known_words,
)
from portal.blueprints.sessions.search.normalise import highlight, terms
from portal.blueprints.sessions.search.postgres import PostgresBackend
from portal.blueprints.sessions.search.sqlite import SqliteBackend
from portal.services.georgian import latin
from portal.services.georgian.stem import stem

MAX_HITS_PER_GROUP = 5
#: Rows of the raw full-text statement (``backend.fetch``), and of each chunk PostgreSQL reads.
ROWS_PER_FETCH = 60


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    tenant_ids: tuple[int, ...] = ()
    body_id: int | None = None
    year: int | None = None
    has_transcript: bool = False
    before: int | None = None
    per_page: int = 10
    #: Only these groups ("s12", "r7"): the saved searches' run over what changed.
    group_keys: tuple[str, ...] = ()
    hits_per_group: int = MAX_HITS_PER_GROUP
    #: Replace a misspelt word when nothing matches (a person typing; not a saved search).
    forgive: bool = True
    #: Another feature's groups instead of the archive's (``entries.SOURCES``: "d", the
    #: documents register), and its filter tokens, each required.
    source: str | None = None
    tokens: tuple[str, ...] = ()
    #: Find the other forms of the words too (after the exact ones; see forms.py).
    word_forms: bool = True
    #: Read a query without Georgian letters as Latin-typed Georgian too.
    latin: bool = True
    #: Search a word beginning as the known words it begins (same matches, read lazily);
    #: None: where the backend gains by it (SQLite's FTS5, not PostgreSQL's GIN: measured).
    known_words: bool | None = None


@dataclass
class Hit:
    id: int
    kind: str
    recording_id: int | None
    start_s: float | None
    speaker: str
    pieces: list[tuple[str, bool]]
    #: The entry's whole text (the pieces are a window of it).
    display: str = ""


@dataclass(frozen=True)
class BodyName:
    name_ka: str
    name_en: str


@dataclass(frozen=True)
class Heading:
    """What a result shows above its lines: the session's title, start and body, or the
    lone recording's title and publication (``body`` None)."""

    title: str
    at: datetime | None
    body: BodyName | None = None


@dataclass
class Group:
    key: str
    tenant_id: int
    session_id: int | None
    recording_id: int | None
    hits: list[Hit] = field(default_factory=list)
    heading: Heading | None = None
    #: Found through other forms of the words only (the second tier).
    forms: bool = False


@dataclass
class SearchPage:
    groups: list[Group]
    next_cursor: int | None
    terms: list[str]
    corrected: list[str] | None = None
    #: Georgian spellings searched beside a Latin-typed query ("Searched also for: …").
    also: list[str] = field(default_factory=list)
    #: A Latin query that found nothing: its likeliest Georgian spelling, offered.
    offer: str | None = None


def backend_for(conn: Connection):
    return PostgresBackend() if conn.dialect.name == "postgresql" else SqliteBackend()


def scope_filters(query: SearchQuery) -> list[list[str]]:
    scope = []
    if query.tenant_ids:
        scope.append([f"t{t}" for t in query.tenant_ids])
    if query.year:
        scope.append([f"y{query.year}"])
    if query.body_id:
        scope.append([f"b{query.body_id}"])
    if query.has_transcript:
        scope.append(["x1"])
    if query.group_keys:
        scope.append([f"g{key}" for key in query.group_keys])
    scope.extend([token] for token in query.tokens)
    return scope


def _kept_apart(scope: list[list[str]], query: SearchQuery) -> list[list[str]]:
    """The scope with another feature's groups chosen (``source``) or, for the archive's
    searches, left out ("-" before a token: the backends write NOT)."""
    if query.source:
        return [[SOURCES[query.source].token], *scope]
    return scope + [[f"-{source.token}"] for source in SOURCES.values()]
#: Cursors of the second tier are its entry cursors plus ``FORMS_BASE`` (entry ids and SQLite
#: rowids of municipalities up to 255 stay below it); ``FORMS_START`` starts it at its top.
#: So a cursor says its tier, and every caller pages as before, with ``next_cursor`` alone.
FORMS_BASE = 1 << 61
FORMS_START = 1 << 62


def search(conn: Connection, query: SearchQuery) -> SearchPage:
    """Groups of matching entries, newest first, ``per_page`` groups a page.

    Two tiers (forms.py): the matches of the words as typed (prefixes), then the matches
    through other forms of the words only. The next page starts below the last shown group
    (``next_cursor``, which says its tier: ``FORMS_BASE``). A page reads each word's matches once,
    lazily (``backend.scan``), then the shown entries' columns (``backend.complete``): a
    constant number of index statements whatever the archive's size or how many matches a
    group has.
    """
    backend = backend_for(conn)
    reading_latin = query.latin and not latin.has_georgian(query.text)
    words = terms(latin.keep_apostrophes(query.text) if reading_latin else query.text)
    scope = scope_filters(query)
    if not scope and not words:
        return SearchPage([], None, words)
    scope = _kept_apart(scope, query)
    backend.prepare(conn)
    spellings = _latin_spellings(conn, backend) if reading_latin else None
    found = expand(words, word_forms=query.word_forms, latin_spellings=spellings)
    page = _tiers(conn, backend, scope, _known(conn, backend, found, query), query)
    if not page.groups and words and query.before is None and query.forgive:
        corrected = backend.correct(conn, words)
        if corrected:
            page = _tiers(conn, backend, scope, _known(
                conn, backend, expand(corrected, word_forms=query.word_forms), query), query)
            page.corrected = corrected
    page.terms = words
    page.also = also_searched(found)
    if reading_latin and not page.groups and query.before is None:
        offer = " ".join(latin.spelling(w) if latin.is_latin(w) else w for w in words)
        page.offer = offer if latin.has_georgian(offer) else None
    if not backend.headings_in_rows:
        _add_headings(conn, page.groups, query.tenant_ids)
    return page


def _known(conn, backend, found: list[Term], query: SearchQuery) -> list[Term]:
    if query.known_words is None:
        if not backend.expands_prefixes or len(found) < backend.expands_with_words:
            return found
        shortest = backend.expands_from
    elif not query.known_words:
        return found
    else:
        shortest = 2  # asked for: every beginning the vocabulary can answer
    return with_known_words(found, lambda prefix, n: backend.words_beginning(conn, prefix, n),
                            shortest=shortest)


def known_words(conn: Connection, words: list[str], always: bool = False) -> list[Term]:
    """The plain terms of ``words`` (beginnings only, no other forms) as ``search`` reads them:
    each beginning as the known words it begins where it may (the bench's raw statement);
    ``always``: on PostgreSQL too."""
    backend = backend_for(conn)
    if not always and (not backend.expands_prefixes or len(words) < backend.expands_with_words):
        return [plain(w) for w in words]
    return with_known_words([plain(w) for w in words],
                            lambda prefix, n: backend.words_beginning(conn, prefix, n),
                            shortest=2 if always else backend.expands_from)


def _latin_spellings(conn, backend):
    def spellings(word: str) -> list[str]:
        return latin.candidates(word, lambda p: backend.has_prefix(conn, p),
                                lambda words: backend.known(conn, words), stem)
    return spellings


def _tiers(conn, backend, scope, found: list[Term], query: SearchQuery) -> SearchPage:
    """The exact tier, then (once it runs out on a page) the second tier to fill the page."""
    forms = query.word_forms and has_forms(found)
    if query.before is not None and query.before >= FORMS_BASE:
        if not forms:
            return SearchPage([], None, [])
        before = None if query.before == FORMS_START else query.before - FORMS_BASE
        return _forms_tier(conn, backend, scope, found, query, before)
    page = _collect(conn, backend, scope, found, query, query.before, EXACT)
    if not forms or page.next_cursor is not None:
        return page
    room = query.per_page - len(page.groups)
    rest = _forms_tier(conn, backend, scope, found, query, None, room)
    page.groups += rest.groups
    if room == 0 and rest.next_cursor is not None:
        page.next_cursor = FORMS_START  # the page is full: the next one starts the tier
    else:
        page.next_cursor = rest.next_cursor
    return page


def _forms_tier(conn, backend, scope, found, query, before, per_page=None) -> SearchPage:
    page = _collect(conn, backend, scope, found, query, before, FORMS, per_page)
    for group in page.groups:
        group.forms = True
    if page.next_cursor is not None:
        page.next_cursor += FORMS_BASE
    return page


def _add_headings(conn: Connection, groups: list[Group], tenant_ids: tuple[int, ...]) -> None:
    """Each group's heading: one statement for the sessions (with their bodies), one for the
    lone recordings if any. Core, not ORM entities (a third of the cost); the ids come from
    the municipality-bound search, and the statements say the municipalities again. (SQLite
    reads the headings with the entries' columns, in ``complete``.)"""
    sessions, bodies = CouncilSession.__table__, Body.__table__
    recordings = Recording.__table__
    session_ids = {g.session_id for g in groups if g.session_id}
    recording_ids = {g.recording_id for g in groups if g.recording_id}
    found: dict[str, Heading] = {}
    if session_ids:
        stmt = (select(sessions.c.id, sessions.c.title, sessions.c.starts_at, bodies.c.name_ka,
                       bodies.c.name_en)
                .join(bodies, bodies.c.id == sessions.c.body_id)
                .where(sessions.c.id.in_(session_ids)))
        if tenant_ids:
            stmt = stmt.where(sessions.c.tenant_id.in_(tenant_ids))
        for row in conn.execute(stmt):
            found[f"s{row.id}"] = Heading(row.title, row.starts_at,
                                          BodyName(row.name_ka, row.name_en))
    if recording_ids:
        stmt = (select(recordings.c.id, recordings.c.title, recordings.c.published_at)
                .where(recordings.c.id.in_(recording_ids)))
        if tenant_ids:
            stmt = stmt.where(recordings.c.tenant_id.in_(tenant_ids))
        for row in conn.execute(stmt):
            found[f"r{row.id}"] = Heading(row.title, row.published_at)
    for group in groups:
        group.heading = found.get(group.key)


def _collect(conn, backend, scope, found: list[Term], query: SearchQuery, before, mode,
             per_page: int | None = None) -> SearchPage:
    """One lazy scan of the matches (of ``mode``'s tier), newest first: the first
    ``per_page`` groups and up to ``MAX_HITS_PER_GROUP`` entries of each; the first entry of
    one more group says whether a next page exists (``per_page`` 0: whether any matches).
    Then the shown entries' columns, in one more statement at most."""
    per_page = query.per_page if per_page is None else per_page
    groups: OrderedDict[int, list[int]] = OrderedDict()
    more = False
    scan = backend.scan(conn, scope, found, before, query.hits_per_group, mode)
    try:
        for entry_id in scan:
            base = base_of(entry_id)
            hits = groups.get(base)
            if hits is None:
                if len(groups) == per_page:
                    more = True
                    break
                hits = groups[base] = []
            hits.append(entry_id)
    except ScanTruncated:
        more = bool(groups)
    finally:
        scan.close()
    rows = backend.complete(conn, [i for hits in groups.values() for i in hits])
    prefixes = [s for t in found for s in t.spellings]
    keys = [k for t in found for k in t.keys] if mode != EXACT else []
    shown: list[Group] = []
    for hits in groups.values():
        first = rows[hits[0]]
        group = Group(first.group_key, first.tenant_id, first.session_id,
                      None if first.session_id else first.recording_id)
        if backend.headings_in_rows and first.heading_title is not None:
            group.heading = Heading(first.heading_title, first.heading_at, BodyName(
                first.body_name_ka, first.body_name_en) if first.body_name_ka is not None else None)
        for entry_id in hits:
            row = rows[entry_id]
            group.hits.append(Hit(row.id, row.kind, row.recording_id, row.start_s,
                                  row.speaker, highlight(row.display, prefixes, keys),
                                  row.display))
        shown.append(group)
    next_cursor = (next(reversed(groups)) if groups else 0) if more else None
    return SearchPage(shown, next_cursor, [t.word for t in found])


def reindex_groups(conn: Connection, group_keys) -> None:
    backend = backend_for(conn)
    for key in sorted(set(group_keys)):
        backend.replace_group(conn, key, build_group(conn, key))


def reindex_all(conn: Connection) -> int:
    """Rebuild the whole index from the tables (``flask archive reindex``)."""
    backend_for(conn).clear(conn)
    keys = [f"s{i}" for i in conn.execute(select(CouncilSession.id)).scalars()]
    keys += [f"r{i}" for i in conn.execute(
        select(Recording.id).where(Recording.session_id.is_(None))).scalars()]
    for prefix, source in SOURCES.items():
        keys += [f"{prefix}{number}" for number in source.numbers(conn)]
    reindex_groups(conn, keys)
    return len(keys)


def _old_value(obj, attribute: str):
    history = inspect(obj).attrs[attribute].history
    return history.deleted[0] if history.deleted else None


def _touched_groups(session: Session) -> tuple[set[str], set[int]]:
    groups: set[str] = set()
    recordings: set[int] = set()
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if isinstance(obj, CouncilSession):
            groups.add(f"s{obj.id}")
        elif isinstance(obj, AgendaItem | Document):
            groups.add(f"s{obj.session_id}")
        elif isinstance(obj, Recording):
            groups.add(f"r{obj.id}")
            for value in (obj.session_id, _old_value(obj, "session_id")):
                if value:
                    groups.add(f"s{value}")
        elif isinstance(obj, TranscriptSegment):
            recordings.add(obj.recording_id)
        else:
            for prefix, source in SOURCES.items():
                groups.update(f"{prefix}{number}" for number in source.touched(obj))
    return groups, recordings


def _after_flush(session: Session, flush_context) -> None:
    groups, recording_ids = _touched_groups(session)
    if not groups and not recording_ids:
        return
    conn = session.connection()
    if recording_ids:
        rows = conn.execute(
            select(Recording.id, Recording.session_id).where(Recording.id.in_(recording_ids))
        ).all()
        groups |= {f"s{r.session_id}" if r.session_id else f"r{r.id}" for r in rows}
    reindex_groups(conn, groups)


def install_index_maintenance() -> None:
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
