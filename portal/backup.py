"""``flask backup`` and ``flask restore``: the database and the uploaded files in one archive.

A backup is one tar file (``portal-backup-<UTC time>.tar``, readable by its owner only: it
holds personal data) with three parts:

- ``manifest.json``: when, the database's kind and migration, the row count of every table,
  and a SHA-256 of the database part;
- ``database.sqlite`` (SQLite's online backup: a consistent copy while the portal runs) or
  ``database.pgdump`` (``pg_dump``'s custom format, taken in one snapshot);
- ``files/``: the local file store (uploads, documents, photos), under their keys.

Restoring goes the other way into an EMPTY database of the same kind (``--force`` replaces
what is there), puts the files back under their keys, then counts every table again and
compares with the manifest: a restore that does not match says so and fails.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import func, inspect, select, text
from sqlalchemy.engine import make_url

from portal.extensions import db
from portal.services.storage import LocalFileStore, file_store

FORMAT = 1
MANIFEST = "manifest.json"
FILES = "files"


class BackupError(Exception):
    """Something an operator must fix, said in plain words."""


@dataclass
class Report:
    path: Path
    seconds: float
    tables: int
    rows: int
    files: int
    mismatches: dict[str, tuple[int, int]] = field(default_factory=dict)


def _kind() -> str:
    name = db.engine.url.get_backend_name()
    if name not in ("sqlite", "postgresql"):
        raise BackupError(f"backups know SQLite and PostgreSQL, not {name}")
    return name


def _libpq(url) -> tuple[str, dict]:
    """The URL for pg_dump/pg_restore without its password, and the environment that
    carries it (a password never shows in the process list)."""
    url = make_url(url)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (Debian: apt install postgresql-client)")
    return found


def row_counts() -> dict[str, int]:
    """Every table's row count (the migration's table included), by name."""
    names = sorted(inspect(db.engine).get_table_names())
    with db.engine.connect() as connection:
        return {name: connection.execute(select(func.count()).select_from(text(_quoted(name)))).scalar_one()
                for name in names}


def _quoted(name: str) -> str:
    return db.engine.dialect.identifier_preparer.quote(name)


def _revision() -> str | None:
    if "alembic_version" not in inspect(db.engine).get_table_names():
        return None
    with db.engine.connect() as connection:
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _dump_database(kind: str, target: Path) -> None:
    if kind == "sqlite":
        source = sqlite3.connect(db.engine.url.database)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # consistent while the portal writes
        finally:
            copy.close()
            source.close()
        return
    url, env = _libpq(db.engine.url)
    result = subprocess.run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                             "--file", str(target), url], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")


def _local_store() -> LocalFileStore | None:
    store = file_store()
    return store if isinstance(store, LocalFileStore) else None


def backup(app: Flask, output: Path) -> Report:
    """Write a backup archive into the folder ``output``; returns its report."""
    started = time.perf_counter()
    with app.app_context():
        kind = _kind()
        output.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        path = output / f"portal-backup-{stamp}.tar"
        part = "database.sqlite" if kind == "sqlite" else "database.pgdump"
        store = _local_store()
        with tempfile.TemporaryDirectory() as work:
            dumped = Path(work) / part
            counts = row_counts()  # before the dump: rows written meanwhile are in the dump too
            _dump_database(kind, dumped)
            files = sorted(p for p in store.root.rglob("*") if p.is_file()) if store and store.root.exists() else []
            manifest = {"format": FORMAT, "created_at": datetime.now(UTC).isoformat(),
                        "database": kind, "revision": _revision(), "counts": counts,
                        "database_part": part, "database_sha256": _sha256(dumped),
                        "files": len(files), "file_store": "local" if store else None}
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w") as archive:
                body = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(body), int(time.time()), 0o600
                archive.addfile(info, fileobj=io.BytesIO(body))
                archive.add(dumped, arcname=part)
                for file in files:
                    archive.add(file, arcname=f"{FILES}/{file.relative_to(store.root).as_posix()}")
    return Report(path, time.perf_counter() - started, len(counts), sum(counts.values()), len(files))


def _read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(archive.extractfile(MANIFEST))
    except (KeyError, json.JSONDecodeError, TypeError) as error:
        raise BackupError("this is not a portal backup (no readable manifest.json)") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"backup format {manifest.get('format')} is not {FORMAT}")
    return manifest


def _is_empty() -> bool:
    """No rows anywhere (a database just created, or only migrated)."""
    return not any(number for name, number in row_counts().items() if name != "alembic_version")


def _restore_database(kind: str, dumped: Path) -> None:
    db.session.remove()
    db.engine.dispose()
    if kind == "sqlite":
        source = sqlite3.connect(dumped)
        target = sqlite3.connect(db.engine.url.database)
        try:
            source.backup(target)  # replaces every page of the target
        finally:
            target.close()
            source.close()
        return
    # The schema starts empty: pg_restore's --clean cannot drop a partition's inherited keys.
    with db.engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    db.engine.dispose()
    url, env = _libpq(db.engine.url)
    result = subprocess.run([_tool("pg_restore"), "--no-owner",
                             "--no-privileges", "--single-transaction", "--exit-on-error",
                             "--dbname", url, str(dumped)], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")


def _file_members(archive: tarfile.TarFile) -> list[tarfile.TarInfo]:
    """The uploaded files of the archive, each checked before anything is restored: the
    "data" filter refuses absolute paths, "..", links out of the folder and devices."""
    members = [m for m in archive.getmembers() if m.name.startswith(f"{FILES}/")]
    for member in members:
        try:
            tarfile.data_filter(member, "/restore")
        except tarfile.FilterError as error:
            raise BackupError(f"the archive holds a file that would land outside the store: "
                              f"{member.name}") from error
    members = [m for m in members if m.isfile()]
    if members and _local_store() is None:
        raise BackupError("the backup holds uploaded files, but this portal's file store is not "
                          "local: copy files/ from the archive into the store by hand")
    return members


def _restore_files(archive: tarfile.TarFile, members: list[tarfile.TarInfo]) -> int:
    if not members:
        return 0
    store = _local_store()
    with tempfile.TemporaryDirectory() as work:
        archive.extractall(work, members=members, filter="data")
        source = Path(work) / FILES
        for file in source.rglob("*"):
            if file.is_file():
                target = store.root / file.relative_to(source)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(file, target)
    return len(members)


def restore(app: Flask, path: Path, *, force: bool = False) -> Report:
    """Restore the archive at ``path`` into this portal's database and file store."""
    started = time.perf_counter()
    if not path.is_file():
        raise BackupError(f"no backup at {path}")
    with app.app_context(), tarfile.open(path, mode="r") as archive:
        manifest = _read_manifest(archive)
        kind = _kind()
        if manifest["database"] != kind:
            raise BackupError(f"a {manifest['database']} backup cannot be restored into {kind}")
        members = _file_members(archive)
        if not force and not _is_empty():
            raise BackupError("the database is not empty: restore into a fresh database, or "
                              "pass --force to replace what is there")
        with tempfile.TemporaryDirectory() as work:
            part = manifest["database_part"]
            archive.extract(part, work, filter="data")
            dumped = Path(work) / part
            if _sha256(dumped) != manifest["database_sha256"]:
                raise BackupError("the database part does not match its checksum: the archive is damaged")
            _restore_database(kind, dumped)
        files = _restore_files(archive, members)
        counts = row_counts()
    expected = manifest["counts"]
    mismatches = {name: (number, counts.get(name, 0)) for name, number in expected.items()
                  if counts.get(name, 0) != number}
    return Report(path, time.perf_counter() - started, len(counts), sum(counts.values()), files,
                  mismatches)


@click.command("backup")
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=Path("backups"),
              show_default=True, help="The folder the archive is written to.")
@with_appcontext
def backup_command(output: Path):
    """Back up the database and the uploaded files into one archive."""
    try:
        report = backup(current_app._get_current_object(), output)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{report.path}: {report.tables} tables, {report.rows} rows, {report.files} files "
               f"in {report.seconds:.1f} s")


@click.command("restore")
@click.argument("archive", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace the data of a database that is not empty.")
@with_appcontext
def restore_command(archive: Path, force: bool):
    """Restore a backup into this portal's (empty) database and its file store, then check
    every table's row count against the backup's."""
    try:
        report = restore(current_app._get_current_object(), archive, force=force)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"restored {report.tables} tables, {report.rows} rows, {report.files} files "
               f"in {report.seconds:.1f} s")
    if report.mismatches:
        for name, (expected, found) in sorted(report.mismatches.items()):
            click.echo(f"  {name}: {found} rows, the backup had {expected}", err=True)
        raise click.ClickException("the restored row counts differ from the backup's")
