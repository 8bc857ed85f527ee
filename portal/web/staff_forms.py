"""The shape every staff form view shares, as two small pieces instead of a base class.

A staff view validates its form, asks a service to act, records the audit entry, commits
once, and answers with a flash and a 303 (or, for htmx, the refreshed fragment); when the
service refuses, the form comes back with the refusal on it::

    if form.validate_on_submit():
        with refusals_onto(form):
            body = composition.save_body(...)
            audit.record("body.create", target=f"body:{body.id}", ...)
            return saved(_("Saved."), url_for("sessions_admin.bodies"))
    return render("sessions/admin/body.html", status=422 if request.method == "POST" else 200, ...)

``refusals_onto`` catches a ``DomainError`` raised inside it, rolls the transaction back
(a service may have flushed half its work) and puts the message onto the form
(``portal.web.forms.errors_onto``); the view then carries on after the ``with`` block and
renders the form again. Nothing but a ``DomainError`` is caught.

Editorial items (projects, consultations, documents...) share two whole steps on top:
``saved_changes`` (create or update, audited with only the fields that changed) and
``publication`` (publish or unpublish behind a confirm button, announcing a first publication).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from flask import Response, flash, redirect
from flask_babel import gettext as _

from portal.extensions import db
from portal.services import audit
from portal.services.errors import DomainError
from portal.web.forms import ConfirmForm, errors_onto
from portal.web.htmx import is_fragment_request

Item = TypeVar("Item")


class Refusal:
    """What ``refusals_onto`` caught: ``error`` is the ``DomainError``, or None; a Refusal
    is true when the service refused."""

    error: DomainError | None = None

    def __bool__(self) -> bool:
        return self.error is not None


@contextmanager
def refusals_onto(form) -> Iterator[Refusal]:
    """Run a service call; a ``DomainError`` it raises is rolled back and shown on ``form``."""
    refusal = Refusal()
    try:
        yield refusal
    except DomainError as error:
        db.session.rollback()
        errors_onto(form, error)
        refusal.error = error


def saved(message: str, url: str, *, fragment: Callable[[], Response] | None = None) -> Response:
    """Commit the view's one transaction, then answer: for an htmx fragment request the
    response ``fragment()`` builds (it shows ``message`` itself), else ``message`` flashed
    and a 303 to ``url`` (Post/Redirect/Get)."""
    db.session.commit()
    if fragment is not None and is_fragment_request():
        return fragment()
    flash(message, "info")
    return redirect(url, code=303)


def saved_changes(form, item: Item | None, save: Callable[[], Item], values: Callable[[Item], dict], *,
                  action: str, target: Callable[[Item], str], url: Callable[[Item], str]) -> Response | None:
    """Create (``item`` None) or update an item through ``save()``, record ``<action>.create``
    or ``<action>.update`` with only the fields that changed, commit and redirect to
    ``url(saved item)``. A refusal goes onto ``form`` and gives None: the view shows it again."""
    before = values(item) if item is not None else {}
    with refusals_onto(form):
        item = save()
        changed_before, changed_after = audit.changes(before, values(item))
        audit.record(f"{action}.update" if before else f"{action}.create", target=target(item),
                     before=changed_before or None, after=changed_after)
        return saved(_("Saved."), url(item))
    return None


def publication(publish: bool, step: Callable[[], object], *, action: str, target: str, message: str,
                url: str, announce: Callable[[], None] | None = None) -> Response | None:
    """Publish or unpublish behind a confirm button: ``step()`` acts (and says whether this was
    the first publication, which then runs ``announce()``), audited with the new state. None
    when the confirm form is refused (a stale token): the view shows its page with a 422."""
    if not ConfirmForm().validate_on_submit():
        return None
    first = step()
    audit.record(action, target=target, after={"is_published": publish})
    if publish and first and announce is not None:
        announce()
    return saved(message, url)
