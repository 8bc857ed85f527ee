"""Job entry points for the archive; the job queue (issue 3) registers and schedules them."""

from __future__ import annotations

from flask import current_app

from portal.extensions import db
from portal.tenancy import get_directory


def sync_sessions(tenant_id: int) -> str:
    """Sync one municipality's YouTube channel and Facebook Page into its archive.

    Commits page by page (the sync is resumable), so it owns its commits, like a CLI command.
    """
    from portal.blueprints.sessions.sync import clients_for, sync_tenant

    tenant = next((t for t in get_directory(current_app).active() if t.id == tenant_id), None)
    if tenant is None:
        return "no such municipality"
    runs = sync_tenant(tenant, clients_for(tenant), checkpoint=db.session.commit)
    db.session.commit()
    return ", ".join(f"{r.source}:{r.status}" for r in runs) or "no source configured"
