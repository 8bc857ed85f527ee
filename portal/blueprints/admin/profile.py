"""The municipality settings staff edit, as overrides of tenant.toml (see tenancy.settings).

``PROFILE_FIELDS`` maps each form field to a dotted path in ``TenantConfig``. Saving validates
the merged result with the same pydantic model that checks the file, so staff cannot store
what the file would not allow (a low-contrast colour, an http:// link, a bad domain).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from pydantic import ValidationError
from sqlalchemy import select

from portal.extensions import db
from portal.services import audit
from portal.tenancy.hosts import domain_rules
from portal.tenancy.models import Tenant
from portal.tenancy.registry import TenantConfig
from portal.tenancy.settings import apply_overrides, profile_settings, stored_values


@dataclass(frozen=True)
class ProfileField:
    name: str
    path: str
    kind: str  # text | long | int | float | colour | url | email | lines
    label: object
    group: str
    max: int = 200
    required: bool = False


F = ProfileField
PROFILE_FIELDS: tuple[ProfileField, ...] = (
    F("name_ka", "name.ka", "text", _l("Name in Georgian"), "identity", required=True),
    F("name_en", "name.en", "text", _l("Name in English"), "identity"),
    F("short_name_ka", "short_name.ka", "text", _l("Short name in Georgian"), "identity", 80, True),
    F("short_name_en", "short_name.en", "text", _l("Short name in English"), "identity", 80),
    F("tagline_ka", "tagline.ka", "text", _l("Tagline in Georgian"), "identity", 300, True),
    F("tagline_en", "tagline.en", "text", _l("Tagline in English"), "identity", 300),
    F("description_ka", "description.ka", "long", _l("Description in Georgian"), "identity", 2000),
    F("description_en", "description.en", "long", _l("Description in English"), "identity", 2000),
    F("primary", "theme.primary", "colour", _l("Main colour"), "look", 7, True),
    F("accent", "theme.accent", "colour", _l("Accent colour"), "look", 7, True),
    F("population", "facts.population", "int", _l("Population"), "facts"),
    F("area_km2", "facts.area_km2", "float", _l("Area, km²"), "facts"),
    F("mayor_name_ka", "contacts.city_hall.head_name.ka", "text", _l("Mayor's name in Georgian"), "people"),
    F("mayor_name_en", "contacts.city_hall.head_name.en", "text", _l("Mayor's name in English"), "people"),
    F("mayor_inbox", "contacts.city_hall.inbox", "email", _l("Inbox for letters to the mayor"), "people", 254),
    F("chair_name_ka", "contacts.sakrebulo.head_name.ka", "text", _l("Sakrebulo chair's name in Georgian"), "people"),
    F("chair_name_en", "contacts.sakrebulo.head_name.en", "text", _l("Sakrebulo chair's name in English"), "people"),
    F("chair_inbox", "contacts.sakrebulo.inbox", "email",
      _l("Inbox for letters to the Sakrebulo chair"), "people", 254),
    F("city_hall_phone", "contacts.city_hall.phone", "text", _l("City hall phone"), "contacts", 40),
    F("city_hall_email", "contacts.city_hall.email", "email", _l("City hall e-mail"), "contacts", 254),
    F("city_hall_address_ka", "contacts.city_hall.address.ka", "text",
      _l("City hall address in Georgian"), "contacts", 300),
    F("sakrebulo_phone", "contacts.sakrebulo.phone", "text", _l("Sakrebulo phone"), "contacts", 40),
    F("sakrebulo_email", "contacts.sakrebulo.email", "email", _l("Sakrebulo e-mail"), "contacts", 254),
    F("social", "social", "lines", _l("Social media pages, one https:// address per line"), "online", 2000),
    F("youtube_channel_id", "sources.youtube_channel_id", "text",
      _l("YouTube channel id (session archive)"), "online", 80),
    F("facebook_page_id", "sources.facebook_page_id", "text", _l("Facebook page (session archive)"), "online", 120),
    F("tour_url", "tour_url", "url", _l("3D tour address (https://)"), "online", 500),
    F("sms_sender", "sms.sender", "text", _l("SMS sender name (at most 11 Latin letters or digits)"), "online", 11),
    F("domains", "domains", "lines", _l("Own domains, one per line (the first is the main one)"), "online", 2000),
)

GROUPS = {
    "identity": _l("Names and description"),
    "look": _l("Logo and colours"),
    "facts": _l("Facts"),
    "people": _l("Mayor and Sakrebulo chair"),
    "contacts": _l("Contacts"),
    "online": _l("Online presence"),
}


def available_fields() -> tuple[ProfileField, ...]:
    """Fields whose top-level key the configuration model knows (``sms`` arrives with delivery)."""
    known = TenantConfig.model_fields
    return tuple(f for f in PROFILE_FIELDS if f.path.split(".")[0] in known)


def get_path(data: dict, path: str):
    node = data
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def current_values(tenant) -> dict:
    """The form's initial values: the effective configuration (file + overrides)."""
    data = tenant.config.model_dump(mode="json")
    values = {}
    for f in available_fields():
        value = get_path(data, f.path)
        values[f.name] = "\n".join(value) if f.kind == "lines" and value else value
    return values


