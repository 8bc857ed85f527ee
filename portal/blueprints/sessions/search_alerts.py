"""Saved searches of the archive: "tell me when the Sakrebulo discusses the port".

A saved search (``SavedSearch``) is one query of one municipality; its subscribers are the
subscriptions topic ``sessions.search`` with the search's id (``topics.py``). ``send_alerts``
(the periodic job ``send_search_alerts``) looks at what appeared since each search's watermark
— new sessions, agenda items, documents (once their text is read) and transcript lines — and
asks the archive's own search (``search.search``, the same function the search page calls, on
SQLite and PostgreSQL alike) which of them match, restricted to the groups those rows belong
to. Each matched thing is claimed once per saved search (``SavedSearchMatch``, a unique key):
a rerun or a second worker claims nothing again, so nobody hears twice of one thing. The
things a run finds in one session make one message, linked to the first moment (the session
page, or the recording at the line's time, as the search results link to it).

Rows written by transactions that commit out of id order may be passed over (the watermark is
the highest id seen); the archive's writers are the sync and the clerk, rarely at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from portal.blueprints.sessions.models import (
    AgendaItem,
    CouncilSession,
    Document,
    Recording,
    SavedSearch,
    SavedSearchMatch,
    TranscriptSegment,
)
from portal.blueprints.sessions.recordings.player import clock
from portal.blueprints.sessions.search import SearchQuery, search
from portal.blueprints.sessions.search.forms import key_of
from portal.blueprints.sessions.search.normalise import normalise, terms
from portal.db import utcnow
from portal.extensions import db
from portal.services.errors import DomainError
from portal.tenancy import current_tenant
from portal.tenancy.links import message_url

TOPIC = "sessions.search"
#: Characters of a saved query (the search page takes 200; a saved one is a few words).
MAX_QUERY = 100
#: Saved searches one subscriber may have (the subscriptions topic's limit).
MAX_PER_SUBSCRIBER = 10
#: New rows of each kind one run reads; the rest waits for the next run.
BATCH = 5000
#: Groups one search statement is restricted to, and matches read of each group.
GROUPS_PER_QUERY = 40
PER_GROUP = 200
#: Things a message lists (all of them are claimed).
LISTED = 5
#: A document whose text is still being read holds the watermark back this long at most.
WAIT_FOR_TEXT = timedelta(hours=6)

TOO_LONG = LazyString(lambda: _("A saved search may have at most %(n)d characters.",
                                 n=MAX_QUERY))
NO_WORDS = _l("Type the words to look for first.")

KINDS = ("session", "agenda", "document", "segment")


def save_search(text: str) -> SavedSearch:
    """The saved search of ``text`` here (made if new, its watermark at the archive's newest
    rows: only what appears from now on is sent). Raises DomainError on the field ``q``."""
    text = " ".join((text or "").split())
    if len(text) > MAX_QUERY:
        raise DomainError(TOO_LONG, field="q")
    words = terms(text)
    if not words:
        raise DomainError(NO_WORDS, field="q")
    key = " ".join(words)
    found = db.session.scalar(select(SavedSearch).where(SavedSearch.terms == key))
    if found is not None:
        return found
    search_row = SavedSearch(query=text, terms=key, **_newest())
    try:
        with db.session.begin_nested():  # the same words saved at the same moment elsewhere
            db.session.add(search_row)
    except IntegrityError:
        return db.session.scalar(select(SavedSearch).where(SavedSearch.terms == key))
    return search_row


def saved_query(search_id: int) -> str | None:
    """The words of saved search ``search_id`` here; None when there is none."""
    return db.session.scalar(select(SavedSearch.query).where(SavedSearch.id == search_id))


def _newest() -> dict[str, int]:
    tables = (CouncilSession, AgendaItem, Document, TranscriptSegment)
    return {f"seen_{kind}_id": db.session.scalar(select(func.max(model.id))) or 0
            for kind, model in zip(KINDS, tables, strict=True)}


@dataclass
class Fresh:
    """What appeared above the lowest watermark: each kind's new rows, keyed the way a
    search hit names them, and how far each kind was read."""

    sessions: dict[int, int] = field(default_factory=dict)  # session id -> id
    agenda: dict[tuple[int, str], list[int]] = field(default_factory=dict)  # (session, text)
    documents: dict[tuple[int, str], list[tuple[int, str]]] = field(default_factory=dict)
    lines: dict[tuple[int, int], int] = field(default_factory=dict)  # (recording, ms) -> id
    groups: set[str] = field(default_factory=set)
    upto: dict[str, int] = field(default_factory=dict)


def _read_fresh(low: dict[str, int]) -> Fresh:
    fresh = Fresh(upto=dict(low))
    for (session_id,) in db.session.execute(
            select(CouncilSession.id).where(CouncilSession.id > low["session"])
            .order_by(CouncilSession.id).limit(BATCH)):
        fresh.sessions[session_id] = session_id
        fresh.groups.add(f"s{session_id}")
        fresh.upto["session"] = session_id
    for row in db.session.execute(
            select(AgendaItem.id, AgendaItem.session_id, AgendaItem.position, AgendaItem.title)
            .where(AgendaItem.id > low["agenda"]).order_by(AgendaItem.id).limit(BATCH)):
        fresh.agenda.setdefault((row.session_id, f"{row.position}. {row.title}"), []).append(row.id)
        fresh.groups.add(f"s{row.session_id}")
        fresh.upto["agenda"] = row.id
    waited = utcnow() - WAIT_FOR_TEXT
    for row in db.session.execute(
            select(Document.id, Document.session_id, Document.title, Document.text,
                   Document.text_status, Document.created_at)
            .where(Document.id > low["document"]).order_by(Document.id).limit(BATCH)):
        if row.text_status == "pending" and _aware(row.created_at) > waited:
            break  # its words are not searchable yet: this run stops before it
        fresh.documents.setdefault((row.session_id, row.text or ""), []).append(
            (row.id, row.title))
        fresh.groups.add(f"s{row.session_id}")
        fresh.upto["document"] = row.id
    segments = db.session.execute(
        select(TranscriptSegment.id, TranscriptSegment.recording_id,
               TranscriptSegment.start_seconds)
        .where(TranscriptSegment.id > low["segment"]).order_by(TranscriptSegment.id)
        .limit(BATCH)).all()
    if segments:
        recordings = dict(db.session.execute(
            select(Recording.id, Recording.session_id)
            .where(Recording.id.in_({s.recording_id for s in segments}))).all())
        for row in segments:
            fresh.lines[(row.recording_id, _ms(row.start_seconds))] = row.id
            session_id = recordings.get(row.recording_id)
            fresh.groups.add(f"s{session_id}" if session_id else f"r{row.recording_id}")
            fresh.upto["segment"] = row.id
    return fresh


def _aware(moment):
    from datetime import UTC

    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=UTC)


def _ms(seconds) -> int:
    return round(float(seconds or 0) * 1000)


def send_alerts() -> int:
    """Run every saved search here over what appeared since its watermark; tell each
    search's subscribers once per matched thing (one message per session and run). Returns
    the number of messages (notices) made. Flushes."""
    from portal.blueprints.subscriptions.topics import subscribed_objects

    searches = list(db.session.scalars(select(SavedSearch).order_by(SavedSearch.id)))
    if not searches:
        return 0
    low = {kind: min(getattr(s, f"seen_{kind}_id") for s in searches) for kind in KINDS}
    fresh = _read_fresh(low)
    # Subscriptions switched off here: nothing is sent, and nothing is kept for later.
    wanted = subscribed_objects(TOPIC) if current_tenant.has_feature("subscriptions") else set()
    made = 0
    for saved in searches:
        if saved.id in wanted and fresh.groups:
            for found in _matches(saved, fresh):
                made += _announce(saved, found)
        for kind in KINDS:
            column = f"seen_{kind}_id"
            setattr(saved, column, max(getattr(saved, column), fresh.upto[kind]))
        saved.checked_at = utcnow()
    db.session.flush()
    return made


@dataclass
class Found:
    """The new things of one group a saved search matched, in the archive's order."""

    group_key: str
    session_id: int | None
    recording_id: int | None
    heading: object = None
    things: list[tuple[str, object]] = field(default_factory=list)  # (thing key, hit)


