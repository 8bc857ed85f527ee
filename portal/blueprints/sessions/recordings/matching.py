"""Match recordings to sessions by date and title, with a confidence between 0 and 1.

The day counts most (a recording published the day of a sitting, in the municipality's time
zone); the title adds the rest (the body's name, shared words with the session title, the
session number). A match at or above ``THRESHOLD`` is linked and shown; staff confirm or correct
it in the review list, and a confirmed match is never changed by the sync.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from portal.blueprints.sessions.search.normalise import normalise

THRESHOLD = 0.5


def _local_day(value: datetime, zone: ZoneInfo):
    return value.astimezone(zone).date()


def score(title: str, published_at: datetime | None, session_title: str,
          session_starts_at: datetime, body_name: str, zone: ZoneInfo) -> float:
    if published_at is None:
        return 0.0
    days = abs((_local_day(published_at, zone) - _local_day(session_starts_at, zone)).days)
    date_score = {0: 0.6, 1: 0.35, 2: 0.1}.get(days, 0.0)
    if date_score == 0:
        return 0.0
    words = set(normalise(title).split())
    wanted = {w for w in normalise(session_title).split() if len(w) > 2 or w.isdigit()}
    overlap = len(words & wanted) / len(wanted) if wanted else 0.0
    body_words = {w for w in normalise(body_name).split() if len(w) > 3}
    body_bonus = 0.1 if body_words and body_words <= words else 0.0
    return round(min(1.0, date_score + 0.3 * overlap + body_bonus), 3)


def best_match(title, published_at, candidates, zone: ZoneInfo):
    """(session, confidence) of the best candidate (sessions with ``body`` loaded), or (None, 0)."""
    best, best_score = None, 0.0
    for session in candidates:
        value = score(title, published_at, session.title, session.starts_at,
                      session.body.name_ka, zone)
        if value > best_score:
            best, best_score = session, value
    if best_score < THRESHOLD:
        return None, best_score
    return best, best_score