class ProfileInvalid(Exception):
    """The merged settings do not validate; ``errors`` maps form field names to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("invalid settings")
        self.errors = errors


def update_profile(tenant, submitted: dict, logo: str | None = None) -> dict:
    """Store the submitted values as overrides of tenant.toml and audit the change.

    Values equal to the file's are stored as no override. Raises ProfileInvalid. Returns the
    changed paths with (before, after).
    """
    row = db.session.execute(select(Tenant).where(Tenant.id == tenant.id)).scalar_one()
    file_profile = row.profile
    overrides = dict(stored_values(tenant.id, "profile"))
    effective_before = apply_overrides(file_profile, overrides)
    for f in available_fields():
        value = submitted.get(f.name)
        in_file = get_path(file_profile, f.path)
        if in_file == value or (value in (None, "", []) and in_file in (None, "", [])):
            overrides.pop(f.path, None)
        else:
            overrides[f.path] = value
    if logo:
        overrides["theme.logo"] = logo
    merged = apply_overrides(file_profile, overrides)
    try:
        # The same rules as tenant.toml, plus: not the shared host, not another's domain.
        TenantConfig.model_validate(merged, context=domain_rules())
    except ValidationError as exc:
        raise ProfileInvalid(_map_errors(exc)) from exc
    stored = stored_values(tenant.id, "profile")
    changes = {p: v for p, v in overrides.items() if stored.get(p) != v}
    removed = [p for p in stored if p not in overrides]
    profile_settings.set_many(changes, tenant_id=tenant.id)
    if removed:
        from sqlalchemy import delete

        from portal.tenancy.models import TenantSetting

        db.session.execute(delete(TenantSetting).where(
            TenantSetting.tenant_id == tenant.id, TenantSetting.feature == "profile",
            TenantSetting.name.in_(removed)))
    diff = {}
    for path in sorted(set(changes) | set(removed)):
        before, after = get_path(effective_before, path), get_path(merged, path)
        if before != after:
            diff[path] = (before, after)
    audit.record("settings.updated", target="profile",
                 before={p: b for p, (b, _) in diff.items()}, after={p: a for p, (_, a) in diff.items()})
    db.session.flush()
    return diff


def _map_errors(exc: ValidationError) -> dict[str, list[str]]:
    by_path = {f.path: f.name for f in available_fields()}
    errors: dict[str, list[str]] = {}
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"])
        name = next((n for p, n in by_path.items() if loc == p or loc.startswith(p + ".")), None)
        if name is None:
            name = next((n for p, n in by_path.items() if p.startswith(loc + ".")), "__all__")
        errors.setdefault(name, []).append(_message(err))
    return errors


#: The settings form's wording of ``hosts.domain_problems`` (tenant.toml has English).
DOMAIN_MESSAGES = {
    "malformed": _l("“%(domain)s” is not a domain name: write it like abasha.gov.ge, in lower case, "
                    "without https://, a port or a path."),
    "platform": _l("“%(domain)s” is the portal's shared address; it cannot be a municipality's own domain."),
    "taken": _l("“%(domain)s” is already a domain of another municipality (%(other)s)."),
    "twice": _l("“%(domain)s” is listed twice."),
}


def _message(err: dict) -> str:
    code = err["type"].removeprefix("domain_")
    if err["type"].startswith("domain_") and code in DOMAIN_MESSAGES:
        return str(DOMAIN_MESSAGES[code]) % err["ctx"]
    return err["msg"].removeprefix("Value error, ")