def _matches(saved: SavedSearch, fresh: Fresh) -> list[Found]:
    keys = sorted(fresh.groups)
    out: list[Found] = []
    by_group: dict[str, Found] = {}
    for start in range(0, len(keys), GROUPS_PER_QUERY):
        chunk = tuple(keys[start:start + GROUPS_PER_QUERY])
        before = None
        while True:
            page = search(db.session.connection(), SearchQuery(
                text=saved.terms, tenant_ids=(current_tenant.id,), group_keys=chunk,
                before=before, per_page=GROUPS_PER_QUERY, hits_per_group=PER_GROUP,
                forgive=False))
            for group in page.groups:
                # A group may come twice: its exact matches, then its other word forms.
                found = by_group.get(group.key) or Found(
                    group.key, group.session_id, group.recording_id, group.heading)
                for hit in reversed(group.hits):  # the archive's order: the session first
                    for thing in _things(saved, fresh, group, hit, page.terms):
                        found.things.append((thing, hit))
                if found.things and group.key not in by_group:
                    by_group[group.key] = found
                    out.append(found)
            if page.next_cursor is None:
                break
            before = page.next_cursor
    return out


def _things(saved: SavedSearch, fresh: Fresh, group, hit, words: list[str]) -> list[str]:
    """The keys of the new things (for this saved search) a hit stands for."""
    session_id = group.session_id
    if hit.kind == "session" and session_id in fresh.sessions:
        return [f"session:{session_id}"] if session_id > saved.seen_session_id else []
    if hit.kind == "agenda":
        ids = fresh.agenda.get((session_id, hit.display), [])
        return [f"agenda:{i}" for i in ids if i > saved.seen_agenda_id]
    if hit.kind == "document":
        docs = [(i, title) for i, title in fresh.documents.get((session_id, hit.display), [])
                if i > saved.seen_document_id]
        if len(docs) > 1:  # the same text (or none): the ones whose words match
            docs = [(i, title) for i, title in docs if _has_words(f"{title} {hit.display}", words)]
        return [f"document:{i}" for i, _title in docs]
    if hit.kind == "transcript" and hit.recording_id:
        line = fresh.lines.get((hit.recording_id, _ms(hit.start_s)))
        if line is not None and line > saved.seen_segment_id:
            return [f"line:{hit.recording_id}:{_ms(hit.start_s)}"]
    return []


