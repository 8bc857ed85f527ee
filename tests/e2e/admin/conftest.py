"""A live portal for the admin browser tests: its own database (a SQLite file, or a fresh
PostgreSQL database beside ``TEST_DATABASE_URL``'s), a threaded werkzeug
server, Chromium via Playwright, axe-core. Separate from tests/e2e/conftest.py's gunicorn
server so the two can evolve apart; everything here is marked ``browser``."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from tests.e2e.browser import axe_problems
from tests.e2e.werkzeug_server import serving

HERE = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PROJECT_ROOT = HERE.parents[2]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.no_db_rollback)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Site:
    def __init__(self, app, url):
        self.app = app
        self.url = url

    def staff(self, roles, tenant="poti", email=None, platform=False):
        """A signed-in-able staff member (password from staff_fixtures, fresh TOTP secret);
        ``tenant=None, platform=True`` for a platform admin."""
        from portal.tenancy import get_directory
        from tests.staff_fixtures import make_staff

        with self.app.app_context():
            info = get_directory(self.app).by_slug(tenant) if tenant else None
        email = email or f"{'-'.join(roles) or 'none'}-{os.urandom(4).hex()}@example.org"
        return make_staff(self.app, info, roles, email=email, name="E2E", platform=platform)


@pytest.fixture(scope="session")
def admin_site(tmp_path_factory):
    from flask_migrate import upgrade

    from portal import create_app
    from portal.extensions import db
    from portal.tenancy.loader import load_tenants
    from tests.e2e.flow_site import fresh_database

    folder = tmp_path_factory.mktemp("admin-e2e")
    saved = os.environ.get("PORTAL_INSTANCE_PATH")
    os.environ["PORTAL_INSTANCE_PATH"] = str(folder)
    # A SQLite file, or with TEST_DATABASE_URL a fresh PostgreSQL sibling ``<name>_admin``.
    database_url = fresh_database(folder, "admin")
    config = {"TESTING": True, "PORTAL_TENANT_CACHE_SECONDS": 0}
    if database_url.startswith("sqlite"):
        config.update(SQLALCHEMY_DATABASE_URI=database_url,
                      SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"timeout": 30}})
    else:  # the engine options of TEST_DATABASE_URL's PostgreSQL stand
        config["SQLALCHEMY_DATABASE_URI"] = database_url.replace(
            "postgresql://", "postgresql+psycopg://", 1)
    try:
        app = create_app(config)
    finally:
        if saved is not None:
            os.environ["PORTAL_INSTANCE_PATH"] = saved
    with app.app_context():
        upgrade()
        load_tenants(PROJECT_ROOT / "tenants")
        db.session.commit()
    port = _free_port()
    with serving(app, port) as url:
        yield Site(app, url)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="package")
def gunicorn_site(admin_site, tmp_path_factory):
    """The same site (database, instance folder) served by gunicorn, as in production, for what
    depends on the server: how a request the app refuses unread (413) reaches the browser."""
    import subprocess

    from tests.e2e import server as live

    env = live.server_env(Path(admin_site.app.instance_path))
    env["DATABASE_URL"] = admin_site.app.config["SQLALCHEMY_DATABASE_URI"]
    port = _free_port()
    log_path = tmp_path_factory.mktemp("admin-gunicorn") / "gunicorn.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(live.BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "wsgi:app"],
            cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    site = Site(admin_site.app, f"http://127.0.0.1:{port}")
    try:
        live.wait_until_up(site.url, process)
        yield site
    finally:
        live.stop(process)
    errors = live.server_errors(log_path)
    assert not errors, "gunicorn logged errors:\n" + "\n".join(errors)


@pytest.fixture(scope="package")
def admin_browser(request):
    """tests/e2e/conftest.py's Chromium when it exists (one sync Playwright per process is all
    Playwright allows), else our own for this package."""
    try:
        shared = request.getfixturevalue("chromium")
    except pytest.FixtureLookupError:
        shared = None
    if shared is not None:
        yield shared
        return
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/ensure-chromium.sh (make test-browser)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(admin_browser, admin_site):
    context = admin_browser.new_context(base_url=admin_site.url, viewport={"width": 1280, "height": 800})
    context.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation',"
        " e => window.__csp.push(e.violatedDirective));"
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # A 422 is the expected answer to an invalid form; Chromium logs it as a failed load.
    page.on("console", lambda m: errors.append(m.text)
            if m.type == "error" and "status of 422" not in m.text else None)
    yield page
    assert errors == [], errors
    context.close()


def axe_violations(page) -> list[str]:
    """axe-core's violations (WCAG 2.2 rules on) on the page and on the same URL in the other
    language (tests/e2e/browser.py); evaluated over the DevTools protocol, so the CSP allows it."""
    return axe_problems(page)


def csp_violations(page) -> list[str]:
    return page.evaluate("window.__csp || []")
