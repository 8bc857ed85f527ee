"""The backup drill: a portal with both municipalities' demo content is backed up
(``portal/backup.py``, what ``flask backup`` runs), restored into a FRESH database with its
own file store, then the restored portal's public pages are fetched (the smoke test), every
table's row count and every stored file are compared with the original, and the times are
reported.

    .venv/bin/python bench/backup_drill.py                     # SQLite
    .venv/bin/python bench/backup_drill.py --database-url postgresql://postgres@127.0.0.1:5432/drill
    (the database given is emptied; the restore goes into <name>_restore, created afresh)

``--quick`` loads the municipalities without the demo content (seconds, not a minute).
Figures last, as key=value lines; the exit status is 1 when anything differs.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

#: Public pages the restored portal must serve, for each municipality.
SMOKE_PATHS = ("/", "/petitions/", "/sessions/", "/news/", "/letters/", "/surveys/",
               "/services/", "/grants/", "/grants/funded", "/projects/", "/subscriptions/")


def _fresh_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    admin = create_engine(parsed.set(drivername="postgresql+psycopg", database="postgres"),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def _app(url: str, instance: Path):
    from portal import create_app

    os.environ["DATABASE_URL"] = url
    os.environ["PORTAL_INSTANCE_PATH"] = str(instance)
    return create_app()


def _files(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()} if root.exists() else {}


def _prepare(app, quick: bool) -> None:
    from flask_migrate import upgrade

    from portal.extensions import db
    from portal.tenancy.loader import load_tenants

    with app.app_context():
        upgrade()
        load_tenants(PROJECT_ROOT / "tenants")
        db.session.commit()
        if not quick:
            from portal.demo import load_demo

            load_demo()
            db.session.commit()
        db.session.remove()


def _smoke(app) -> tuple[int, list[str]]:
    client = app.test_client()
    failures = []
    paths = [f"/{slug}{path}" for slug in ("poti", "abasha") for path in SMOKE_PATHS]
    for path in paths:
        status = client.get(path).status_code
        if status != 200:
            failures.append(f"{path} → {status}")
    return len(paths), failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="the municipalities only, no demo content")
    parser.add_argument("--database-url", help="PostgreSQL URL (emptied!); default: SQLite")
    args = parser.parse_args()
    os.environ.setdefault("PORTAL_ENV", "development")

    from sqlalchemy.engine import make_url

    from portal.backup import backup, restore, row_counts
    from portal.extensions import db

    work = Path(tempfile.mkdtemp(prefix="backup-drill-"))
    if args.database_url:
        source_url = args.database_url
        target_url = make_url(source_url).set(
            database=f"{make_url(source_url).database}_restore").render_as_string(hide_password=False)
        _fresh_postgres(source_url)
        _fresh_postgres(target_url)
    else:
        source_url, target_url = f"sqlite:///{work}/source.db", f"sqlite:///{work}/restored.db"

    source = _app(source_url, work / "source")
    started = time.perf_counter()
    _prepare(source, args.quick)
    prepare_seconds = time.perf_counter() - started
    made = backup(source, work / "backups")
    with source.app_context():
        expected = row_counts()
        db.engine.dispose()

    target = _app(target_url, work / "restored")
    restored = restore(target, made.path)
    pages, failures = _smoke(target)
    with target.app_context():
        found = row_counts()
        db.engine.dispose()
    differing_tables = sorted(name for name in expected if expected[name] != found.get(name))
    same_files = _files(work / "source" / "archive") == _files(work / "restored" / "archive")

    for failure in failures:
        print(f"smoke failed: {failure}", file=sys.stderr)
    for name in differing_tables:
        print(f"rows differ: {name}: {expected[name]} → {found.get(name)}", file=sys.stderr)
    print(f"database={'postgresql' if args.database_url else 'sqlite'}")
    print(f"prepare_seconds={prepare_seconds:.1f}")
    print(f"archive_bytes={made.path.stat().st_size}")
    print(f"backup_seconds={made.seconds:.2f}")
    print(f"restore_seconds={restored.seconds:.2f}")
    print(f"tables={len(expected)}")
    print(f"rows={sum(expected.values())}")
    print(f"files={made.files}")
    print(f"files_identical={'yes' if same_files else 'no'}")
    print(f"row_mismatches={len(differing_tables)}")
    print(f"smoke_pages={pages}")
    print(f"smoke_failures={len(failures)}")
    return 0 if not failures and not differing_tables and same_files else 1


if __name__ == "__main__":
    sys.exit(main())
