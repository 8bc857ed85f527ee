"""Which host names belong to whom: the platform's shared host, and each municipality's own.

``PORTAL_BASE_DOMAIN`` is the shared host (``/``, ``/platform/``, sign-in); it and its
``www.`` always belong to the platform, whatever a municipality's settings say.
"""

from __future__ import annotations

import re

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
