"""The archive as other features see it: the one module of ``sessions`` another feature may
import (``tests/test_imports.py: SHARED_FEATURE_MODULES``), so that none of them reaches into
the archive's models, queries or templates.

What it gives is plain values (``SessionSummary``, ``TranscriptLine``, ``Moment``), always of
the current municipality (every statement is scoped, and ids are looked up with
``CURRENT_TENANT_ONLY``, so another municipality's id is "not found"):

- the sessions a picker offers (``session_choices``), one session (``session_summary``), its
  transcript lines (``transcript_lines``) and its recordings' lengths (``recording_lengths``);
- ``check_moment``: a session, and optionally a transcript line of it or a time in its
  recording, checked; refusals are ``DomainError``s naming the fields ``session``, ``segment``
  and ``time`` (name your form's fields so);
- the public URLs of a session and of a moment in it (``session_url``, ``moment_url``,
  ``linked_session`` for a page that shows a stored link);
- the session page's back-links: a feature registers a ``BackLinkProvider`` (at import, like
  the dashboard's providers); the session page shows each provider's links under its heading,
  one call (one query) per provider, so the page's query count does not grow with the links.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.blueprints.sessions.admin.council_forms import ClockField
from portal.blueprints.sessions.models import Body, CouncilSession, Recording, TranscriptSegment
from portal.blueprints.sessions.recordings.player import clock
from portal.db import CURRENT_TENANT_ONLY
from portal.extensions import db
from portal.i18n import local_name, long_date, to_local
from portal.services.errors import DomainError
from portal.tenancy import current_tenant
from portal.tenancy.links import message_url

__all__ = ["BackLink", "BackLinkProvider", "ClockField", "LinkedSession", "Moment",
           "SessionSummary", "TranscriptLine", "back_links", "check_moment", "clock",
           "linked_session", "moment_url", "register_back_links", "recording_lengths",
           "save_search", "session_choices", "session_summary", "session_url", "transcript_lines"]

#: How many sessions a picker offers (newest and upcoming first).
PICKER_SIZE = 100
#: How much of a transcript line a picker shows.
LINE_CHARS = 90
#: Where a moment's link lands on the session page: the player, started there.
PLAYER_ANCHOR = "player"


@dataclass(frozen=True)
class SessionSummary:
    id: int
    title: str
    starts_at: datetime
    status: str
    #: The body's names (Georgian, English or empty); ``body`` picks the visitor's.
    body_name_ka: str
    body_name_en: str

    @property
    def body(self) -> str:
        """The body's name in the page's language (``portal.i18n.local_name``)."""
        return local_name(SimpleNamespace(name_ka=self.body_name_ka, name_en=self.body_name_en))

    @property
    def label(self) -> str:
        """"Title (14 March 2025)" in the visitor's language, for pickers and links."""
        return f"{self.title} ({long_date(self.starts_at)})"

    @property
    def note(self) -> str:
        """"Title, 14.03.2025": the same in words that need no language (timeline notes)."""
        return f"{self.title}, {to_local(self.starts_at):%d.%m.%Y}"


@dataclass(frozen=True)
class TranscriptLine:
    id: int
    recording_id: int
    seconds: int
    speaker: str
    #: The line's words, cut to ``LINE_CHARS``.
    text: str

    @property
    def label(self) -> str:
        speaker = f"{self.speaker}: " if self.speaker else ""
        return f"{clock(self.seconds)} — {speaker}{self.text}"


@dataclass(frozen=True)
class Moment:
    """A place in a session's recording: a transcript line, or seconds, or neither."""

    session_id: int
    recording_id: int | None = None
    seconds: int | None = None
    segment_id: int | None = None


@dataclass(frozen=True)
class LinkedSession:
    """What a page shows of a stored link: the session, its page and the moment's link."""

    session: SessionSummary
    url: str | None
    moment_url: str | None
    seconds: int | None


