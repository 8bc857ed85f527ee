"""Read and validate ``tenants/<slug>/tenant.toml``: who a municipality is.

Validation is strict (unknown keys are errors) so a typo fails at load with the file and
field named, instead of silently showing nothing.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from portal.services.recipients import EMAIL_PATTERN
from portal.tenancy.hosts import DOMAIN_MESSAGES, domain_problems

SLUG_RE = r"^[a-z][a-z0-9-]{1,38}$"
LOCALES = ("ka", "en")
HEX_COLOUR = r"^#[0-9a-fA-F]{6}$"


class TenantFileError(ValueError):
    """A tenant.toml that cannot be loaded; the message names the file and the field."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A text in Georgian (required) and English (optional, falls back to Georgian)."""

    ka: Annotated[str, Field(min_length=1, max_length=2000)]
    en: Annotated[str, Field(max_length=2000)] = ""


class Theme(Strict):
    primary: Annotated[str, Field(pattern=HEX_COLOUR)] = "#0b4f8a"
    accent: Annotated[str, Field(pattern=HEX_COLOUR)] = "#8a5a00"
    logo: str = "static/logo.svg"

    @field_validator("primary", "accent")
    @classmethod
    def readable_on_white(cls, value: str) -> str:
        # Both colours carry white text or sit on white: WCAG AA needs 4.5:1.
        ratio = contrast_with_white(value)
        if ratio < 4.5:
            raise ValueError(
                f"colour {value} has contrast {ratio:.2f}:1 with white; WCAG AA needs 4.5:1"
            )
        return value


class NamedPlace(Strict):
    name: Text
    area_km2: float | None = None
    note: Text | None = None


class Distance(Strict):
    to: Text
    km: Annotated[float, Field(gt=0)]


class Facts(Strict):
    area_km2: Annotated[float, Field(gt=0)] | None = None
    population: Annotated[int, Field(gt=0)] | None = None
    women_pct: Annotated[int, Field(ge=0, le=100)] | None = None
    men_pct: Annotated[int, Field(ge=0, le=100)] | None = None
    region: Text | None = None
    units: list[Text] = []
    landmarks: list[NamedPlace] = []
    distances: list[Distance] = []


class Contact(Strict):
    name: Text
    head_title: Text | None = None
    #: The mayor or the Sakrebulo chair, by name (edited in the municipality's admin).
    head_name: Text | None = None
    #: Where letters to the head arrive.
    inbox: Annotated[str, Field(pattern=EMAIL_PATTERN, max_length=254)] | None = None
    address: Text | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    facebook: str | None = None

    @field_validator("website", "facebook")
    @classmethod
    def https_url(cls, value: str | None) -> str | None:
        return _https_url(value)


class Sources(Strict):
    youtube_channel_id: str | None = None
    facebook_page_id: str | None = None


#: Features a municipality may switch off (``portal.blueprints.FEATURES``, declared at start).
_FEATURE_NAMES: set[str] = set()
#: Checks of the ``[<feature>]`` settings tables, one per ``FeatureSettings`` with fields.
_SETTINGS_TABLES: dict[str, Callable[[dict], dict]] = {}


def declare_feature_names(names: Iterable[str]) -> None:
    _FEATURE_NAMES.update(names)


def declare_settings_table(feature: str, check: Callable[[dict], dict]) -> None:
    """Let tenant.toml carry a ``[feature]`` table, validated by ``check`` (raises ValueError)."""
    _SETTINGS_TABLES[feature] = check


class Features(Strict):
    #: Features switched off for this municipality: their pages answer 404, their links,
    #: home-page parts and periodic jobs disappear.
    off: list[str] = []

    @field_validator("off")
    @classmethod
    def known_features(cls, value: list[str]) -> list[str]:
        unknown = [name for name in value if _FEATURE_NAMES and name not in _FEATURE_NAMES]
        if unknown:
            raise ValueError(f"unknown feature {unknown[0]!r}; known: {', '.join(sorted(_FEATURE_NAMES))}")
        return sorted(set(value))


class Mail(Strict):
    """How the municipality's e-mail looks to recipients (the SMTP server is deployment-wide)."""

    sender_name: Text | None = None
    reply_to: Annotated[str, Field(pattern=EMAIL_PATTERN)] | None = None
    per_minute: Annotated[int, Field(gt=0)] | None = None


class Sms(Strict):
    """The municipality's SMS sender and limits; no [sms] table means no SMS."""

    #: Alphanumeric sender name registered with the provider (at most 11 characters).
    sender: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9 .-]{0,10}$")]
    per_minute: Annotated[int, Field(gt=0)] | None = None
    #: Over this, messages wait (status "held") for staff approval. None: no budget.
    monthly_budget_gel: Annotated[Decimal, Field(gt=0)] | None = None
    segment_price_gel: Annotated[Decimal, Field(ge=0)] = Decimal("0.03")
    #: The provider's number people text STOP to, where it takes replies (the webhook's
    #: secret is ``SMS_INBOUND_SECRET_<SLUG>``); subscriptions' SMS then say how to stop.
    stop_number: Annotated[str, Field(pattern=r"^[0-9]{3,15}$")] | None = None


