"""Files of small grants: the call's documents, an application's attachments, a report's
photos. Each is checked by its content (``services/uploads``) before anything is stored, so a
refused file leaves nothing behind; stored files go again if the transaction rolls back."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.blueprints.grants.models import GrantFile
from portal.extensions import db
from portal.services import storage, uploads
from portal.services.uploads import UploadRefused
from portal.tenancy import current_tenant

MAX_FILES = 5
#: Per file; five of them and the form stay under the app's request limit (16 MB).
LIMIT = 3 * 1024 * 1024
PHOTOS = frozenset({uploads.JPEG, uploads.PNG})


def chosen(files) -> list:
    """The files actually chosen: a browser sends one nameless, empty part when none is."""
    return [f for f in files if f and f.filename]


def check_all(files, *, field: str, allowed=uploads.DOCUMENTS,
              already: int = 0) -> list[uploads.Checked]:
    """Every chosen file checked, or UploadRefused on ``field`` naming the file at fault."""
    files = chosen(files)
    if len(files) + already > MAX_FILES:
        raise UploadRefused(_l("Attach at most %(count)s files.", count=MAX_FILES), field=field)
    checked = []
    for upload in files:
        try:
            checked.append(uploads.check(upload, allowed=allowed, limit=LIMIT, field=field))
        except UploadRefused as refused:
            name = storage.safe_name(upload.filename)
            raise UploadRefused(_l("“%(name)s”: %(reason)s", name=name, reason=refused.message),
                                field=field) from None
    return checked


def attach(checked: list[uploads.Checked], **owner) -> list[GrantFile]:
    """Store the checked files for ``owner`` (competition_id=, application_id= or
    report_id=); flushes."""
    rows = []
    for item in checked:
        key = uploads.store(item, folder=f"{current_tenant.slug}/grants")
        rows.append(GrantFile(storage_path=key, name=item.name, mimetype=item.mimetype,
                              size=len(item.data), **owner))
    db.session.add_all(rows)
    db.session.flush()
    return rows


def of(**owner) -> list[GrantFile]:
    (column, value), = owner.items()
    return list(db.session.scalars(select(GrantFile).where(getattr(GrantFile, column) == value)
                                   .order_by(GrantFile.id)))


def of_many(column: str, ids: list[int]) -> dict[int, list[GrantFile]]:
    found: dict[int, list[GrantFile]] = {i: [] for i in ids}
    if ids:
        for row in db.session.scalars(select(GrantFile).where(getattr(GrantFile, column).in_(ids))
                                      .order_by(GrantFile.id)):
            found[getattr(row, column)].append(row)
    return found


def remove(rows: list[GrantFile]) -> None:
    for row in rows:
        storage.unlink_on_commit(row.storage_path)
        db.session.delete(row)
    db.session.flush()


def download(row: GrantFile):
    return uploads.download(row.storage_path, mimetype=row.mimetype, name=row.name)
