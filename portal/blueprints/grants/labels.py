"""The words for statuses and kinds, in the reader's language."""

from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "draft": _l("Draft"),
    "submitted": _l("Submitted"),
    "funded": _l("Funded"),
    "not_funded": _l("Not funded"),
}
REPORT_LABELS = {"progress": _l("Progress report"), "final": _l("Final report")}
KIND_LABELS = {"ngo": _l("NGO"), "group": _l("Informal group")}
