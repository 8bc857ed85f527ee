"""The author's side of a petition: write a draft, change it while it is a draft or after the
moderators asked for changes, attach a file, and send it for moderation once the author's
details are confirmed (``identity.py``). Flushes, never commits."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.blueprints.petitions import identity, lifecycle
from portal.blueprints.petitions.models import FORMS, Petition
from portal.extensions import db
from portal.services import storage, uploads
from portal.services.errors import DomainError
from portal.tenancy import current_tenant

#: Statuses in which the author may still change the text.
EDITABLE = frozenset({"draft", "changes_requested"})


def save_draft(author, *, title: str, text: str, requested_action: str, form: str,
               petition: Petition | None = None) -> Petition:
    """Create the author's petition as a draft, or change one that is still editable."""
    if petition is not None and (petition.author_id != author.id or petition.status not in EDITABLE):
        raise DomainError(_l("This petition can no longer be changed."))
    if form not in FORMS:
        raise DomainError(_l("Choose one of the forms."), field="form")
    title = " ".join((title or "").split())
    if not title:
        raise DomainError(_l("Give the petition a title."), field="title")
    if petition is None:
        petition = Petition(author_id=author.id, status="draft", title=title)
        db.session.add(petition)
    petition.title = title
    petition.text = (text or "").strip()
    petition.requested_action = (requested_action or "").strip()
    petition.form = form
    db.session.flush()
    return petition


def submit(petition: Petition, author) -> None:
    """Send the author's draft (or changed petition) to the moderators."""
    if petition.author_id != author.id or petition.status not in EDITABLE:
        raise DomainError(_l("This petition can no longer be changed."))
    if not petition.text or not petition.requested_action:
        raise DomainError(_l("Write the text and what the Sakrebulo is asked to do before "
                             "sending the petition for moderation."))
    identity.require_complete(author)
    lifecycle.move(petition, "moderation", actor=author)


def attach(petition: Petition, checked: uploads.Checked) -> None:
    """Store ``checked`` (``uploads.check``) as the petition's attachment, replacing any
    earlier one (its file goes once the transaction commits)."""
    _check_editable(petition)
    key = uploads.store(checked, folder=f"{current_tenant.slug}/petitions")
    storage.unlink_on_commit(petition.attachment_path)
    petition.attachment_path, petition.attachment_name, petition.attachment_type = (
        key, checked.name, checked.mimetype)
    db.session.flush()


def detach(petition: Petition) -> None:
    """Remove the petition's attachment (the file goes once the transaction commits)."""
    _check_editable(petition)
    storage.unlink_on_commit(petition.attachment_path)
    petition.attachment_path, petition.attachment_name, petition.attachment_type = None, "", ""
    db.session.flush()


def _check_editable(petition: Petition) -> None:
    if petition.status not in EDITABLE:
        raise DomainError(_l("This petition can no longer be changed."))


def petitions_of(author) -> list[Petition]:
    """The author's petitions in the current municipality, newest first."""
    return list(db.session.scalars(
        select(Petition).where(Petition.author_id == author.id)
        .order_by(Petition.created_at.desc(), Petition.id.desc())))