def _summary(session: CouncilSession, body: Body) -> SessionSummary:
    return SessionSummary(session.id, session.title, session.starts_at, session.status,
                          body.name_ka, body.name_en or "")


def _sessions():
    return select(CouncilSession, Body).join(Body, Body.id == CouncilSession.body_id)


def session_summary(session_id: int | None) -> SessionSummary | None:
    """The current municipality's session ``session_id``, or None (another's, or none)."""
    if session_id is None:
        return None
    row = db.session.execute(_sessions().where(CouncilSession.id == session_id)
                             .execution_options(**{CURRENT_TENANT_ONLY: True})).first()
    return _summary(*row) if row else None


def session_choices(*, include: int | None = None, limit: int = PICKER_SIZE) -> list[SessionSummary]:
    """The municipality's sessions for a picker, newest (upcoming ones included) first; the
    session ``include`` (the one already chosen) is in the list even when older."""
    rows = db.session.execute(_sessions().order_by(CouncilSession.starts_at.desc(),
                                                   CouncilSession.id.desc()).limit(limit)).all()
    found = [_summary(*row) for row in rows]
    if include is not None and all(s.id != include for s in found):
        chosen = session_summary(include)
        if chosen is not None:
            found.append(chosen)
    return found


def transcript_lines(session_id: int) -> list[TranscriptLine]:
    """The transcript lines of the session's recordings (recording by recording, in time)."""
    rows = db.session.execute(
        select(TranscriptSegment.id, TranscriptSegment.recording_id,
               TranscriptSegment.start_seconds, TranscriptSegment.speaker, TranscriptSegment.text)
        .join(Recording, Recording.id == TranscriptSegment.recording_id)
        .where(Recording.session_id == session_id)
        .order_by(Recording.id, TranscriptSegment.start_seconds, TranscriptSegment.id)).all()
    return [TranscriptLine(id_, recording_id, int(start), speaker or "", _short(text))
            for id_, recording_id, start, speaker, text in rows]


