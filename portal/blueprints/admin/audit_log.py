"""The audit log of this municipality: searchable and filterable, read-only for everyone."""

from __future__ import annotations

from datetime import UTC, datetime, time

from sqlalchemy import or_, select

from portal.blueprints.admin import bp
from portal.blueprints.admin.forms import AuditFilterForm
from portal.services.audit import AuditEntry
from portal.services.audit_labels import action_label, describe_values
from portal.tenancy import current_tenant
from portal.web.pagination import page_arg, paginate
from portal.web.permissions import requires
from portal.web.rendering import render

PAGE_SIZE = 50


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@bp.get("/audit")
@requires("audit.view")
def audit_log():
    from flask import request

    form = AuditFilterForm(formdata=request.args)
    query = select(AuditEntry).where(AuditEntry.tenant_id == current_tenant.id)
    page = page_arg()
    if form.validate():
        if form.q.data:
            pattern = f"%{_escape_like(form.q.data.strip())}%"
            query = query.where(or_(AuditEntry.actor_email.ilike(pattern, escape="\\"),
                                    AuditEntry.target.ilike(pattern, escape="\\"),
                                    AuditEntry.ip.ilike(pattern, escape="\\")))
        if form.action.data:
            query = query.where(AuditEntry.action.startswith(form.action.data.strip(), autoescape=True))
        if form.since.data:
            query = query.where(AuditEntry.created_at >= datetime.combine(form.since.data, time.min, UTC))
        if form.until.data:
            query = query.where(AuditEntry.created_at <= datetime.combine(form.until.data, time.max, UTC))
    entries = paginate(query.order_by(AuditEntry.id.desc()), page, PAGE_SIZE, count=False)
    status = 422 if form.errors else 200
    return render("admin/audit.html", block="results", status=status, form=form,
                  entries=entries,
                  audit_action=action_label, describe_audit_values=describe_values)
