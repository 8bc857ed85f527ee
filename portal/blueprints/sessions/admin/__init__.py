"""The clerk's side of the archive, at ``/<slug>/admin/sessions/``.

Sessions with their agenda, documents and attendance; bodies and members; the recordings the
sync found (match review, transcript correction and upload, pasted video URLs); the sync's
status. Every route declares ``@requires("sessions.edit")`` and every change writes an audit
row. Views stay thin: the rules live in the archive's verb modules (``services``,
``documents``, ``attendance``, ``recordings``, ``composition``, ``review``).
"""

from flask import Blueprint

bp = Blueprint("sessions_admin", __name__, url_prefix="/admin/sessions")
