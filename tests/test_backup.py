"""``flask backup`` / ``flask restore`` on the suite's own database (SQLite, or PostgreSQL
with ``TEST_DATABASE_URL``): a round trip into a fresh database gives the same row counts
and the same files, and the restored portal serves its pages; a database with data is only
replaced on request; a damaged, foreign or hostile archive is refused and changes nothing."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from portal.backup import BackupError, backup, restore, row_counts
from portal.extensions import db
from portal.services import storage

pytestmark = pytest.mark.no_db_rollback


@pytest.fixture
def target(app, database_url, tmp_path, monkeypatch):
    """A second portal on a fresh, empty database and its own instance folder."""
    from portal import create_app

    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path}/restored.db"
    else:
        name = f"{make_url(database_url).database}_restore"
        admin = create_engine(make_url(database_url).set(drivername="postgresql+psycopg", database="postgres"),
                              isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        url = str(make_url(database_url).set(database=name).render_as_string(hide_password=False))
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path / "restored-instance"))
    second = create_app({"TESTING": True})
    yield second
    with second.app_context():
        db.engine.dispose()


@pytest.fixture
def stored_file(app):
    with app.app_context():
        key, _name = storage.save("poti/backup-test", "ოქმი.pdf", b"%PDF-1.4 backup test\n")
    yield key
    with app.app_context():
        storage.file_store().delete(key)


def _counts(app) -> dict[str, int]:
    with app.app_context():
        return row_counts()


def test_a_round_trip_keeps_every_row_and_file(app, target, stored_file, tmp_path):
    report = backup(app, tmp_path / "backups")
    assert report.path.stat().st_mode & 0o777 == 0o600  # it holds personal data
    assert report.rows == sum(_counts(app).values()) and report.files >= 1
    restored = restore(target, report.path)
    assert restored.mismatches == {}
    assert _counts(target) == _counts(app)
    with target.app_context():
        with storage.file_store().open(stored_file) as handle:
            assert handle.read() == b"%PDF-1.4 backup test\n"
    client = target.test_client()
    assert client.get("/poti/").status_code == 200
    assert client.get("/abasha/").status_code == 200


def test_a_database_with_data_is_replaced_only_when_asked(app, target, tmp_path):
    archive = backup(app, tmp_path / "backups").path
    restore(target, archive)
    with pytest.raises(BackupError, match="not empty"):
        restore(target, archive)
    again = restore(target, archive, force=True)
    assert again.mismatches == {} and _counts(target) == _counts(app)


def _tar(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w") as archive:
        for name, body in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(body)
            archive.addfile(info, io.BytesIO(body))
    return path


def _manifest(app, **changes) -> bytes:
    with app.app_context():
        kind = db.engine.url.get_backend_name()
    return json.dumps({"format": 1, "database": kind, "counts": {}, "files": 0,
                       "database_part": "database.sqlite", "database_sha256": "0" * 64,
                       **changes}).encode()


def test_damaged_foreign_and_hostile_archives_are_refused(app, target, tmp_path):
    before = _counts(target)
    cases = [
        (_tar(tmp_path / "none.tar", {"notes.txt": b"hello"}), "not a portal backup"),
        (_tar(tmp_path / "future.tar", {"manifest.json": _manifest(app, format=9)}), "format 9"),
        (_tar(tmp_path / "other.tar", {"manifest.json": _manifest(app, database="oracle")}),
         "cannot be restored"),
        (_tar(tmp_path / "damaged.tar", {"manifest.json": _manifest(app), "database.sqlite": b"x"}),
         "checksum"),
    ]
    for archive, message in cases:
        with pytest.raises(BackupError, match=message):
            restore(target, archive)
    with pytest.raises(BackupError, match="no backup at"):
        restore(target, tmp_path / "missing.tar")
    assert _counts(target) == before


def test_files_cannot_escape_the_store(app, target, tmp_path):
    """A member named files/../../x is refused by the archive's "data" filter."""
    good = backup(app, tmp_path / "backups").path
    hostile = tmp_path / "hostile.tar"
    with tarfile.open(good) as source, tarfile.open(hostile, "w") as archive:
        for member in source.getmembers():
            archive.addfile(member, source.extractfile(member))
        info = tarfile.TarInfo("files/../../escaped.txt")
        info.size = 3
        archive.addfile(info, io.BytesIO(b"bad"))
    before = _counts(target)
    with pytest.raises(BackupError, match="outside the store"):
        restore(target, hostile)
    assert _counts(target) == before
    assert not (tmp_path / "escaped.txt").exists()
    assert not (tmp_path / "restored-instance" / "escaped.txt").exists()


def test_the_commands_say_what_they_did(app, target, tmp_path):
    out = app.test_cli_runner().invoke(args=["backup", "--output", str(tmp_path / "b")])
    assert out.exit_code == 0 and " rows, " in out.output
    [archive] = (tmp_path / "b").glob("portal-backup-*.tar")
    runner = target.test_cli_runner()
    done = runner.invoke(args=["restore", str(archive)])
    assert done.exit_code == 0 and "restored" in done.output
    refused = runner.invoke(args=["restore", str(archive)])
    assert refused.exit_code == 1 and "not empty" in refused.output