def _short(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= LINE_CHARS else text[:LINE_CHARS - 1].rstrip() + "…"


def recording_lengths(session_id: int) -> dict[int, int | None]:
    """Recording id → its length in seconds (None when the source did not say), first the
    recording a time without a line refers to."""
    return dict(db.session.execute(
        select(Recording.id, Recording.duration_seconds).where(Recording.session_id == session_id)
        .order_by(Recording.id)).all())


def _main_recording(session_id: int) -> tuple[int, int | None] | None:
    """The recording a bare time refers to: the session's first (by id), and its length."""
    lengths = recording_lengths(session_id)
    return next(iter(lengths.items()), None)


def check_moment(session_id, *, segment_id=None, seconds=None) -> Moment:
    """Check a session of this municipality and, optionally, the moment in its recording.

    ``segment_id`` must be a line of this session's transcript; else ``seconds`` must lie
    within the recording's length when the length is known. Raises ``DomainError`` naming
    the field ``session``, ``segment`` or ``time``; changes nothing.
    """
    if session_summary(session_id) is None:
        raise DomainError(_l("Choose a session of this municipality's archive."), "session")
    if segment_id is not None:
        return _segment_moment(session_id, segment_id)
    if seconds is None:
        return Moment(session_id)
    main = _main_recording(session_id)
    length = main[1] if main else None
    if seconds < 0 or (length is not None and seconds > length):
        raise DomainError(_l("The time must lie within the recording (%(length)s long).",
                             length=clock(length or 0)), "time")
    return Moment(session_id, main[0] if main else None, int(seconds))


def _segment_moment(session_id: int, segment_id: int) -> Moment:
    row = db.session.execute(
        select(TranscriptSegment.recording_id, TranscriptSegment.start_seconds,
               Recording.session_id)
        .join(Recording, Recording.id == TranscriptSegment.recording_id)
        .where(TranscriptSegment.id == segment_id)
        .execution_options(**{CURRENT_TENANT_ONLY: True})).first()
    if row is None:
        raise DomainError(_l("Choose a line of the session's transcript."), "segment")
    recording_id, start, owner = row
    if owner != session_id:
        raise DomainError(_l("This line belongs to another session's transcript; choose a "
                             "line of the chosen session."), "segment")
    return Moment(session_id, recording_id, int(start), segment_id)


def _archive_shown() -> bool:
    return current_tenant.has_feature("sessions")


def session_url(session_id: int, *, external: bool = False) -> str:
    """The session's public page (``external``: absolute, from the configured domains)."""
    if external:
        return message_url("sessions.show", session_id=session_id)
    return url_for("sessions.show", session_id=session_id)


def moment_url(moment: Moment, *, external: bool = False) -> str:
    """The session's page with the player started at the moment (the page itself when the
    moment names no time)."""
    if moment.seconds is None:
        return session_url(moment.session_id, external=external)
    values = {"session_id": moment.session_id, "recording": moment.recording_id,
              "t": moment.seconds}
    if external:
        return message_url("sessions.show", **values) + "#" + PLAYER_ANCHOR
    return url_for("sessions.show", **{k: v for k, v in values.items() if v is not None},
                   _anchor=PLAYER_ANCHOR)


def linked_session(session_id: int | None, *, segment_id: int | None = None,
                   seconds: int | None = None, external: bool = False) -> LinkedSession | None:
    """A stored link resolved for a page or an API: None when the session is gone (or not
    this municipality's); no URLs while the municipality has the archive switched off. A
    line since removed from the transcript falls back to the stored seconds."""
    session = session_summary(session_id)
    if session is None:
        return None
    moment = None
    if segment_id is not None:
        try:
            moment = _segment_moment(session.id, segment_id)
        except DomainError:
            moment = None
    if moment is None and seconds is not None:
        main = _main_recording(session.id)
        moment = Moment(session.id, main[0] if main else None, seconds)
    if not _archive_shown():
        return LinkedSession(session, None, None, moment.seconds if moment else None)
    return LinkedSession(session, session_url(session.id, external=external),
                         moment_url(moment, external=external) if moment else None,
                         moment.seconds if moment else None)


# Back-links on the session page --------------------------------------------------------------

@dataclass(frozen=True)
class BackLink:
    label: str
    url: str
    #: A word beside the link (a petition's status, say).
    note: str = ""


@dataclass(frozen=True)
class BackLinkProvider:
    name: str
    #: The heading of the provider's links on the session page ("Petitions discussed …").
    heading: object
    #: (session summary) → the links, of the current municipality; one query at most.
    links: Callable[[SessionSummary], list[BackLink]]
    #: The feature it belongs to: its links disappear where that feature is off.
    feature: str | None = None


BACK_LINK_PROVIDERS: list[BackLinkProvider] = []


def register_back_links(provider: BackLinkProvider) -> None:
    """Add a provider once (registering twice, e.g. from two app instances, is harmless)."""
    if all(p.name != provider.name for p in BACK_LINK_PROVIDERS):
        BACK_LINK_PROVIDERS.append(provider)


def back_links(session: SessionSummary) -> list[tuple[BackLinkProvider, list[BackLink]]]:
    """Each provider's links to ``session`` (providers with none are left out)."""
    found = []
    for provider in BACK_LINK_PROVIDERS:
        if provider.feature is not None and not current_tenant.has_feature(provider.feature):
            continue
        items = provider.links(session)
        if items:
            found.append((provider, items))
    return found


def summary_of(session: CouncilSession) -> SessionSummary:
    """For the archive's own session page, which has the session loaded with its body."""
    return _summary(session, session.body)


def save_search(text: str) -> int:
    """The id of this municipality's saved search of ``text`` (made if new, hearing only of
    what appears from now on): the thing of the subscriptions topic ``sessions.search``.
    Flushes; raises DomainError (field ``q``) for no words or too many characters."""
    from portal.blueprints.sessions.search_alerts import save_search as save

    saved = save(text)
    db.session.flush()
    return saved.id
