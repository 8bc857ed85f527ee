"""Fixtures of the browser tests: one live gunicorn server and one Chromium per run, a fresh
browser context (cookies, JavaScript setting) per test."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from tests.e2e import server as live
from tests.e2e.browser import CHROMIUM, CHROMIUM_ARGS, DESKTOP, WATCH_SCRIPT, Watch, keep_offline
from tests.e2e.werkzeug_server import serving

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    # Everything in this folder drives a browser: `pytest -m "not browser"` must skip it all.
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    instance = tmp_path_factory.mktemp("e2e-instance")
    log_path = instance / "gunicorn.log"
    server, process = live.start(instance, log_path)
    yield server
    live.stop(process)
    errors = live.server_errors(log_path)
    assert not errors, "the live server logged errors:\n" + "\n".join(errors)


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/ensure-chromium.sh (make test-browser)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def open_page(chromium, live_server):
    """``open_page(path, js=True, base=None)`` → (page, watch) in a fresh context."""
    contexts = []

    def _open(path: str = "/", *, js: bool = True, base: str | None = None):
        context = chromium.new_context(
            java_script_enabled=js, viewport=DESKTOP, base_url=base or live_server.url,
        )
        contexts.append(context)
        context.route("**/*", keep_offline)
        context.add_init_script(WATCH_SCRIPT)
        page = context.new_page()
        watch = Watch()
        watch.attach(page)
        page.goto(path)
        return page, watch

    yield _open
    for context in contexts:
        context.close()


# A module's own live portal on the demo content (the archive's and the petitions' browser tests).
@pytest.fixture(scope="module")
def live_app(app, tmp_path_factory, monkeypatch_module):
    """A second app on its own database (a SQLite file, or with ``TEST_DATABASE_URL`` a
    fresh PostgreSQL sibling ``<name>_live``), so the committed demo never meets other tests."""
    from flask_migrate import upgrade

    from portal import create_app
    from portal.demo import load_demo
    from portal.extensions import db
    from tests.e2e.flow_site import fresh_database

    folder = tmp_path_factory.mktemp("live")
    monkeypatch_module.setenv("DATABASE_URL", fresh_database(folder, "live"))
    monkeypatch_module.setenv("PORTAL_INSTANCE_PATH", str(folder))
    live = create_app({"TESTING": True})
    with live.app_context():
        upgrade()
        load_demo()
        db.session.commit()
        db.session.remove()
    yield live
    with live.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


@pytest.fixture(scope="module")
def live_url(live_app):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    with serving(live_app, port) as url:
        yield url
