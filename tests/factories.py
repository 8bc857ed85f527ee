"""Objects for the tests that walk the URL map, keyed by (blueprint, URL argument).

A route's URL arguments name things of a municipality: ``/<tenant_slug>/admin/sessions/<int:session_id>``
needs a council session of that municipality. Each feature says how to make one, and what a
valid form for each of its staff POST routes is, in ``tests/<feature>/factories.py``:

    @factory("sessions_admin", "session_id")
    def _session(objects):                      # an Objects: one municipality's things
        return make_session(objects.app, objects.tenant)

    @submission("sessions_admin.edit_session")
    def _edit(objects, client):                 # the form body; the URL comes from factories
        return {"title": "…", "body_id": objects.value("sessions_admin", "body_id")}

and lists that module in ``FEATURE_MODULES``. A value that names nothing the municipality
owns (a feature's name, a token with nothing behind it) is ``@factory(..., owned=False)``: the
isolation walks do not look for it under the other municipality. The walks (tests/tenancy/test_staff_isolation.py,
tests/tenancy/test_public_isolation.py, tests/admin/test_audit_coverage.py,
tests/web/test_caching.py) build every URL through ``Objects.url``, so a new feature's routes
are covered as soon as its module is listed; a route whose argument no factory knows fails
``tests/test_factories.py`` naming the blueprint, the argument and where to add it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from werkzeug.routing import Rule

#: Every feature's factories module, in one place. A new feature adds its own here.
FEATURE_MODULES = (
    "tests.home.factories",
    "tests.municipal_services.factories",
    "tests.accounts.factories",
    "tests.admin.factories",
    "tests.platform_admin.factories",
    "tests.sessions.factories",
    "tests.petitions.factories",
    "tests.petitions.admin_factories",
    "tests.letters.factories",
    "tests.satisfaction.factories",
    "tests.news.factories",
    "tests.projects.factories",
    "tests.consultations.factories",
    "tests.documents.factories",
    "tests.unsubscribe.factories",
    "tests.subscriptions.factories",
    "tests.surveys.factories",
    "tests.grants.factories",
    "tests.tour.factories",
)

#: Routes no walk builds: Flask's own static files (no municipality's things behind them).
UNWALKED = frozenset({"static"})


@dataclass(frozen=True)
class Factory:
    make: Callable[[Objects], object]
    #: False when the value names nothing the municipality owns (a well-formed token with
    #: nothing behind it): the isolation walk then has nothing of Poti's to look for.
    owned: bool
    module: str


_FACTORIES: dict[tuple[str, str], Factory] = {}
_SUBMISSIONS: dict[str, Callable] = {}
_loaded = False


class MissingFactory(LookupError):
    """A route has a URL argument no feature module makes a value for."""


def factory(blueprint: str, argument: str, *, owned: bool = True):
    """Register ``make(objects) -> value`` for the URL argument ``argument`` of the routes of
    ``blueprint``; stack the decorator to use one function for several blueprints."""
    def register(make):
        key = (blueprint, argument)
        if key in _FACTORIES and _FACTORIES[key].make is not make:
            raise ValueError(f"two factories for {key}: {_FACTORIES[key].module} and {make.__module__}")
        _FACTORIES[key] = Factory(make, owned, make.__module__)
        return make
    return register


def submission(endpoint: str):
    """Register ``make(objects, client) -> dict``: a valid form body (without the CSRF token)
    for the POST route ``endpoint``, its URL built from the same ``objects``."""
    def register(make):
        if endpoint in _SUBMISSIONS and _SUBMISSIONS[endpoint] is not make:
            raise ValueError(f"two submissions for {endpoint}")
        _SUBMISSIONS[endpoint] = make
        return make
    return register


def load() -> None:
    """Import every module of FEATURE_MODULES (once), which registers their factories."""
    global _loaded
    if not _loaded:
        for name in FEATURE_MODULES:
            importlib.import_module(name)
        _loaded = True


def factories() -> dict[tuple[str, str], Factory]:
    load()
    return dict(_FACTORIES)


def submissions() -> dict[str, Callable]:
    load()
    return dict(_SUBMISSIONS)


def blueprint_of(rule: Rule) -> str:
    return rule.endpoint.rpartition(".")[0] or rule.endpoint


def is_tenant_rule(rule: Rule) -> bool:
    """Whether the rule is a municipality's, under the ``/<tenant_slug>`` prefix."""
    from portal.tenancy import TENANT_PREFIX

    return rule.rule == TENANT_PREFIX or rule.rule.startswith(TENANT_PREFIX + "/")


