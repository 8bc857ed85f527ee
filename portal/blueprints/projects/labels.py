"""Words for projects' stored values, shared by the public and the editors' pages."""

from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "planned": _l("Planned"),
    "in_progress": _l("In progress"),
    "completed": _l("Completed"),
    "suspended": _l("Suspended"),
}
