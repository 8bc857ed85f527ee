"""Petition settings per municipality: the ``[petitions]`` table of tenant.toml, edited by
staff at ``/<slug>/admin/settings/petitions``."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.tenancy.settings import FeatureSettings, Setting

petitions_settings = FeatureSettings("petitions", label=_l("Petitions"), fields=(
    Setting("registered_voters", "int", _l("Registered voters"), min=1, max=10**7),
    Setting("threshold", "int", _l("Petition threshold"), min=1, max=10**7,
            description=_l("Signatures a petition needs; empty: one per cent of registered voters.")),
))
