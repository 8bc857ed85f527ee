"""The signed link that confirms a comment's e-mail address: which comment, of which
municipality; it expires after ``CONFIRM_WITHIN``. Only the outbox's sealed copy holds it."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from portal.blueprints.consultations.models import ConsultationComment
from portal.extensions import db
from portal.tenancy import current_tenant

CONFIRM_WITHIN = timedelta(days=3)
_SALT = "consultations.confirm"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=_SALT)


def token(comment: ConsultationComment) -> str:
    return _serializer().dumps({"c": comment.id, "t": comment.tenant_id})


def comment_of(link_token: str) -> tuple[ConsultationComment | None, str | None]:
    """(the comment, None) for a good link of this municipality; (None, "bad") for a tampered
    or foreign one; (None, "expired") for one past its time."""
    if not link_token or len(link_token) > 300:
        return None, "bad"
    try:
        data = _serializer().loads(link_token, max_age=int(CONFIRM_WITHIN.total_seconds()))
    except SignatureExpired:
        return None, "expired"
    except BadSignature:
        return None, "bad"
    if not isinstance(data, dict) or data.get("t") != current_tenant.id or not isinstance(data.get("c"), int):
        return None, "bad"
    comment = db.session.get(ConsultationComment, data["c"])
    if comment is None or comment.tenant_id != current_tenant.id:
        return None, "bad"
    return comment, None
