"""Satisfaction's things for the URL-map walks (see tests/factories.py): an invitation's link,
an answered invitation with a comment for the moderation routes; and their (empty) forms."""

from __future__ import annotations

from datetime import timedelta

from portal.blueprints.satisfaction.links import token
from portal.blueprints.satisfaction.models import Invitation
from portal.db import utcnow
from portal.extensions import db
from portal.tenancy import tenant_context
from tests.factories import factory, submission

_numbers = iter(range(1, 10**6))


def make_invitation(app, tenant, *, kind: str = "service", subject_id: int | None = None,
                    rating: int | None = None, comment: str = "", comment_state: str | None = None,
                    sent_days_ago: int = 1, department: str = "სოციალური სამსახური",
                    **values) -> tuple[int, str]:
    """A committed, sent invitation of ``tenant``: (its id, its link's token)."""
    sent = utcnow() - timedelta(days=sent_days_ago)
    with app.app_context(), tenant_context(tenant):
        row = Invitation(kind=kind, subject_id=subject_id or 500000 + next(_numbers),
                         department=department, channel="email", contact_hash="x" * 64,
                         locale="ka", status="sent", sent_at=sent,
                         expires_at=sent + timedelta(days=60), rating=rating, comment=comment,
                         comment_state=comment_state if comment_state is not None else ("new" if comment else ""),
                         answered_at=sent + timedelta(hours=2) if rating else None, **values)
        db.session.add(row)
        db.session.commit()
        return row.id, token(row)


def _invitation(objects):
    return objects.once("satisfaction:invitation", lambda: make_invitation(objects.app, objects.tenant))


@factory("satisfaction", "link_token")
def _link(objects):
    return _invitation(objects)[1]


@factory("satisfaction_admin", "invitation_id")
def _commented(objects):
    return objects.once("satisfaction:commented", lambda: make_invitation(
        objects.app, objects.tenant, rating=2, comment="რიგი ძალიან გრძელი იყო.")[0])


submission("satisfaction_admin.approve")(lambda objects, client: {"comments": "new"})
submission("satisfaction_admin.hide")(lambda objects, client: {"comments": "new"})
