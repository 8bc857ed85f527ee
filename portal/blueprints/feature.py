"""What one registry entry says about a feature (see ``portal/blueprints/__init__.py``).

Entries name code as ``"package.module:attr"`` strings (or plain module names), so the list
imports nothing until the app is built; ``load`` resolves them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal


def load(target: str):
    """The object ``"package.module:attr"`` names (the module itself without ``:attr``)."""
    module, _, attr = target.partition(":")
    found = importlib.import_module(module)
    return getattr(found, attr) if attr else found


@dataclass(frozen=True)
class Mount:
    """One blueprint registration: ``"module:bp"``, its URL prefix, and where it is mounted.

    ``on="tenant"`` mounts under the municipality (``/<slug>`` on the shared host);
    ``on="platform"`` on the shared host alone. ``name`` registers a blueprint a second time.
    """

    blueprint: str
    url_prefix: str | None = None
    name: str | None = None
    on: Literal["tenant", "platform"] = "tenant"


@dataclass(frozen=True)
class NavLink:
    """A link in the municipality admin's navigation, shown to those with ``permission``."""

    label: object
    endpoint: str
    permission: str | None = None
    #: Endpoints that mark the link current; one ending in ``*`` is a prefix.
    current: tuple[str, ...] = ()
    #: Position in the navigation (platform links use 0-100; features sit at 50).
    order: int = 50

    def is_current(self, endpoint: str | None) -> bool:
        if not endpoint:
            return False
        for pattern in self.current or (self.endpoint,):
            if endpoint == pattern or (pattern.endswith("*") and endpoint.startswith(pattern[:-1])):
                return True
        return False


@dataclass(frozen=True)
class HomePart:
    """A section of the municipality's home page: a template included with ``part`` set to
    what ``context`` (``"module:function"``) returns, called when the page is rendered."""

    template: str
    context: str | None = None


@dataclass(frozen=True)
class FeedLink:
    """A machine-readable page of the feature, linked from every page of a municipality that
    has it: a ``<link rel="alternate" type=...>`` in the head when ``type`` is given (titled
    ``title``), and a footer link when ``label`` is given (``boost=False`` for a file that
    htmx must not swap into the page, such as a calendar)."""

    endpoint: str
    label: object = None
    type: str | None = None
    title: object = None
    boost: bool = True


@dataclass(frozen=True)
class Every:
    """A periodic run of one of the feature's jobs, in crontab fields (``minute="*/10"``).
    ``per_tenant``: once per active municipality that has the feature on, else once."""

    job: str
    minute: str = "*"
    hour: str = "*"
    day: str = "*"
    per_tenant: bool = True


@dataclass(frozen=True)
class Feature:
    """One entry of the registry. Only ``name`` is required; every other field is optional."""

    name: str
    #: The public navigation: label and the endpoint it links to.
    label: object = None
    endpoint: str | None = None
    #: Shown to a municipality only when this holds (e.g. it has a tour address).
    available: Callable[[object], bool] | None = None
    #: Blueprints to register, in order (public, admin, shared-host ones).
    blueprints: tuple[Mount, ...] = ()
    #: Modules whose import attaches views to those blueprints.
    routes: tuple[str, ...] = ()
    #: Module of mapped classes (imported before create_all and Alembic autogenerate).
    models: str | None = None
    #: Module of ``@job`` functions; its per-municipality periodic runs skip municipalities
    #: that switched the feature off.
    jobs: str | None = None
    #: Periodic runs of those jobs (``portal/jobs/schedule.py`` adds them to its table).
    schedule: tuple[Every, ...] = ()
    #: ``"module:function"`` adding demo content (idempotent, flushes, returns a line).
    demo: str | None = None
    #: ``"module:group"`` of ``flask`` commands.
    cli: str | None = None
    admin_nav: tuple[NavLink, ...] = ()
    home: HomePart | None = None
    #: Feeds, calendars and open data, linked from the layout (head and footer).
    feeds: tuple[FeedLink, ...] = ()
    #: ``"module:function"`` yielding ``(endpoint, values)`` of public pages for sitemap.xml.
    sitemap: str | None = None
    #: Origins the feature's pages load content from, per CSP directive
    #: (``{"frame-src": ("https://www.youtube-nocookie.com",)}``).
    content_origins: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: ``"module:attr"`` of a ``FeatureSettings`` with declared fields (generic admin form).
    settings: str | None = None
    #: False for the platform's own parts, which no municipality can switch off.
    switchable: bool = True

    def mounts(self, on: str) -> tuple[Mount, ...]:
        return tuple(m for m in self.blueprints if m.on == on)
