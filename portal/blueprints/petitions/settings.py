"""Petition settings per municipality: the ``[petitions]`` table of tenant.toml, edited by
staff at ``/<slug>/admin/settings/petitions``."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.tenancy.settings import FeatureSettings, Setting

petitions_settings = FeatureSettings("petitions", label=_l("Petitions"), fields=(
    Setting("registered_voters", "int", _l("Registered voters"), min=1, max=10**7),
    Setting("threshold", "int", _l("Petition threshold"), min=1, max=10**7,
            description=_l("Signatures a petition needs; empty: one per cent of registered voters.")),
    Setting("collection_days", "int", _l("Days to collect signatures"), default=30, min=1,
            max=365, description=_l("How long a published petition collects signatures.")),
    Setting("anonymise_after_days", "int", _l("Days signers' personal data is kept"),
            default=182, min=1, max=3650,
            description=_l("Counted from the petition's closing; then names, personal numbers "
                           "and contacts are erased and the counts kept.")),
    Setting("signing_paused", "bool", _l("Pause signing"), default=False,
            description=_l("No petition accepts signatures while this is on; the form says so.")),
    Setting("blocked_email_domains", "long", _l("Blocked e-mail domains"), default=None, max=5000,
            description=_l("One a line; a domain covers its subdomains.")),
    Setting("allowed_email_domains", "long", _l("Allowed e-mail domains"), default=None, max=5000,
            description=_l("One a line; when any are listed, only they may sign.")),
    Setting("blocked_emails", "long", _l("Blocked e-mail addresses"), default=None, max=5000,
            description=_l("One a line; aliases of one inbox count as one address.")),
    Setting("allowed_emails", "long", _l("Allowed e-mail addresses"), default=None, max=5000,
            description=_l("One a line; these may sign whatever the lists above say.")),
))
