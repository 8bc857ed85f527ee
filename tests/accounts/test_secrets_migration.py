"""d5a9e3c7f812 encrypts the TOTP secrets already stored, and its downgrade decrypts them."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from portal import create_app
from portal.extensions import db

pytestmark = pytest.mark.no_db_rollback


def test_existing_totp_secrets_are_encrypted_and_decrypted_back(tmp_path, monkeypatch):
    from flask_migrate import downgrade, upgrade

    from portal.services import crypto

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/secrets.db")
    app = create_app({"TESTING": True})
    with app.app_context():
        upgrade(revision="c3e8f1a27b54")
        with db.engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO users (id, email, name, kind, totp_secret, is_active,"
                " is_platform_admin, session_version, created_at, updated_at) VALUES"
                " (7, 'a@example.org', '', 'staff', 'JBSWY3DPEHPK3PXP', 1, 0, 1,"
                " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
        upgrade(revision="d5a9e3c7f812")
        with db.engine.connect() as conn:
            sealed = conn.execute(text("SELECT totp_secret_sealed FROM users")).scalar_one()
        assert "JBSWY3DPEHPK3PXP" not in sealed
        assert crypto.decrypt(sealed) == "JBSWY3DPEHPK3PXP"
        downgrade(revision="c3e8f1a27b54")
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT totp_secret FROM users")).scalar_one() == "JBSWY3DPEHPK3PXP"
        db.engine.dispose()
