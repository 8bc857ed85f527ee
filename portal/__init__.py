"""The portal's application factory."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from portal.config import PROJECT_ROOT, load_config


class Portal(Flask):
    """Flask, with URLs built for the host that serves the request (see tenancy.resolve)."""

    def url_for(self, endpoint: str, *args, **values) -> str:
        from portal.tenancy import get_current_tenant, is_tenant_endpoint, public_url

        per_tenant = is_tenant_endpoint(self, endpoint)
        target = values.get("tenant_slug") if per_tenant else None
        if target is None and per_tenant:
            tenant = get_current_tenant()
            target = tenant.slug if tenant else None
            if target is not None:
                values["tenant_slug"] = target  # so the url_defaults hook need not look it up again
        url = super().url_for(endpoint, *args, **values)
        from flask import has_request_context

        return public_url(url, target) if has_request_context() else url


def create_app(config: dict | None = None) -> Portal:
    instance_path = os.environ.get("PORTAL_INSTANCE_PATH", str(PROJECT_ROOT / "instance"))
    app = Portal(__name__, instance_path=instance_path, instance_relative_config=False)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(load_config(app.instance_path))
    if config:
        app.config.update(config)

    register_extensions(app)
    register_web(app)
    register_blueprints(app)
    register_cli(app)
    register_jobs(app)
    return app


def register_extensions(app: Flask) -> None:
    from portal.db import install_idle_ping, install_sqlite_behaviour, install_transaction_hooks
    from portal.db_text import install_nul_guard
    from portal.extensions import csrf, db, htmx, migrate
    from portal.i18n import init_i18n
    from portal.tenancy import init_tenancy

    install_sqlite_behaviour()
    install_transaction_hooks()
    install_nul_guard()
    db.init_app(app)
    with app.app_context():  # the engines exist now; nothing connects yet
        for engine in db.engines.values():
            install_idle_ping(engine)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    htmx.init_app(app)
    init_tenancy(app)
    init_i18n(app)
    _import_models()
    init_staff(app)


def init_staff(app: Flask) -> None:
    # Issue 4: sessions, rate limits, permission declarations, dashboard providers.
    from portal.blueprints.accounts import init_accounts
    from portal.blueprints.admin.dashboard import register_core_providers
    from portal.web.inputs import init_input_guard
    from portal.web.permissions import enforce_declarations

    init_input_guard(app)
    init_accounts(app)
    enforce_declarations(app)
    register_core_providers()


def _import_models() -> None:
    # Every mapped class must be imported before migrations or create_all see the metadata;
    # the features' models (and settings) come from the registry.
    import portal.delivery.models  # noqa: F401
    import portal.jobs.models  # noqa: F401
    import portal.services.audit
    import portal.services.phone_codes  # noqa: F401
    import portal.services.working_days  # noqa: F401
    import portal.tenancy.models  # noqa: F401
    from portal.blueprints import import_feature_modules

    import_feature_modules()


def register_web(app: Flask) -> None:
    from portal.web.caching import init_caching
    from portal.web.errors import init_errors
    from portal.web.security import init_security
    from portal.web.templating import init_templating
    from portal.web.unavailable import init_unavailable

    init_security(app)
    init_caching(app)
    init_errors(app)
    init_unavailable(app)
    init_templating(app)
    if os.environ.get("PORTAL_PROXY_COUNT"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = int(os.environ["PORTAL_PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def register_blueprints(app: Flask) -> None:
    from portal.blueprints import register_features

    register_features(app)


def register_cli(app: Flask) -> None:
    from portal.cli import register_commands

    register_commands(app)


def register_jobs(app: Flask) -> None:
    from portal.jobs import init_jobs

    init_jobs(app)
