"""Words for the sights' categories, shared by the public and the editors' pages."""

from flask_babel import lazy_gettext as _l

CATEGORY_LABELS = {
    "cultural": _l("Cultural"),
    "historical": _l("Historical"),
    "natural": _l("Natural"),
    "religious": _l("Religious"),
}
