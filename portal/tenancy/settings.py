"""Staff-edited settings: ``TenantSetting`` rows with defaults declared in code.

``FeatureSettings("petitions", fields=(Setting("threshold", "int", _l("Threshold")),))`` gives a
feature per-municipality values (Indico's SettingsProxy): the declared default, then the
municipality's ``[petitions]`` table in tenant.toml, then what its staff saved. Declared fields
get a generic admin form (``/<slug>/admin/settings/<feature>``).

The municipality's profile (names, colours, contacts ...) is the feature ``profile``: each row
overrides one dotted path of ``tenant.toml`` (``theme.primary``, ``contacts.city_hall.head_name``,
``features.off``), and the tenant directory merges them into ``TenantInfo``, so the home page,
theme.css and every other reader see the edited values.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import delete, select

from portal.db import aware
from portal.extensions import db
from portal.services.recipients import EMAIL_RE
from portal.tenancy.context import get_current_tenant
from portal.tenancy.models import TenantSetting
from portal.tenancy.registry import declare_settings_table

PROFILE = "profile"


@dataclass(frozen=True)
class Setting:
    """One declared setting: its kind decides the form field and the checks."""

    name: str
    kind: Literal["text", "long", "int", "bool", "email", "url"]
    label: object
    default: object = None
    description: object = None
    required: bool = False
    #: Smallest and largest number (``int``); ``max`` is the length of a text.
    min: int | None = None
    max: int | None = None

    def check(self, value):
        """``value`` from tenant.toml, checked; raises ValueError naming the setting."""
        if value is None:
            return None
        problem = None
        if self.kind == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                problem = "must be a whole number"
            elif (self.min is not None and value < self.min) or (self.max is not None and value > self.max):
                problem = f"must be between {self.min} and {self.max}"
        elif self.kind == "bool":
            problem = None if isinstance(value, bool) else "must be true or false"
        elif not isinstance(value, str):
            problem = "must be text"
        elif self.max is not None and len(value) > self.max:
            problem = f"must be at most {self.max} characters"
        elif self.kind == "email" and not EMAIL_RE.match(value):
            problem = "must be an e-mail address"
        elif self.kind == "url" and not value.startswith("https://"):
            problem = "must be an https:// address"
        if problem:
            raise ValueError(f"{self.name}: {problem}")
        return value


class FeatureSettings:
    """A feature's per-municipality settings. ``fields`` declares them (defaults, kinds,
    labels); ``defaults`` alone is for settings staff never edit in a form."""

    def __init__(self, feature: str, defaults: dict | None = None, *,
                 fields: tuple[Setting, ...] = (), label: object = None,
                 permission: str = "settings.edit"):
        self.feature = feature
        self.fields = fields
        self.label = label
        #: Who may edit them in the admin (``@requires`` permission).
        self.permission = permission
        self.defaults = {f.name: f.default for f in fields} | dict(defaults or {})
        if fields:
            declare_settings_table(feature, self.check_table)

    def check_table(self, table: dict) -> dict:
        """A ``[feature]`` table of tenant.toml, checked against the declared fields."""
        known = {f.name: f for f in self.fields}
        unknown = sorted(set(table) - set(known))
        if unknown:
            raise ValueError(f"{unknown[0]}: unknown setting; known: {', '.join(known)}")
        return {name: known[name].check(value) for name, value in table.items() if value is not None}

    def file_values(self, tenant_id: int | None = None) -> dict:
        """The municipality's ``[feature]`` table of tenant.toml (staff edits excluded)."""
        tid = self._tenant_id(tenant_id)
        tenant = get_current_tenant()
        if tenant is None or tenant.id != tid:
            from flask import current_app

            from portal.tenancy.directory import get_directory

            tenant = get_directory(current_app).by_id(tid)
        return dict(tenant.config.feature_settings.get(self.feature, {})) if tenant else {}

    def defaults_for(self, tenant_id: int | None = None) -> dict:
        return self.defaults | self.file_values(tenant_id)

    def _tenant_id(self, tenant_id: int | None) -> int:
        if tenant_id is not None:
            return tenant_id
        tenant = get_current_tenant()
        if tenant is None:
            raise RuntimeError(f"{self.feature} settings read with no municipality in context")
        return tenant.id

    def get_all(self, tenant_id: int | None = None, *, stored: dict | None = None) -> dict:
        """Every value: defaults, tenant.toml, staff's. ``stored`` gives staff's values when
        the caller read them along with something else (saves a statement)."""
        tid = self._tenant_id(tenant_id)
        values = self.defaults_for(tid) if self.feature != PROFILE else dict(self.defaults)
        values.update(stored_values(tid, self.feature) if stored is None else stored)
        return values

    def get(self, name: str, tenant_id: int | None = None):
        return self.get_all(tenant_id).get(name, self.defaults.get(name))

    def set_many(self, values: dict, tenant_id: int | None = None) -> dict:
        """Store ``values`` (a value equal to the default removes the row); flushes.

        Returns the previous values of the given names, for the audit log.
        """
        tid = self._tenant_id(tenant_id)
        defaults = self.defaults_for(tid) if self.feature != PROFILE else self.defaults
        rows = {
            r.name: r for r in db.session.execute(
                select(TenantSetting).where(TenantSetting.tenant_id == tid,
                                            TenantSetting.feature == self.feature)
            ).scalars()
        }
        before = {}
        for name, value in values.items():
            row = rows.get(name)
            before[name] = row.value if row else defaults.get(name)
            if self.feature != PROFILE and value == defaults.get(name):
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
        result[tenant_id] = (values, max(latest, updated_at, key=aware))
    return result



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
