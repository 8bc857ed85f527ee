"""Build the index entries of one group (a session, or a recording matched to no session).

A group's entries are rebuilt as a whole whenever anything in it changes. Entry ids encode the
group's day, so ``ORDER BY id DESC`` lists the newest sessions first with each group's entries
contiguous; the search pages by id without ever sorting the matches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Connection, select

from portal.blueprints.sessions.models import (
    AgendaItem,
    CouncilSession,
    Document,
    Recording,
    TranscriptSegment,
)
from portal.blueprints.sessions.search.normalise import normalise

EPOCH = date(1970, 1, 1)
#: What a search reads of each entry (``id``: PostgreSQL's id, SQLite's rowid).
COLUMNS = ("id", "tenant_id", "group_key", "kind", "session_id", "recording_id", "start_s",
           "speaker", "display")
SEQ_BITS = 16
GROUP_BITS = 23


@dataclass(frozen=True)
class Entry:
    id: int
    tenant_id: int
    group_key: str
    scope: str
    title: str
    body: str
    display: str
    kind: str
    session_id: int | None = None
    recording_id: int | None = None
    start_s: float | None = None
    speaker: str = ""
    year: int = 0  # of the group's day


@dataclass(frozen=True)
class IndexedText:
    """One entry another feature puts in its group: what is searched (``title``, ``display``)
    and what a hit shows (``display``)."""

    kind: str
    title: str
    display: str


@dataclass(frozen=True)
class IndexedGroup:
    """A group of another feature: whose, its day (order and year filter), its filter tokens
    (letters and digits only, e.g. ``cbudget``) and its texts."""

    tenant_id: int
    day: date
    tokens: tuple[str, ...]
    texts: list[IndexedText]


@dataclass(frozen=True)
class GroupSource:
    """Groups another feature keeps in the archive's index (``register_source``): ``prefix``
    is the group key's letter (not s or r), ``build(conn, number)`` the group from the current
    rows (None: not public, out of the index), ``touched(obj)`` the numbers of the groups an
    ORM object changes in a flush, ``numbers(conn)`` every group (``reindex_all``)."""

    prefix: str
    build: Callable[[Connection, int], IndexedGroup | None]
    touched: Callable[[object], Iterable[int]]
    numbers: Callable[[Connection], Iterable[int]]

    @property
    def token(self) -> str:
        """The scope token of every entry of this source (the archive's searches exclude it)."""
        return f"k{self.prefix}"


#: Other features' groups, by prefix. Their group numbers use the upper half of the recordings'
#: number space (bit 19; an id of 2**19 or more wraps), so one source fits beside the archive.
SOURCES: dict[str, GroupSource] = {}
SOURCE_NUMBER_BIT = 1 << 19


def register_source(source: GroupSource) -> None:
    if source.prefix in ("s", "r") or len(source.prefix) != 1:
        raise ValueError(f"{source.prefix!r} cannot name another feature's groups")
    if SOURCES and source.prefix not in SOURCES:
        raise ValueError("the index's ids have room for one more source of groups")
    SOURCES[source.prefix] = source


def group_base(day: date, group_key: str) -> int:
    kind_bit = 0 if group_key[0] == "s" else 1
    number = int(group_key[1:]) % (1 << GROUP_BITS)
    if group_key[0] in SOURCES:
        number = SOURCE_NUMBER_BIT | (number % SOURCE_NUMBER_BIT)
    days = max(0, (day - EPOCH).days)
    return (days << (GROUP_BITS + 1 + SEQ_BITS)) | (kind_bit << (GROUP_BITS + SEQ_BITS)) | (
        number << SEQ_BITS
    )


def base_of(entry_id: int) -> int:
    """The lowest id of the group ``entry_id`` belongs to."""
    return entry_id & ~((1 << SEQ_BITS) - 1)


def year_range(scope: list[list[str]]) -> tuple[list[list[str]], int | None, int | None]:
    """Take the year token out of a search's ``scope``: (other filters, first id, end id)."""
    years = [int(alts[0][1:]) for alts in scope if len(alts) == 1 and alts[0][0] == "y"]
    rest = [alts for alts in scope if not (len(alts) == 1 and alts[0][0] == "y")]
    if not years:
        return rest, None, None
    return (rest, group_base(date(years[0], 1, 1), "s0"),
            group_base(date(years[0] + 1, 1, 1), "s0"))


class ScanTruncated(Exception):
    """A backend stopped reading matches at its work bound; the page ends with a cursor."""


def scope_tokens(body_id: int | None, has_transcript: bool, group_key: str) -> str:
    """The filter tokens both backends store. The municipality and the year are parts of the
    rowid on SQLite; PostgreSQL adds them as lexemes (see postgres.py)."""
    return f"b{body_id or 0} x{int(has_transcript)} g{group_key}"


def _day(value: datetime | None) -> date:
    if value is None:
        return EPOCH
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.date()


def build_group(conn: Connection, group_key: str) -> list[Entry]:
    """Every entry of ``group_key`` ("s12" or "r7"), from the current rows; [] if none."""
    number = int(group_key[1:])
    if group_key[0] in SOURCES:
        return _source_entries(conn, group_key, SOURCES[group_key[0]], number)
    if group_key[0] == "s":
        session = conn.execute(
            select(CouncilSession.__table__).where(CouncilSession.id == number)
        ).first()
        if session is None:
            return []
        recordings = conn.execute(
            select(Recording.__table__).where(Recording.session_id == number)
        ).all()
        return _session_entries(conn, group_key, session, recordings)
    recording = conn.execute(select(Recording.__table__).where(Recording.id == number)).first()
    if recording is None or recording.session_id is not None:
        return []
    return _entries(conn, group_key, recording.tenant_id, _day(recording.published_at), None,
                    [], [recording])


def _source_entries(conn, group_key, source: GroupSource, number: int) -> list[Entry]:
    group = source.build(conn, number)
    if group is None:
        return []
    scope = " ".join((source.token, *group.tokens, f"g{group_key}"))
    base = group_base(group.day, group_key)
    return [Entry(base + index + 1, group.tenant_id, group_key, scope, normalise(text.title),
                  normalise(text.display), text.display, text.kind, year=group.day.year)
            for index, text in enumerate(group.texts[:(1 << SEQ_BITS) - 1])]


def _session_entries(conn, group_key, session, recordings) -> list[Entry]:
    items = conn.execute(
        select(AgendaItem.position, AgendaItem.title)
        .where(AgendaItem.session_id == session.id).order_by(AgendaItem.position)
    ).all()
    documents = conn.execute(
        select(Document.title, Document.text).where(Document.session_id == session.id)
    ).all()
    texts = [("session", session.title, session.description)]
    texts += [("agenda", session.title, f"{item.position}. {item.title}") for item in items]
    texts += [("document", doc.title, doc.text) for doc in documents]
    return _entries(conn, group_key, session.tenant_id, _day(session.starts_at), session.body_id,
                    texts, recordings, session_id=session.id)


def _entries(conn, group_key, tenant_id, day, body_id, texts, recordings, session_id=None):
    recording_ids = [r.id for r in recordings]
    segments = conn.execute(
        select(TranscriptSegment.id, TranscriptSegment.recording_id,
               TranscriptSegment.start_seconds, TranscriptSegment.text,
               TranscriptSegment.speaker)
        .where(TranscriptSegment.recording_id.in_(recording_ids))
        .order_by(TranscriptSegment.recording_id, TranscriptSegment.start_seconds)
    ).all() if recording_ids else []
    scope = scope_tokens(body_id, bool(segments), group_key)
    base = group_base(day, group_key)
    out: list[Entry] = []

    def add(kind, title, display, **ids):
        if len(out) >= (1 << SEQ_BITS) - 1:
            return
        out.append(Entry(base + len(out) + 1, tenant_id, group_key, scope, normalise(title),
                         normalise(display), display, kind, session_id, **ids, year=day.year))

    for kind, title, display in texts:
        add(kind, title or "", display or "")
    for rec in recordings:
        add("recording", rec.title, rec.description or "", recording_id=rec.id)
    for seg in segments:
        # The speaker's name is indexed as the line's title: searching a member's name finds
        # their lines, and words once taken for a speaker label are still found.
        add("transcript", seg.speaker or "", seg.text, recording_id=seg.recording_id,
            start_s=seg.start_seconds, speaker=seg.speaker or "")
    return out
