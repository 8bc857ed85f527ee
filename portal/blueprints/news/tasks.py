"""Jobs of news: ``announce_scheduled_news`` tells subscribers about items whose scheduled
time has come (``topics.announce_due``)."""

from __future__ import annotations

from portal.jobs import job


@job(retries=1)
def announce_scheduled_news(tenant_id: int) -> str:
    """Announce, once each, the published items whose time has come (every minute)."""
    from portal.blueprints.news.topics import announce_due

    return f"{announce_due()} items announced"
