"""The signed link of an invitation: which invitation, of which municipality; it expires with
the invitation (``invitations.VALID_DAYS``). Only the outbox's sealed copy ever holds it."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from portal.blueprints.satisfaction.models import Invitation
from portal.db import utcnow
from portal.extensions import db
from portal.tenancy import current_tenant

_SALT = "satisfaction.answer"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=_SALT)


def token(invitation: Invitation) -> str:
    return _serializer().dumps({"i": invitation.id, "t": invitation.tenant_id})


def answer_url(link_token: str) -> str:
    from portal.tenancy.links import message_url

    return message_url("satisfaction.answer", link_token=link_token)


def invitation_of(link_token: str) -> tuple[Invitation | None, str | None]:
    """(the invitation, None) for a good link of this municipality; (None, "bad") for a
    tampered or foreign one; (None or the invitation, "expired") for one past its time."""
    from portal.blueprints.satisfaction.invitations import VALID_DAYS

    if not link_token or len(link_token) > 300:
        return None, "bad"
    try:
        data = _serializer().loads(link_token, max_age=VALID_DAYS * 86400)
    except SignatureExpired:
        return None, "expired"
    except BadSignature:
        return None, "bad"
    if not isinstance(data, dict) or data.get("t") != current_tenant.id or not isinstance(data.get("i"), int):
        return None, "bad"
    invitation = db.session.get(Invitation, data["i"])
    if invitation is None or invitation.tenant_id != current_tenant.id or invitation.status != "sent":
        return None, "bad"
    if invitation.expires_at is not None and _aware(invitation.expires_at) < utcnow():
        return invitation, "expired"
    return invitation, None


def _aware(moment):
    from datetime import UTC

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
