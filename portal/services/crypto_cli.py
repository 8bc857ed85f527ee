"""``flask crypto rotate``: re-encrypt every stored secret with the newest key.

Rotation: put a new key first in PORTAL_ENCRYPTION_KEY (keep the old one after it), restart,
run this command, then drop the old key.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import column, select, table, update

from portal.extensions import db
from portal.services import crypto

crypto_cli = AppGroup("crypto", help="Secrets at rest (PORTAL_ENCRYPTION_KEY).")

#: (table, id column, encrypted column) of every secret stored encrypted.
SEALED = (("users", "id", "totp_secret_sealed"), ("outbox_messages", "id", "secret_sealed"))


def rotate_all() -> int:
    """Re-encrypt every stored secret with the first key; the number rewritten (flushes)."""
    count = 0
    for name, key, sealed in SEALED:
        rows = table(name, column(key), column(sealed))
        found = db.session.execute(
            select(rows.c[key], rows.c[sealed]).where(rows.c[sealed].is_not(None))).all()
        for row_id, value in found:
            db.session.execute(update(rows).where(rows.c[key] == row_id)
                               .values({sealed: crypto.rotate(value)}))
            count += 1
    return count


@crypto_cli.command("rotate")
def rotate() -> None:
    """Re-encrypt stored secrets with the first key of PORTAL_ENCRYPTION_KEY."""
    count = rotate_all()
    db.session.commit()
    click.echo(f"re-encrypted {count} secrets")
