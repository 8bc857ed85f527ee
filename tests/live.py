"""Tests that need the real thing: gunicorn with two workers (tests/e2e/server.py) and a plain
HTTP client with a cookie jar, for what only separate processes show (shared rate limits,
SQLite write locks, bodies left unread)."""

from __future__ import annotations

import http.client
import re
import sqlite3
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from tests.e2e import server as live

TOKEN_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Client:
    """One visitor: keeps its cookies, never follows redirects."""

    def __init__(self, server: live.LiveServer, timeout: float = 60):
        self.server = server
        self.timeout = timeout
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str, dict]:
        conn = http.client.HTTPConnection(self.server.host, self.server.port, timeout=self.timeout)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            conn.close()
        for raw in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(raw).items():
                self.cookies[name] = morsel.value
        return response.status, text, dict(response.headers)

    def get(self, path: str) -> tuple[int, str, dict]:
        return self.request("GET", path)

    def post(self, path: str, form: dict) -> tuple[int, str, dict]:
        return self.request("POST", path, form)

    def token(self, path: str) -> str:
        """The CSRF token of the form on ``path``."""
        status, text, _ = self.get(path)
        assert status == 200, (path, status)
        return TOKEN_RE.search(text).group(1)


_prepared: dict[str, Path] = {}


def prepared_database(tmp_path_factory) -> Path:
    """A migrated database with the demo content, made once per run and copied per server."""
    if "file" not in _prepared:
        folder = tmp_path_factory.mktemp("live-template")
        live.prepare_database(live.server_env(folder))
        with sqlite3.connect(folder / "e2e.db") as conn:  # all of it in the file we copy
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        _prepared["file"] = folder / "e2e.db"
    return _prepared["file"]


def start_server(tmp_path: Path, tmp_path_factory, extra_env: dict[str, str] | None = None):
    """(server, process, log path) of a portal with the demo content, in ``tmp_path``."""
    log_path = tmp_path / "gunicorn.log"
    server, process = live.start(tmp_path, log_path, extra_env,
                                 prepared=prepared_database(tmp_path_factory))
    return server, process, log_path


def stop_server(process, log_path: Path) -> None:
    live.stop(process)
    errors = live.server_errors(log_path)
    assert not errors, "the live server logged errors:\n" + "\n".join(errors)


def make_live_staff(instance: Path, roles: list[str], count: int, tenant: str = "poti") -> list:
    """``count`` staff users of ``tenant`` in the live server's database (tests/staff_fixtures)."""
    from portal import create_app
    from portal.config import _engine_options
    from portal.tenancy import get_directory
    from tests.staff_fixtures import make_staff

    url = f"sqlite:///{instance}/e2e.db"  # the live server's own file, whatever DATABASE_URL says
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url,
                      "SQLALCHEMY_ENGINE_OPTIONS": _engine_options(url)})
    with app.app_context():
        info = get_directory(app).by_slug(tenant)
    users = [make_staff(app, info, roles) for _ in range(count)]
    with app.app_context():
        from portal.extensions import db

        db.engine.dispose()
    return users


def sign_in(client: Client, user, tenant: str = "poti") -> None:
    """The real two-step staff sign-in (password, then TOTP)."""
    from tests.staff_fixtures import PASSWORD, totp_now

    base = f"/{tenant}/accounts"
    status, _, _ = client.post(f"{base}/sign-in", {
        "csrf_token": client.token(f"{base}/sign-in"), "email": user.email, "password": PASSWORD})
    assert status == 303, status
    status, _, _ = client.post(f"{base}/two-factor", {
        "csrf_token": client.token(f"{base}/two-factor"), "code": totp_now(user.totp_secret)})
    assert status == 303, status
