"""Personal numbers: 11 digits checked, stored only as a keyed hash and an encrypted copy, so a
dump of the database (the SQLite file, pg_dump) holds none of them."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from portal.blueprints.petitions import personal_numbers, signing
from portal.blueprints.petitions.models import Petition, Signature
from portal.config import ConfigError, _lookup_key
from portal.delivery.models import OutboxMessage
from portal.extensions import db
from portal.services import crypto
from portal.services.errors import DomainError
from portal.tenancy import tenant_context
from tests.petitions.conftest import NOW, make_petition, signer

SEEDED = ("01024056789", "12345678901", "60001123456", "59001099887")


@pytest.mark.parametrize("typed", ["01024056789", " 010 240 567 89 ", "010-2405-6789"])
def test_clean_keeps_eleven_digits(typed):
    assert personal_numbers.clean(typed) == "01024056789"


@pytest.mark.parametrize("typed", ["", "0102405678", "010240567890", "0102405678x",
                                   "٠١٠٢٤٠٥٦٧٨٩", "01024056789\n1"])
def test_clean_refuses_anything_else(typed):
    with pytest.raises(DomainError) as caught:
        personal_numbers.clean(typed)
    assert caught.value.field == "personal_number"


def test_fingerprint_is_keyed(app, monkeypatch):
    with app.app_context():
        first = personal_numbers.fingerprint("01024056789")
        assert first == personal_numbers.fingerprint("01024056789")
        assert first != personal_numbers.fingerprint("01024056788")
        assert "01024056789" not in first and len(first) == 64
        monkeypatch.setitem(app.config, "PORTAL_LOOKUP_KEY", "another key")
        assert personal_numbers.fingerprint("01024056789") != first
        monkeypatch.setitem(app.config, "PORTAL_LOOKUP_KEY", None)
        with pytest.raises(ConfigError):
            personal_numbers.fingerprint("01024056789")


def test_lookup_key_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("PORTAL_LOOKUP_KEY", "  from the environment ")
    assert _lookup_key("production") == "from the environment"
    monkeypatch.delenv("PORTAL_LOOKUP_KEY")
    with pytest.raises(ConfigError, match="PORTAL_LOOKUP_KEY"):  # production will not start
        _lookup_key("production")
    assert _lookup_key("testing") == crypto.DEV_LOOKUP_KEY


def _dump(app, tmp_path: Path) -> bytes:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return subprocess.run(["pg_dump", "--no-owner", url], check=True,
                              capture_output=True, timeout=120).stdout
    path = Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    raw = b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
    with sqlite3.connect(path) as connection:
        text = "\n".join(connection.iterdump()).encode()
    connection.close()
    return raw + text


@pytest.mark.no_db_rollback
def test_a_database_dump_holds_no_personal_number(app, poti, tmp_path):
    with app.app_context(), tenant_context(poti):
        petition = make_petition()
        for n, number in enumerate(SEEDED[:-1]):
            signing.sign(petition, now=NOW, **signer(n, personal_number=number))
        signing.add_paper_signature(petition, full_name="ქაღალდის ხელმომწერი",
                                    personal_number=SEEDED[-1], now=NOW)
        db.session.commit()
        petition_id = petition.id
        stored = db.session.scalars(select(Signature.personal_number).where(
            Signature.petition_id == petition_id)).all()
        assert sorted(stored) == sorted(SEEDED)  # the clerk's export can read them
        db.session.remove()
    try:
        dump = _dump(app, tmp_path)
        assert "ნინო ბერიძე".encode() in dump and "ქაღალდის".encode() in dump  # the rows are in it
        for number in SEEDED:
            assert number.encode() not in dump, number
    finally:
        with app.app_context(), tenant_context(poti):
            db.session.execute(delete(OutboxMessage).where(
                OutboxMessage.idempotency_key.like("petitions.confirm:%")))
            db.session.execute(delete(Petition).where(Petition.id == petition_id))
            db.session.commit()
            db.session.remove()
