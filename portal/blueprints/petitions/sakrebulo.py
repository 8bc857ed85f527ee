"""The petition at the Sakrebulo: on the agenda of a session of the archive, then decided,
with the decision's text and the moment of the recording where it was discussed.

The archive is reached only through its public module (``sessions.links``): the session and
the line are checked there (this municipality's, the line of that session, the time within
the recording), the links are built there, and the session page lists the petitions discussed
at it through the back-link provider registered below.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.blueprints.petitions import lifecycle
from portal.blueprints.petitions.models import Petition, PetitionEvent
from portal.blueprints.sessions import links
from portal.extensions import db
from portal.services.errors import DomainError

#: Statuses in which a petition is linked to a session (and listed on the session's page).
AT_SAKREBULO = ("on_agenda", "decided")


def put_on_agenda(petition: Petition, session_id: int | None, *, actor=None,
                  now: datetime | None = None, notify: bool = True) -> PetitionEvent:
    """Put a submitted petition on the agenda of this municipality's session ``session_id``;
    the timeline's entry names the session. Raises DomainError (field ``session``).
    ``now`` and ``notify`` as in ``lifecycle.move``."""
    session = links.session_summary(session_id)
    if session is None:
        raise DomainError(_l("Choose a session of this municipality's archive."), "session")
    event = lifecycle.move(petition, "on_agenda", actor=actor, note=session.note, now=now,
                           notify=notify)
    petition.session_id = session.id
    petition.session_segment_id = None
    petition.session_seconds = None
    db.session.flush()
    return event


def record_decision(petition: Petition, text: str, *, session_id: int | None = None,
                    segment_id: int | None = None, seconds: int | None = None,
                    actor=None, now: datetime | None = None,
                    notify: bool = True) -> PetitionEvent:
    """Record the Sakrebulo's decision (``text``, required) and where it was discussed: a
    session of this municipality and, optionally, a line of its transcript or a time in its
    recording. Everything is checked before anything changes. Raises DomainError naming the
    field ``decision``, ``session``, ``segment`` or ``time``."""
    text = (text or "").strip()
    if not text:
        raise DomainError(_l("Write the Sakrebulo's decision."), "decision")
    if segment_id is not None and seconds is not None:
        raise DomainError(_l("Choose a line of the transcript or give a time, not both."), "time")
    moment = None
    if session_id is not None:
        moment = links.check_moment(session_id, segment_id=segment_id, seconds=seconds)
    elif segment_id is not None or seconds is not None:
        raise DomainError(_l("Choose the session the moment belongs to."), "session")
    event = lifecycle.move(petition, "decided", actor=actor, note=text, now=now, notify=notify)
    petition.decision_text = text
    if moment is not None:
        petition.session_id = moment.session_id
        petition.session_segment_id = moment.segment_id
        # A line's time is kept too: the link survives a transcript replaced later.
        petition.session_seconds = moment.seconds
    db.session.flush()
    return event


@dataclass(frozen=True)
class AtSakrebulo:
    """What the petition's page and the API show of its way through the Sakrebulo."""

    session: links.LinkedSession | None
    decision_text: str


def at_sakrebulo(petition: Petition, *, external: bool = False) -> AtSakrebulo | None:
    """The linked session (with its page's and the moment's URLs) and the decision, or None
    when there is neither."""
    session = None
    if petition.session_id is not None:
        session = links.linked_session(petition.session_id, segment_id=petition.session_segment_id,
                                       seconds=petition.session_seconds, external=external)
    if session is None and not petition.decision_text:
        return None
    return AtSakrebulo(session, petition.decision_text or "")


def _petitions_at(session: links.SessionSummary) -> list[links.BackLink]:
    rows = db.session.execute(
        select(Petition.id, Petition.title, Petition.status)
        .where(Petition.session_id == session.id, Petition.status.in_(AT_SAKREBULO))
        .order_by(Petition.id)).all()
    return [links.BackLink(title, url_for("petitions.show", petition_id=pid),
                           str(lifecycle.STATUS_LABELS[status]))
            for pid, title, status in rows]


links.register_back_links(links.BackLinkProvider(
    "petitions", _l("Petitions discussed at this session"), _petitions_at, feature="petitions"))
