"""Words for consultations' stored values, shared by the public and the staff's pages."""

from flask_babel import lazy_gettext as _l

KIND_LABELS = {
    "budget": _l("Draft budget"),
    "strategy": _l("Strategy"),
    "other": _l("Other consultation"),
}

COMMENT_STATUS_LABELS = {
    "unconfirmed": _l("E-mail not confirmed"),
    "pending": _l("Awaiting moderation"),
    "published": _l("Published"),
    "rejected": _l("Rejected"),
}
