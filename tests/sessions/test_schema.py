"""The migration and the models agree; the search tables are skipped (hand-written SQL)."""

from __future__ import annotations

import importlib.util

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from portal.config import PROJECT_ROOT
from portal.extensions import db


def _include_object():
    # migrations/env.py runs on import; read only its include_object function.
    source = (PROJECT_ROOT / "migrations" / "env.py").read_text()
    start = source.index("def include_object")
    end = source.index("\ndef ", start + 1)
    namespace: dict = {}
    exec(source[start:end], namespace)  # noqa: S102 - our own file
    return namespace["include_object"]


def test_autogenerate_finds_nothing(app):
    assert importlib.util.find_spec("alembic")
    with app.app_context():
        conn = db.session.connection()
        context = MigrationContext.configure(conn, opts={
            "include_object": _include_object(), "compare_type": True,
            "render_as_batch": True})
        assert compare_metadata(context, db.metadata) == []
