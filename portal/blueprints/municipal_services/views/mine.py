"""A signed-in citizen's applications and appointments on "my page" (``register_my_items``),
each linking to its status page with a signed token."""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.blueprints.accounts.mine import MyItemsProvider, register_my_items
from portal.blueprints.municipal_services import requests
from portal.blueprints.municipal_services.lifecycle import STATUS_LABELS
from portal.blueprints.municipal_services.models import ServiceRequest
from portal.extensions import db
from portal.i18n import localized
from portal.tenancy import get_current_tenant


def _mine(user) -> list[tuple[str, str]]:
    tenant = get_current_tenant()
    if tenant is None or not tenant.has_feature("municipal_services"):
        return []
    rows = db.session.scalars(select(ServiceRequest).where(ServiceRequest.user_id == user.id)
                              .order_by(ServiceRequest.id.desc()).limit(50))
    items = []
    for row in rows:
        label = f"{localized(row.service.text('title'))} — {STATUS_LABELS[row.status]}"
        if row.kind == "appointment" and row.day is not None:
            label += f" ({requests.when(row)})"
        items.append((label, url_for("municipal_services.status", request_token=requests.token(row))))
    return items


register_my_items(MyItemsProvider("municipal_services", _l("My applications and appointments"), _mine))
