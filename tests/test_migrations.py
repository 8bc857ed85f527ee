"""Migrations: one head, reversible, and the migrated schema is exactly the models'."""

import os
from datetime import datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from portal import create_app
from portal.config import PROJECT_ROOT
from portal.db import include_in_migrations
from portal.extensions import db

pytestmark = pytest.mark.no_db_rollback


def test_single_head():
    script = ScriptDirectory(str(PROJECT_ROOT / "migrations"))
    assert len(script.get_heads()) == 1, script.get_heads()


def test_every_revision_has_a_message_and_a_downgrade():
    script = ScriptDirectory(str(PROJECT_ROOT / "migrations"))
    for revision in script.walk_revisions():
        assert revision.doc and revision.doc.strip(), revision.revision
        source = Path(revision.path).read_text(encoding="utf-8")
        assert "def downgrade" in source and "pass\n" not in source.split("def downgrade")[1][:60]


@pytest.fixture
def scratch_url(tmp_path):
    """A database of its own: migrations create and drop every table in it."""
    main = os.environ.get("TEST_DATABASE_URL")
    if not main:
        yield f"sqlite:///{tmp_path}/migrations.db"
        return
    base, _, name = main.rpartition("/")
    scratch = f"{base}/{name}_migrations"
    admin = create_engine(main.replace("postgresql://", "postgresql+psycopg://", 1),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}_migrations" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}_migrations"'))
    yield scratch
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}_migrations" WITH (FORCE)'))
    admin.dispose()


def test_upgrade_downgrade_upgrade_matches_models(scratch_url, monkeypatch):
    from flask_migrate import downgrade, upgrade

    monkeypatch.setenv("DATABASE_URL", scratch_url)
    app = create_app({"TESTING": True})
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"include_object": include_in_migrations, "compare_type": True}
            )
            diff = compare_metadata(context, db.metadata)
        assert diff == [], diff
        db.engine.dispose()


def test_search_index_keeps_its_entries_across_the_rowid_migration(tmp_path, monkeypatch):
    """a1f9def68994 rewrites SQLite's search index in SQL (rowids under the municipality,
    scope without tenant and year tokens); its downgrade restores the old rows exactly."""
    from flask_migrate import downgrade, upgrade

    from portal.blueprints.sessions.search.entries import group_base
    from portal.blueprints.sessions.search.sqlite import rowid

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/search.db")
    app = create_app({"TESTING": True})
    old_id = group_base(datetime(2024, 6, 1).date(), "s9000001") + 3
    old_scope = "t7 y2024 b2 x1 gs9000001"
    with app.app_context():
        upgrade(revision="e5f2e9da7268")
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO search_fts (rowid, scope, title, body, display, kind,"
                              " tenant_id, group_key) VALUES (:id, :scope, '', 'ბიუჯეტი',"
                              " 'ბიუჯეტი', 'transcript', 7, 's9000001')"),
                         {"id": old_id, "scope": old_scope})
        upgrade()
        with db.engine.connect() as conn:
            rows = conn.execute(text("SELECT rowid, scope FROM search_fts"
                                     " WHERE search_fts MATCH 'ბიუჯ*'")).all()
        assert rows == [(rowid(7, old_id), "b2 x1 gs9000001")]
        downgrade(revision="e5f2e9da7268")
        with db.engine.connect() as conn:
            rows = conn.execute(text("SELECT rowid, scope FROM search_fts")).all()
        assert rows == [(old_id, old_scope)]
        db.engine.dispose()


def test_word_forms_migration_computes_the_stems_of_the_existing_index(tmp_path, monkeypatch):
    """7e2c4a9b1d35 rebuilds SQLite's index with a stems column (computed for the rows already
    there: the reindex step) and fills the vocabulary; its downgrade drops both."""
    from flask_migrate import downgrade, upgrade

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/search.db")
    app = create_app({"TESTING": True})
    with app.app_context():
        upgrade(revision="bcc7a6127f89")
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO search_fts (rowid, scope, title, body, display, kind,"
                              " tenant_id, group_key) VALUES (77, 'b2 x1 gs9', '', :body, :body,"
                              " 'transcript', 7, 's9')"), {"body": "მალთაყვის უბნებში"})
        upgrade()
        with db.engine.connect() as conn:
            row = conn.execute(text("SELECT rowid, stems FROM search_fts"
                                    " WHERE search_fts MATCH 'stems : მალთაყვ'")).one()
            terms = set(conn.execute(text("SELECT term FROM search_terms")).scalars())
        assert row == (77, "მალთაყვ უბნ")
        assert {"მალთაყვის", "უბნებში", "მალთაყვ", "უბნ"} <= terms
        downgrade(revision="bcc7a6127f89")
        with db.engine.connect() as conn:
            rows = conn.execute(text("SELECT rowid, body FROM search_fts")).all()
        assert rows == [(77, "მალთაყვის უბნებში")]
        assert "search_terms" not in inspect(db.engine).get_table_names()
        db.engine.dispose()
