"""The one kind of error a service raises when a rule refuses an action: ``DomainError``.

Services raise it (or a feature's subclass: ``ArchiveError``, ``AccountError``,
``PlatformError``) with a message for the person who asked, and the name of the form field it
concerns when there is one; views put it onto the form with ``portal.web.forms.errors_onto``
(staff views through ``portal.web.staff_forms.refusals_onto``).
"""

from __future__ import annotations


class DomainError(Exception):
    """A rule refused the action; ``str(error)`` is the message to show, as it is.

    ``field`` names the input the message belongs to (a service's argument, named like the
    form field that supplies it), or None when it concerns the request as a whole.
    """

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.field = field

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""
