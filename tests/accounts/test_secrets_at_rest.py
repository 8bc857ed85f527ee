"""Secrets at rest (issue 10, item 6): TOTP secrets encrypted with a key from the environment,
link tokens never readable in the outbox, delivered messages purged after the retention period."""

from __future__ import annotations

from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select, text, update

from portal.db import utcnow
from portal.extensions import db
from portal.tenancy import tenant_context
from tests.accounts.test_mail_delivery import deliver, link_in, smtp  # noqa: F401 (fixture)
from tests.helpers import csrf_token


def test_totp_secrets_are_encrypted_in_the_database(app, poti, staff):
    from portal.services import crypto

    user = staff(poti, ["editor"])
    with app.app_context():
        stored = db.session.execute(text("SELECT totp_secret_sealed FROM users WHERE id = :id"),
                                    {"id": user.id}).scalar_one()
        assert user.totp_secret not in stored
        assert crypto.decrypt(stored) == user.totp_secret


def test_production_needs_a_valid_encryption_key(monkeypatch, tmp_path):
    from portal.config import ConfigError, load_config

    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("PORTAL_BASE_DOMAIN", "portal.example.ge")
    monkeypatch.delenv("PORTAL_ENCRYPTION_KEY", raising=False)
    monkeypatch.setenv("PORTAL_LOOKUP_KEY", "a production lookup key")
    with pytest.raises(ConfigError, match="PORTAL_ENCRYPTION_KEY"):
        load_config(str(tmp_path))
    monkeypatch.setenv("PORTAL_ENCRYPTION_KEY", "not a key")
    with pytest.raises(ConfigError, match="PORTAL_ENCRYPTION_KEY"):
        load_config(str(tmp_path))
    new, old = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setenv("PORTAL_ENCRYPTION_KEY", f"{new}, {old}")
    assert load_config(str(tmp_path))["PORTAL_ENCRYPTION_KEYS"] == (new, old)


def test_an_old_key_still_decrypts_after_rotation(app, monkeypatch):
    from portal.services import crypto

    old = Fernet.generate_key().decode()
    monkeypatch.setitem(app.config, "PORTAL_ENCRYPTION_KEYS", (old,))
    with app.app_context():
        sealed = crypto.encrypt("JBSWY3DPEHPK3PXP")
    monkeypatch.setitem(app.config, "PORTAL_ENCRYPTION_KEYS", (Fernet.generate_key().decode(), old))
    with app.app_context():
        assert crypto.decrypt(sealed) == "JBSWY3DPEHPK3PXP"


def test_rotation_re_encrypts_stored_secrets_with_the_new_key(app, poti, staff, monkeypatch):
    from portal.blueprints.accounts.models import User

    old = Fernet.generate_key().decode()
    monkeypatch.setitem(app.config, "PORTAL_ENCRYPTION_KEYS", (old,))
    user = staff(poti, ["editor"])
    new = Fernet.generate_key().decode()
    monkeypatch.setitem(app.config, "PORTAL_ENCRYPTION_KEYS", (new, old))
    result = app.test_cli_runner().invoke(args=["crypto", "rotate"])
    assert result.exit_code == 0 and "re-encrypted" in result.output, result.output
    monkeypatch.setitem(app.config, "PORTAL_ENCRYPTION_KEYS", (new,))
    with app.app_context():
        assert db.session.get(User, user.id).totp_secret == user.totp_secret


def _stored(app, tenant):
    from portal.delivery.models import OutboxMessage

    with app.app_context(), tenant_context(tenant):
        return db.session.execute(select(OutboxMessage)).scalars().all()


def test_link_tokens_are_never_readable_in_the_outbox(app, client, poti, staff, smtp):  # noqa: F811
    user = staff(poti, ["editor"])
    page = client.get("/poti/accounts/reset")
    client.post("/poti/accounts/reset", data={"csrf_token": csrf_token(page.text), "email": user.email})
    [queued] = _stored(app, poti)
    waiting = queued.body_text + (queued.body_html or "") + (queued.subject or "")
    assert "/accounts/reset/" in queued.body_text
    assert deliver(app, poti).sent == 1
    [message] = smtp.messages
    link = link_in(message)
    token = link.rsplit("/", 1)[1]
    assert len(token) > 40 and client.get(link).status_code == 200  # the mail carries a live link
    assert token not in waiting  # not even while the message waited to be sent
    [kept] = _stored(app, poti)
    assert kept.status == "sent" and kept.secret_sealed is None
    assert token not in kept.body_text + (kept.body_html or "") + (kept.subject or "")


def test_delivered_messages_are_purged_after_the_retention_period(app, poti, abasha):
    from portal.delivery.models import OutboxMessage
    from portal.delivery.retention import purge_outbox
    from portal.services.outbox import queue_email

    ids = {}
    for tenant in (poti, abasha):
        with app.app_context(), tenant_context(tenant):
            for name in ("old_sent", "old_failed", "old_pending", "new_sent"):
                ids[tenant.slug, name] = queue_email(
                    to=f"{name}@example.org", template="notice", locale="ka",
                    context={"title": name, "lines": [], "action_url": None}).id
            old = utcnow() - timedelta(days=31)
            for name, status, when in (("old_sent", "sent", old), ("old_failed", "failed", old),
                                       ("new_sent", "sent", utcnow())):
                db.session.execute(update(OutboxMessage).where(
                    OutboxMessage.id == ids[tenant.slug, name]).values(
                    status=status, sent_at=when if status == "sent" else None, updated_at=when))
            db.session.commit()
    with app.app_context(), tenant_context(poti):
        purge_outbox(poti.id)
        db.session.commit()
    left = {m.id for t in (poti, abasha) for m in _stored(app, t)}
    assert ids["poti", "old_sent"] not in left and ids["poti", "old_failed"] not in left
    assert {ids["poti", "old_pending"], ids["poti", "new_sent"]} <= left
    assert {ids["abasha", n] for n in ("old_sent", "old_failed")} <= left  # its own job's work
