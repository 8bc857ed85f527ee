"""Staff-edited settings: ``TenantSetting`` rows with defaults declared in code.

``FeatureSettings("petitions", {"threshold": None})`` gives a feature per-municipality values
(Indico's SettingsProxy). The municipality's profile (names, colours, contacts ...) is the
feature ``profile``: each row overrides one dotted path of ``tenant.toml`` (``theme.primary``,
``contacts.city_hall.head_name``), and the tenant directory merges them into ``TenantInfo``,
so the home page, theme.css and every other reader see the edited values.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime

from sqlalchemy import delete, select

from portal.extensions import db
from portal.tenancy.context import get_current_tenant
from portal.tenancy.models import TenantSetting

PROFILE = "profile"


class FeatureSettings:
    def __init__(self, feature: str, defaults: dict):
        self.feature = feature
        self.defaults = dict(defaults)

    def _tenant_id(self, tenant_id: int | None) -> int:
        if tenant_id is not None:
            return tenant_id
        tenant = get_current_tenant()
        if tenant is None:
            raise RuntimeError(f"{self.feature} settings read with no municipality in context")
        return tenant.id

    def get_all(self, tenant_id: int | None = None) -> dict:
        values = dict(self.defaults)
        values.update(stored_values(self._tenant_id(tenant_id), self.feature))
        return values

    def get(self, name: str, tenant_id: int | None = None):
        return self.get_all(tenant_id).get(name, self.defaults.get(name))

    def set_many(self, values: dict, tenant_id: int | None = None) -> dict:
        """Store ``values`` (a value equal to the default removes the row); flushes.

        Returns the previous stored values of the changed names, for the audit log.
        """
        tid = self._tenant_id(tenant_id)
        rows = {
            r.name: r for r in db.session.execute(
                select(TenantSetting).where(TenantSetting.tenant_id == tid,
                                            TenantSetting.feature == self.feature)
            ).scalars()
        }
        before = {}
        for name, value in values.items():
            row = rows.get(name)
            before[name] = row.value if row else self.defaults.get(name)
            if self.feature != PROFILE and value == self.defaults.get(name):
                if row is not None:
                    db.session.delete(row)
            elif row is None:
                db.session.add(TenantSetting(tenant_id=tid, feature=self.feature, name=name, value=value))
            elif row.value != value:
                row.value = value
        db.session.flush()
        return before

    def reset(self, tenant_id: int | None = None) -> None:
        db.session.execute(delete(TenantSetting).where(
            TenantSetting.tenant_id == self._tenant_id(tenant_id), TenantSetting.feature == self.feature))


def stored_values(tenant_id: int, feature: str) -> dict:
    return dict(db.session.execute(
        select(TenantSetting.name, TenantSetting.value)
        .where(TenantSetting.tenant_id == tenant_id, TenantSetting.feature == feature)
    ).all())


#: Overrides of tenant.toml; defaults are the file itself.
profile_settings = FeatureSettings(PROFILE, {})


def profile_overrides_by_tenant() -> dict[int, tuple[dict, datetime]]:
    """Every municipality's profile overrides and when they last changed, in one query."""
    result: dict[int, tuple[dict, datetime]] = {}
    rows = db.session.execute(
        select(TenantSetting.tenant_id, TenantSetting.name, TenantSetting.value, TenantSetting.updated_at)
        .where(TenantSetting.feature == PROFILE)
    ).all()
    for tenant_id, name, value, updated_at in rows:
        values, latest = result.get(tenant_id, ({}, updated_at))
        values[name] = value
        result[tenant_id] = (values, max(latest, updated_at, key=_aware))
    return result


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def apply_overrides(profile: dict, overrides: dict) -> dict:
    """``profile`` (tenant.toml as a dict) with each dotted-path override written in.

    ``None`` removes the key (back to the model's default).
    """
    merged = copy.deepcopy(profile)
    for path, value in sorted(overrides.items()):
        node = merged
        *parents, leaf = path.split(".")
        for key in parents:
            if not isinstance(node.get(key), dict):
                node[key] = {}
            node = node[key]
        if value is None:
            node.pop(leaf, None)
        else:
            node[leaf] = value
    return merged
