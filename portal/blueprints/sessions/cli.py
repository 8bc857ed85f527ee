"""``flask archive sync [--tenant slug]``, ``flask archive reindex``."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from portal.extensions import db

archive_cli = AppGroup("archive", help="Council sessions archive: sync and search index.")


@archive_cli.command("sync")
@click.option("--tenant", "slug", help="Only this municipality (slug).")
def sync(slug: str | None):
    """Fetch new recordings from YouTube and Facebook now (what the periodic job does)."""
    from portal.blueprints.sessions.sources.sync import sync_all
    from portal.tenancy import get_directory

    # Municipalities that switched the archive off are not synced (as the periodic job).
    tenants = [t for t in get_directory(current_app).active() if t.has_feature("sessions")]
    if slug:
        tenants = [t for t in tenants if t.slug == slug]
        if not tenants:
            raise click.ClickException(f"no active municipality {slug!r} with the archive on")
    for name, result in sync_all(tenants, checkpoint=db.session.commit).items():
        click.echo(f"{name}: {result}")
    db.session.commit()


@archive_cli.command("reindex")
def reindex():
    """Rebuild the search index from the archive tables."""
    from portal.blueprints.sessions.search import reindex_all
    from portal.tenancy import all_tenants

    with all_tenants():
        count = reindex_all(db.session.connection())
    db.session.commit()
    click.echo(f"reindexed {count} groups")
