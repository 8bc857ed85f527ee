"""The platform root's list of petitions (``/petitions/`` on the shared host): those collecting
signatures in every active municipality that has petitions on, each linking to its
municipality's page on its configured domain."""

from __future__ import annotations

from flask import current_app

from portal.blueprints.petitions import platform_bp, queries
from portal.blueprints.petitions.lifecycle import STATUS_LABELS
from portal.tenancy import all_tenants, get_directory
from portal.tenancy.links import message_url
from portal.web.rendering import render


@platform_bp.get("/petitions/")
def all_petitions():
    tenants = {t.id: t for t in get_directory(current_app).active() if t.has_feature("petitions")}
    with all_tenants():
        petitions = queries.open_across(tuple(tenants))
    groups = []
    for tenant in sorted(tenants.values(), key=lambda t: t.slug):
        mine = [(p, message_url("petitions.show", tenant=tenant, petition_id=p.id))
                for p in petitions if p.tenant_id == tenant.id]
        if mine:
            groups.append((tenant, message_url("petitions.index", tenant=tenant), mine))
    return render("petitions/platform.html", groups=groups, status_labels=STATUS_LABELS)
