"""Demo content for ``make run``: each feature adds its loader to ``DEMO_LOADERS``.

Loaders are idempotent (a second run adds nothing), flush but never commit, and return a line
describing what they did. ``load_demo`` commits after each loader, because the tenant directory
reads committed rows: the features' loaders must find the municipalities loaded before them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flask import current_app

from portal.tenancy.loader import load_tenants


def _tenants() -> str:
    report = load_tenants(Path(current_app.config["PORTAL_TENANTS_DIR"]))
    loaded = report.created + report.updated + report.unchanged
    return f"tenants: {', '.join(loaded)}"


#: Run in order: municipalities first, then each feature's content.
DEMO_LOADERS: list[Callable[[], str]] = [_tenants]


def _sessions_archive() -> str:
    from portal.blueprints.sessions.demo import load_demo_archive

    return load_demo_archive()


DEMO_LOADERS.append(_sessions_archive)


def load_demo() -> list[str]:
    from portal.extensions import db
    from portal.tenancy import get_directory

    lines = []
    for loader in DEMO_LOADERS:
        lines.append(loader())
        db.session.commit()
        get_directory(current_app).invalidate()
    return lines
