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
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import Response, flash, redirect

from portal.extensions import db
from portal.services.errors import DomainError
from portal.web.forms import errors_onto
from portal.web.htmx import is_fragment_request


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
