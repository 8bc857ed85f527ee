"""Which host names belong to whom: the platform's shared host, and each municipality's own.

``PORTAL_BASE_DOMAIN`` is the shared host (``/``, ``/platform/``, sign-in); it and its
``www.`` always belong to the platform, whatever a municipality's settings say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import Flask, current_app

#: A host name as tenant.toml and the settings accept it: lower case, no scheme, no port.
DOMAIN_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
#: ``PORTAL_BASE_DOMAIN``: a host name (or ``localhost``/an address), optionally with a port.
BASE_DOMAIN_RE = re.compile(r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*"
                            r"(:[0-9]{1,5})?$")
#: Where links point in development and tests when no base domain is set (``make run``).
DEV_BASE_DOMAIN = "localhost:5000"


def base_domain(app: Flask | None = None) -> str | None:
    """The configured shared host, with its port if it has one (None in development)."""
    return (app or current_app).config.get("PORTAL_BASE_DOMAIN") or None


def platform_hostnames(app: Flask | None = None) -> frozenset[str]:
    """Host names that are always the shared host: the base domain and its ``www.``."""
    base = base_domain(app)
    if not base:
        return frozenset()
    name = base.rsplit(":", 1)[0]
    return frozenset({name, f"www.{name}"})


def link_authority(app: Flask | None = None) -> str:
    """Host (and port) of links to the shared host in messages: configured, never the request's."""
    return base_domain(app) or DEV_BASE_DOMAIN


@dataclass(frozen=True)
class DomainProblem:
    """Why a municipality may not have ``domain``: malformed, platform, taken or twice."""

    code: str
    domain: str
    other: str = ""


#: English wording for tenant.toml (the settings form has its own, translated).
DOMAIN_MESSAGES = {
    "malformed": "{domain!r} is not a domain name (lower case, no scheme, no port, no path)",
    "platform": "{domain!r} is the portal's shared host (PORTAL_BASE_DOMAIN or its www.);"
                " no municipality may have it",
    "taken": "{domain!r} is already a domain of {other!r}",
    "twice": "{domain!r} is listed twice",
}


def domain_problems(domains: list, slug: str | None, *, platform: frozenset[str] = frozenset(),
                    taken: dict[str, str] | None = None) -> list[DomainProblem]:
    """What is wrong with municipality ``slug`` having ``domains``; empty when nothing is.

    ``platform``: host names of the shared host; ``taken``: domain → slug of every
    municipality (``slug``'s own entries are ignored).
    """
    taken = taken or {}
    problems, seen = [], set()
    for domain in domains:
        if not isinstance(domain, str) or not DOMAIN_RE.match(domain):
            problems.append(DomainProblem("malformed", str(domain)))
        elif domain in platform:
            problems.append(DomainProblem("platform", domain))
        elif taken.get(domain, slug) != slug:
            problems.append(DomainProblem("taken", domain, taken[domain]))
        elif domain in seen:
            problems.append(DomainProblem("twice", domain))
        seen.add(domain)
    return problems


def domain_rules(app: Flask | None = None, *, settings_only: bool = False) -> dict:
    """The pydantic validation context that makes ``TenantConfig`` check domains against the
    platform and the other municipalities (see ``registry.TenantConfig.valid_domains``).

    ``settings_only``: count only domains set through settings (the loader compares the files
    among themselves, and a file may move a domain from one municipality to another).
    """
    return {"platform_hosts": platform_hostnames(app), "taken": domains_in_use(settings_only)}


def domains_in_use(settings_only: bool = False) -> dict[str, str]:
    """Every municipality's domains, active or not → its slug; a municipality's settings
    replace its tenant.toml list when they set one."""
    from sqlalchemy import select

    from portal.extensions import db
    from portal.tenancy.context import all_tenants
    from portal.tenancy.models import Tenant
    from portal.tenancy.settings import profile_overrides_by_tenant

    with all_tenants():
        rows = db.session.execute(select(Tenant.id, Tenant.slug, Tenant.domains)).all()
        overrides = profile_overrides_by_tenant()
    in_use: dict[str, str] = {}
    for tenant_id, slug, file_domains in rows:
        changed = overrides.get(tenant_id, ({}, None))[0]
        if "domains" in changed:
            domains = changed["domains"] or []
        else:
            domains = [] if settings_only else file_domains or []
        for domain in domains:
            in_use.setdefault(domain, slug)
    return in_use