class TenantConfig(Strict):
    """The whole of one tenant.toml, validated."""

    slug: Annotated[str, Field(pattern=SLUG_RE)]
    active: bool = True
    name: Text
    short_name: Text
    tagline: Text
    description: Text | None = None
    default_locale: Literal["ka", "en"] = "ka"
    locales: list[Literal["ka", "en"]] = ["ka", "en"]
    timezone: str = "Asia/Tbilisi"
    domains: list[str] = []
    theme: Theme = Field(default_factory=Theme)
    facts: Facts = Field(default_factory=Facts)
    contacts: dict[Literal["city_hall", "sakrebulo"], Contact] = {}
    sources: Sources = Field(default_factory=Sources)
    #: Social media pages (https addresses), shown on the home page.
    social: list[str] = []
    tour_url: str | None = None
    features: Features = Field(default_factory=Features)
    #: Feature settings from ``[<feature>]`` tables (e.g. ``[petitions]``), the municipality's
    #: defaults for that feature's ``FeatureSettings``; staff edits override them.
    feature_settings: dict[str, dict[str, Any]] = {}
    mail: Mail = Field(default_factory=Mail)
    sms: Sms | None = None

    @model_validator(mode="before")
    @classmethod
    def gather_feature_tables(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        tables = [k for k in data if k in _SETTINGS_TABLES and k not in cls.model_fields]
        if not tables:
            return data
        data = dict(data)
        gathered = {k: dict(v) for k, v in (data.get("feature_settings") or {}).items()}
        for key in tables:
            value = data.pop(key)
            if not isinstance(value, dict):
                raise ValueError(f"{key}: must be a table")
            gathered[key] = {**gathered.get(key, {}), **value}
        data["feature_settings"] = gathered
        return data

    @field_validator("feature_settings")
    @classmethod
    def valid_feature_settings(cls, value: dict[str, dict]) -> dict[str, dict]:
        checked = {}
        for feature, table in value.items():
            if feature not in _SETTINGS_TABLES:
                raise ValueError(f"{feature}: no feature declares these settings")
            checked[feature] = _SETTINGS_TABLES[feature](table)
        return checked

    @field_validator("domains")
    @classmethod
    def valid_domains(cls, value: list[str], info: ValidationInfo) -> list[str]:
        # With a context from ``hosts.domain_rules`` (loading files, saving settings) also the
        # platform's shared host and the other municipalities' domains are refused.
        rules = info.context or {}
        problems = domain_problems(value, info.data.get("slug"),
                                   platform=rules.get("platform_hosts", frozenset()),
                                   taken=rules.get("taken"))
        if problems:
            first = problems[0]
            raise PydanticCustomError(
                f"domain_{first.code}",
                DOMAIN_MESSAGES[first.code].format(domain=first.domain, other=first.other),
                {"domain": first.domain, "other": first.other},
            )
        return value

    @field_validator("social")
    @classmethod
    def https_social(cls, value: list[str]) -> list[str]:
        return [_https_url(v) for v in value]

    @field_validator("tour_url")
    @classmethod
    def https_tour(cls, value: str | None) -> str | None:
        return _https_url(value)

    @model_validator(mode="after")
    def default_locale_enabled(self) -> TenantConfig:
        if self.default_locale not in self.locales:
            raise ValueError("default_locale must be one of locales")
        return self


def _https_url(value: str | None) -> str | None:
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.netloc:
        raise ValueError(f"{value!r} must be an https:// address")
    return value


def contrast_with_white(hex_colour: str) -> float:
    """WCAG 2.1 contrast ratio of a #rrggbb colour against white."""

    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (luminance + 0.05)


def read_tenant_file(path: Path, rules: dict | None = None) -> TenantConfig:
    """Parse and validate one tenant.toml; raise TenantFileError naming file and field.

    ``rules``: the validation context of ``hosts.domain_rules`` (None: the file alone)."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise TenantFileError(f"{path}: cannot read: {exc}") from exc
    try:
        config = TenantConfig.model_validate(raw, context=rules)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(top level)'}: {err['msg']}"
            for err in exc.errors()
        )
        raise TenantFileError(f"{path}: {problems}") from exc
    if config.slug != path.parent.name:
        raise TenantFileError(
            f"{path}: slug: {config.slug!r} must match the folder name {path.parent.name!r}"
        )
    logo = path.parent / config.theme.logo
    if not logo.is_file():
        raise TenantFileError(f"{path}: theme.logo: file {logo} does not exist")
    return config


def read_all(tenants_dir: Path, rules: dict | None = None) -> list[TenantConfig]:
    """Read every tenant folder; all must be valid, or nothing is returned."""
    files = sorted(tenants_dir.glob("*/tenant.toml"))
    if not files:
        raise TenantFileError(f"{tenants_dir}: no */tenant.toml found")
    configs = [read_tenant_file(f, rules) for f in files]
    seen: dict[str, str] = {}
    for config in configs:
        for domain in config.domains:
            if domain in seen:
                raise TenantFileError(
                    f"{tenants_dir / config.slug / 'tenant.toml'}: domains: {domain!r}"
                    f" is already used by {seen[domain]!r}"
                )
            seen[domain] = config.slug
    return configs