def object_arguments(rule: Rule) -> list[str]:
    """The URL arguments that name something (the prefix's municipality aside; the platform
    admin's ``/platform/tenants/<tenant_slug>/…`` names one as an object)."""
    return sorted(set(rule.arguments) - ({"tenant_slug"} if is_tenant_rule(rule) else set()))


def walked_rules(app) -> list[Rule]:
    return sorted((r for r in app.url_map.iter_rules() if r.endpoint not in UNWALKED),
                  key=lambda r: (r.rule, r.endpoint))


def missing_factories(app) -> list[str]:
    """One line per (blueprint, argument) of the URL map that no factory makes."""
    known = factories()
    missing: dict[tuple[str, str], str] = {}
    for rule in walked_rules(app):
        for argument in object_arguments(rule):
            key = (blueprint_of(rule), argument)
            if key not in known:
                missing.setdefault(key, rule.rule)
    return [f'@factory("{bp}", "{arg}") for {rule} — add it to tests/<feature>/factories.py '
            f"and list that module in tests/factories.py: FEATURE_MODULES"
            for (bp, arg), rule in sorted(missing.items())]


def factory_for(blueprint: str, argument: str) -> Factory:
    made = factories().get((blueprint, argument))
    if made is None:
        raise MissingFactory(f'no @factory("{blueprint}", "{argument}"): add one to '
                             "tests/<feature>/factories.py (see tests/factories.py)")
    return made


def rule_for(app, endpoint: str, method: str = "POST") -> Rule:
    return next(r for r in app.url_map.iter_rules(endpoint) if method in r.methods)


class Objects:
    """One municipality's things for a walk: each value made on first use, then reused.

    ``value(blueprint, argument)`` gives the URL value a factory made; ``once(name, make)``
    lets factories share an object (a recording and a line of its transcript).
    """

    def __init__(self, app, tenant):
        self.app = app
        self.tenant = tenant
        self._values: dict[tuple[str, str], str] = {}
        self._shared: dict[str, object] = {}

    def value(self, blueprint: str, argument: str) -> str:
        key = (blueprint, argument)
        if key not in self._values:
            self._values[key] = str(factory_for(blueprint, argument).make(self))
        return self._values[key]

    def once(self, name: str, make: Callable[[], object]):
        if name not in self._shared:
            self._shared[name] = make()
        return self._shared[name]

    def values(self, rule: Rule) -> dict[str, str]:
        return {arg: self.value(blueprint_of(rule), arg) for arg in object_arguments(rule)}

    def url(self, rule: Rule, tenant_slug: str | None = None) -> str:
        """The rule's path with this municipality's things, under ``tenant_slug``'s prefix
        (default: this municipality's own)."""
        values = self.values(rule)
        if is_tenant_rule(rule):
            values["tenant_slug"] = tenant_slug or self.tenant.slug
        return rule.build(values, append_unknown=False)[1]


def owns_something(rule: Rule) -> bool:
    """Whether any argument of the rule names a thing of the municipality (a feature's name or
    a token with nothing behind it does not)."""
    return any(factory_for(blueprint_of(rule), arg).owned for arg in object_arguments(rule))


def watched_tables() -> list[str]:
    """Every table of the models (each feature's, once its models are imported): the tables
    whose row counts a refused request must leave alone."""
    from portal.extensions import db

    return [table.name for table in db.metadata.sorted_tables]


def row_counts(app) -> dict[str, int]:
    from sqlalchemy import func, select, table

    from portal.extensions import db

    with app.app_context():
        return {name: db.session.execute(
            select(func.count()).select_from(table(name)).execution_options(all_tenants=True)
        ).scalar_one() for name in watched_tables()}
