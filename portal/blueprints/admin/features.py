"""Switching features on and off for a municipality, and saving a feature's settings.

The switch is an override of tenant.toml's ``[features] off`` (a profile setting, like the
other overrides in ``profile.py``); a feature's settings are its ``FeatureSettings`` rows.
Both flush and audit; the view commits.
"""

from __future__ import annotations

from sqlalchemy import delete, select

from portal.blueprints.admin.profile import get_path
from portal.extensions import db
from portal.services import audit
from portal.tenancy.models import Tenant, TenantSetting
from portal.tenancy.settings import PROFILE, profile_settings

OFF = "features.off"


def switch_features(tenant, on: set[str], switchable: list[str]) -> tuple[list, list]:
    """Switch off every feature of ``switchable`` not in ``on``; audits ``features.updated``.

    Features the file switches off that are not ``switchable`` here stay off. Returns the
    (before, after) lists of features off.
    """
    row = db.session.execute(select(Tenant).where(Tenant.id == tenant.id)).scalar_one()
    in_file = sorted(get_path(row.profile, OFF) or [])
    before = sorted(tenant.config.features.off)
    after = sorted({n for n in before if n not in switchable} | {n for n in switchable if n not in on})
    if after == in_file:
        db.session.execute(delete(TenantSetting).where(
            TenantSetting.tenant_id == tenant.id, TenantSetting.feature == PROFILE,
            TenantSetting.name == OFF))
    else:
        profile_settings.set_many({OFF: after}, tenant_id=tenant.id)
    audit.record("features.updated", target="features", before={"off": before}, after={"off": after})
    db.session.flush()
    return before, after


def save_feature_settings(settings, values: dict) -> dict:
    """Store a feature's submitted settings; audits ``feature_settings.updated``.

    Returns the changed names with (before, after).
    """
    current = settings.get_all()
    changed = {name: value for name, value in values.items() if current.get(name) != value}
    if changed:
        settings.set_many(changed)
    audit.record("feature_settings.updated", target=settings.feature,
                 before={n: current.get(n) for n in changed}, after=changed)
    db.session.flush()
    return {n: (current.get(n), v) for n, v in changed.items()}