def _has_words(text: str, words: list[str]) -> bool:
    """Each word begins a word of ``text`` or is another form of one (as the search finds)."""
    present = normalise(text).split()
    keys = {key_of(w) for w in present}
    return all(any(w.startswith(term) for w in present) or (key_of(term) or term) in keys
               for term in words)


def _claim(saved: SavedSearch, thing: str) -> bool:
    """Keep that ``saved`` was sent ``thing``; False when it was before (another run or
    worker): the unique key decides, whoever commits first."""
    if db.session.scalar(select(SavedSearchMatch.id).where(
            SavedSearchMatch.saved_search_id == saved.id, SavedSearchMatch.thing == thing)):
        return False
    try:
        with db.session.begin_nested():
            db.session.add(SavedSearchMatch(saved_search_id=saved.id, thing=thing))
    except IntegrityError:
        return False
    return True


def _announce(saved: SavedSearch, found: Found) -> int:
    from portal.blueprints.subscriptions.topics import notify

    claimed = [(thing, hit) for thing, hit in found.things if _claim(saved, thing)]
    if not claimed:
        return 0
    query = saved.query
    heading = _heading_title(found)
    title = LazyString(lambda: heading or _("a recording"))
    listed = [_line(found, hit) for _thing, hit in claimed[:LISTED]]
    more = len(claimed) - LISTED
    lines = [LazyString(lambda: _("New in the Sakrebulo archive for your saved search "
                                  "“%(query)s”: %(title)s.", query=query, title=title))]
    lines += listed
    if more > 0:
        lines.append(LazyString(lambda: _("And %(n)d more.", n=more)))
    first_thing, first_hit = claimed[0]
    url = _moment_url(found, first_hit)
    notice = notify(TOPIC, object_id=saved.id, item=f"{saved.id}:{first_thing}", url=url,
                    subject=LazyString(lambda: _("“%(query)s” in the Sakrebulo archive",
                                                 query=query)),
                    lines=lines,
                    sms_text=f"“{query[:40]}”: {(heading or '')[:50]} {url}")
    return 1 if notice else 0


def _heading_title(found: Found) -> str:
    return str(getattr(found.heading, "title", "") or "")


def _line(found: Found, hit) -> LazyString:
    text = " ".join("".join(piece for piece, _mark in hit.pieces).split())
    url = _moment_url(found, hit)
    kind, speaker, seconds = hit.kind, hit.speaker, hit.start_s

    def words() -> str:
        if kind == "transcript":
            who = f"{speaker}: " if speaker else ""
            return _("%(at)s — %(who)s%(text)s — %(url)s", at=clock(int(seconds or 0)), who=who,
                     text=text, url=url)
        label = {"session": _("Session"), "agenda": _("Agenda"),
                 "document": _("Document")}.get(kind, "")
        return _("%(kind)s: %(text)s — %(url)s", kind=label, text=text, url=url)

    return LazyString(words)


def _moment_url(found: Found, hit) -> str:
    """The moment's link, as the search results give it: the session's page (at the line's
    second, with its recording) or the lone recording's page."""
    values = {}
    if hit.kind == "transcript" and hit.start_s is not None:
        values["t"] = int(hit.start_s)
        if found.session_id and hit.recording_id:
            values = {"recording": int(hit.recording_id), **values}
    anchor = "#player" if values else ""
    if found.session_id:
        return message_url("sessions.show", session_id=found.session_id, **values) + anchor
    return message_url("sessions.recording", recording_id=found.recording_id, **values) + anchor


def purge_unfollowed(now=None) -> int:
    """Delete saved searches nobody follows any more (a day after they were made: the
    subscribe form may still be open)."""
    from portal.blueprints.subscriptions.topics import subscribed_objects

    cutoff = (now or utcnow()) - timedelta(days=1)
    wanted = subscribed_objects(TOPIC)
    stale = [i for i in db.session.scalars(
        select(SavedSearch.id).where(SavedSearch.created_at < cutoff)) if i not in wanted]
    if stale:
        db.session.execute(delete(SavedSearchMatch).where(
            SavedSearchMatch.saved_search_id.in_(stale)))
        db.session.execute(delete(SavedSearch).where(SavedSearch.id.in_(stale)))
    return len(stale)
