"""Template helpers of the archive: player positions, "play from here" links."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext

from portal.blueprints.sessions import bp
from portal.blueprints.sessions.council import queries
from portal.blueprints.sessions.recordings import player

bp.add_app_template_filter(player.clock, "clock")
bp.add_app_template_global(player.embed_url, "embed_url")


@bp.app_template_global()
def result_url(group, tenant_slug: str | None = None) -> str:
    extra = {"tenant_slug": tenant_slug} if tenant_slug else {}
    if group.session_id:
        return url_for("sessions.show", session_id=group.session_id, **extra)
    return url_for("sessions.recording", recording_id=group.recording_id, **extra)


@bp.app_template_global()
def play_url(group, hit, result: str) -> str:
    """Where "play from here" goes: the group's page (``result``, its ``result_url``, built
    once per group) at that second, with the recording when the group is a session."""
    start = int(hit.start_s or 0)  # ids and seconds are integers: nothing to quote
    if group.session_id and hit.recording_id:
        return f"{result}?recording={int(hit.recording_id)}&t={start}#player"
    return f"{result}?t={start}#player"


@bp.app_template_global()
def play_from() -> str:
    """"Play from %(at)s" in the page's language, for ``|format(at=…)``: looked up once per
    page rather than once per line (a page of results has fifty; 20 µs each)."""
    return gettext("Play from %(at)s")


@bp.app_template_global()
def sessions_home() -> dict:
    """Upcoming sessions and current livestreams for the municipality's home page."""
    return {"upcoming": queries.upcoming(limit=3, with_live=False),
            "live": queries.live_recordings()}
