"""Files a writer sends with a letter (issue 13: "attachments, limited size and types, checked
by content, not by name").

At most ``MAX_FILES`` files of ``LIMIT`` bytes each, of the document types of the shared
checker (``services/uploads``: PDF, PNG, JPEG, ODT, DOCX, told by their bytes, pictures
stripped of their metadata). Every file is checked before anything is stored, so a refused
one leaves nothing behind; stored files go again if the transaction rolls back, and with the
writer's contacts when the letter is anonymised (``anonymise.py``).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.blueprints.letters.models import Letter, LetterAttachment
from portal.extensions import db
from portal.services import storage, uploads
from portal.services.uploads import UploadRefused
from portal.tenancy import current_tenant

MAX_FILES = 3
#: Per file: three of them and the letter stay under the app's request limit (16 MB).
LIMIT = 5 * 1024 * 1024
#: The form field (and the DomainError's field) the files come in.
FIELD = "attachments"


def chosen(files) -> list:
    """The files actually chosen: a browser sends one nameless, empty part when none is."""
    return [f for f in files if f and f.filename]


def check_all(files) -> list[uploads.Checked]:
    """Every chosen file checked (``uploads.check``), or UploadRefused on ``FIELD`` naming
    the file at fault; nothing is stored here."""
    files = chosen(files)
    if len(files) > MAX_FILES:
        raise UploadRefused(_l("Attach at most %(count)s files.", count=MAX_FILES), field=FIELD)
    checked = []
    for upload in files:
        try:
            checked.append(uploads.check(upload, limit=LIMIT, field=FIELD))
        except UploadRefused as refused:
            name = storage.safe_name(upload.filename)
            raise UploadRefused(_l("“%(name)s”: %(reason)s", name=name, reason=refused.message),
                                field=FIELD) from None
    return checked


def attach(letter: Letter, checked: list[uploads.Checked]) -> list[LetterAttachment]:
    """Store the checked files as ``letter``'s attachments; flushes."""
    rows = []
    for item in checked:
        key = uploads.store(item, folder=f"{current_tenant.slug}/letters")
        rows.append(LetterAttachment(letter_id=letter.id, storage_path=key, name=item.name,
                                     mimetype=item.mimetype, size=len(item.data)))
    db.session.add_all(rows)
    db.session.flush()
    return rows


def of_letter(letter: Letter) -> list[LetterAttachment]:
    return list(db.session.scalars(select(LetterAttachment)
                                   .where(LetterAttachment.letter_id == letter.id)
                                   .order_by(LetterAttachment.id)))


def one_of(letter: Letter, attachment_id: int) -> LetterAttachment | None:
    """``letter``'s attachment ``attachment_id`` (this municipality's), or None."""
    return db.session.scalar(select(LetterAttachment).where(
        LetterAttachment.id == attachment_id, LetterAttachment.letter_id == letter.id))


def download(attachment: LetterAttachment):
    return uploads.download(attachment.storage_path, mimetype=attachment.mimetype,
                            name=attachment.name)


def erase(letter_ids: list[int]) -> int:
    """Delete the attachments of these letters; their files go once the transaction commits.
    Returns how many were deleted."""
    if not letter_ids:
        return 0
    rows = list(db.session.scalars(select(LetterAttachment)
                                   .where(LetterAttachment.letter_id.in_(letter_ids))))
    for row in rows:
        storage.unlink_on_commit(row.storage_path)
        db.session.delete(row)
    db.session.flush()
    return len(rows)
