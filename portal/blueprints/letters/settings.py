"""Letter settings per municipality: the ``[letters]`` table of tenant.toml, edited by staff at
``/<slug>/admin/settings/letters``."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.tenancy.settings import FeatureSettings, Setting

letters_settings = FeatureSettings("letters", label=_l("Letters"), fields=(
    Setting("answer_days", "int", _l("Working days to answer a letter"), default=10, min=1,
            max=60, description=_l("The due date of a new letter: this many working days after "
                                   "it arrives (weekends and public holidays not counted).")),
    Setting("feedback_after_days", "int", _l("Days before asking the writer about the answer"),
            default=14, min=1, max=90),
    Setting("keep_contacts_months", "int", _l("Months to keep writers' contacts after closing"),
            default=12, min=1, max=120,
            description=_l("Then names, e-mail addresses, phones and addresses are erased; the "
                           "letters and the statistics stay.")),
    Setting("departments", "long", _l("Departments letters are assigned to"), default=None,
            max=5000, description=_l("One a line.")),
))


def departments() -> list[str]:
    """The municipality's departments, one a line of the setting."""
    text = letters_settings.get("departments") or ""
    return [line.strip() for line in text.splitlines() if line.strip()]
