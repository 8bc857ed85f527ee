"""The two links a subscriber gets: confirm (signed, expires) and manage (signed, lasts).

The confirmation link's token names the subscriber, the municipality and the subscriber's
random ``link_nonce`` and expires after ``CONFIRM_WITHIN``. The manage token (also the
one-click unsubscribe token of every message, so it fits ``unsubscribe.views.TOKEN_RE``) is
``<id>-<HMAC>``: nothing readable is stored, and a new nonce (or leaving) ends every old link.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from portal.blueprints.subscriptions.models import Subscriber
from portal.extensions import db
from portal.tenancy import current_tenant

#: How long a confirmation link works (unconfirmed subscribers are purged a day later).
CONFIRM_WITHIN = timedelta(days=3)
_CONFIRM_SALT = "subscriptions.confirm"
_MANAGE_SALT = b"subscriptions.manage"


def confirmation_token(subscriber: Subscriber) -> str:
    return _serializer().dumps({"s": subscriber.id, "t": subscriber.tenant_id,
                                "n": subscriber.link_nonce})


def from_confirmation_token(token: str) -> Subscriber | None:
    """The subscriber a good, unexpired token of this municipality names, else None."""
    if not token or len(token) > 300:
        return None
    try:
        data = _serializer().loads(token, max_age=int(CONFIRM_WITHIN.total_seconds()))
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("t") != current_tenant.id:
        return None
    subscriber = db.session.get(Subscriber, data.get("s"))
    if subscriber is None or not hmac.compare_digest(subscriber.link_nonce, str(data.get("n"))):
        return None
    return subscriber


def manage_token(subscriber: Subscriber) -> str:
    return f"{subscriber.id}-{_mac(subscriber)}"


def from_manage_token(token: str) -> Subscriber | None:
    """The subscriber of this municipality ``token`` names, else None."""
    number, _, mac = (token or "").partition("-")
    if not number.isdigit() or len(number) > 12 or not mac:
        return None
    subscriber = db.session.get(Subscriber, int(number))
    if subscriber is None or subscriber.tenant_id != current_tenant.id:
        return None
    return subscriber if hmac.compare_digest(_mac(subscriber), mac) else None


def _mac(subscriber: Subscriber) -> str:
    message = f"{subscriber.tenant_id}:{subscriber.id}:{subscriber.link_nonce}".encode()
    key = hashlib.sha256(_MANAGE_SALT + current_app.secret_key.encode()).digest()
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode().rstrip("=")


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=_CONFIRM_SALT)
