"""A municipality's files for the URL-map walks (see tests/factories.py): a logo uploaded in
its settings, kept under the instance folder for that municipality only."""

from __future__ import annotations

import itertools
from pathlib import Path

from tests.factories import factory

_numbers = itertools.count(1)
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'


@factory("home", "asset_path")
def _uploaded_logo(objects):
    folder = Path(objects.app.instance_path) / "tenant_uploads" / objects.tenant.slug
    folder.mkdir(parents=True, exist_ok=True)
    name = f"walk-logo-{next(_numbers)}.svg"
    (folder / name).write_bytes(SVG)
    return f"uploads/{name}"
