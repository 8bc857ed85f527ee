"""Template helpers of the archive: localised names, player positions, "play from here" links."""

from __future__ import annotations

from flask import url_for
from flask_babel import get_locale

from portal.blueprints.sessions import bp, player, queries


@bp.app_template_filter("local_name")
def local_name(obj) -> str:
    if str(get_locale()) == "en" and getattr(obj, "name_en", ""):
        return obj.name_en
    return obj.name_ka


bp.add_app_template_filter(player.clock, "clock")
bp.add_app_template_global(player.embed_url, "embed_url")


@bp.app_template_global()
def play_url(group, hit, tenant_slug: str | None = None) -> str:
    """Where "play from here" goes: the session (or lone recording) page at that second."""
    extra = {"tenant": tenant_slug} if tenant_slug else {}
    start = int(hit.start_s or 0)
    if group.session_id:
        return url_for("sessions.show", session_id=group.session_id,
                       recording=hit.recording_id, t=start, _anchor="player", **extra)
    return url_for("sessions.recording", recording_id=hit.recording_id or group.recording_id,
                   t=start, _anchor="player", **extra)


@bp.app_template_global()
def result_url(group, tenant_slug: str | None = None) -> str:
    extra = {"tenant": tenant_slug} if tenant_slug else {}
    if group.session_id:
        return url_for("sessions.show", session_id=group.session_id, **extra)
    return url_for("sessions.recording", recording_id=group.recording_id, **extra)


@bp.app_template_global()
def sessions_home() -> dict:
    """Upcoming sessions and current livestreams for the municipality's home page."""
    return {"upcoming": queries.upcoming(limit=3), "live": queries.live_recordings()}
