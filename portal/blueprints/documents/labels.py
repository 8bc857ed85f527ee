"""Words for the register's fixed lists: categories, issuing bodies, text statuses."""

from flask_babel import lazy_gettext as _l

CATEGORY_LABELS = {
    "budget": _l("Budget"),
    "execution": _l("Budget execution"),
    "resolution": _l("Sakrebulo resolutions"),
    "ordinance": _l("Sakrebulo ordinances"),
    "order": _l("Mayor's orders"),
    "strategy": _l("Strategic plans"),
    "audit": _l("Audit reports"),
    "procurement": _l("Procurement"),
    "report": _l("Members' activity reports"),
}
ISSUER_LABELS = {"cityhall": _l("City Hall"), "sakrebulo": _l("Sakrebulo")}
TEXT_STATUS_LABELS = {"pending": _l("Text being read"), "ready": _l("Text searchable"),
                      "failed": _l("Text could not be read")}
