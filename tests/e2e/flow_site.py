"""A live portal for the whole-flow browser tests, wired to the outside world as in production:
the web app (a threaded werkzeug server in this process) and a real job worker (``flask jobs
worker`` in its own process, as ``make run`` starts it) share one database and one job queue;
the worker delivers the outbox to a real local SMTP server and SMS provider (tests/servers.py).

The database is a fresh SQLite file, or, when ``TEST_DATABASE_URL`` names a PostgreSQL database,
a fresh sibling database (``<name>_flow``) on the same server, so what the flow commits never
meets the suite's rolled-back tests.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tests.e2e import server as live
from tests.e2e.werkzeug_server import serving
from tests.helpers import shared_host_path
from tests.servers import SmsServer, SmtpServer

PROJECT_ROOT = Path(__file__).resolve().parents[2]
#: How long a test waits for the worker to deliver a message or finish a job.
PATIENCE = 30.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fresh_database(folder: Path, name: str = "flow") -> str:
    """A new, empty database for a live portal: SQLite in ``folder``, or a sibling of
    ``TEST_DATABASE_URL`` (``<its name>_<name>``) dropped and created anew."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{folder}/{name}.db"
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_" + name
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


@dataclass
class Mail:
    to: str
    subject: str
    language: str
    text: str

    def link(self, pattern: str) -> str:
        """The first link in the text whose path matches ``pattern``, as a path on the shared
        host (Poti's links point at its own domain)."""
        for url in re.findall(r"https?://\S+", self.text):
            path = shared_host_path(url)
            if re.search(pattern, path):
                return path
        raise AssertionError(f"no link matching {pattern!r} in: {self.text}")


@dataclass
class FlowSite:
    app: object
    url: str
    smtp: SmtpServer
    sms: SmsServer
    worker_log: Path
    seen: int = 0
    #: Pages axe has checked, by kind and shape (tests/e2e/flow_people.py).
    checked: set = field(default_factory=set)

    def staff(self, roles: list[str], slug: str):
        """A staff member of ``slug`` with ``roles``, a password and a TOTP secret."""
        from portal.tenancy import get_directory
        from tests.staff_fixtures import make_staff

        with self.app.app_context():
            tenant = get_directory(self.app).by_slug(slug)
        email = f"{'-'.join(roles)}-{slug}-{os.urandom(3).hex()}@example.org"
        return make_staff(self.app, tenant, roles, email=email, name="E2E")

    def mails(self) -> list[Mail]:
        with self.smtp.lock:
            messages = list(self.smtp.messages)
        return [Mail(str(m["To"]), str(m["Subject"]), str(m["Content-Language"]),
                     m.get_body(("plain",)).get_content()) for m in messages]

    def wait_for_mail(self, to: str, subject: str | None = None, *, count: int = 1,
                      timeout: float = PATIENCE) -> list[Mail]:
        """The messages to ``to`` (with ``subject`` when given) once ``count`` have arrived."""
        deadline = time.monotonic() + timeout
        while True:
            found = [m for m in self.mails()
                     if m.to == to and (subject is None or m.subject == subject)]
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"{count} mail(s) to {to} ({subject!r}) did not arrive; got "
                    f"{[(m.to, m.subject) for m in self.mails()]}\n{self.worker_tail()}")
            time.sleep(0.1)

    def wait_for_sms(self, destination: str, timeout: float = PATIENCE) -> str:
        """The newest text the SMS provider accepted for ``destination`` (as 9955…)."""
        deadline = time.monotonic() + timeout
        while True:
            with self.sms.lock:
                texts = [m["content"] for m in self.sms.by_reference.values()
                         if m["destination"] == destination]
            if texts:
                return texts[-1]
            if time.monotonic() > deadline:
                raise AssertionError(f"no SMS to {destination}\n{self.worker_tail()}")
            time.sleep(0.1)

    def run_job(self, name: str, slug: str) -> None:
        """Queue ``name`` for ``slug`` on the real queue, as the schedule does each minute, and
        wait until the worker has run it."""
        from sqlalchemy import func, select

        from portal.extensions import db
        from portal.jobs import enqueue
        from portal.jobs.models import JobRun
        from portal.tenancy import all_tenants, get_directory

        with self.app.app_context(), all_tenants():
            tenant_id = get_directory(self.app).by_slug(slug).id
            done = select(func.count(JobRun.id)).where(
                JobRun.name == name, JobRun.tenant_id == tenant_id,
                JobRun.state == "succeeded")
            before = db.session.scalar(done)
            enqueue(name, tenant_id=tenant_id)
            deadline = time.monotonic() + PATIENCE
            while db.session.scalar(done) == before:
                db.session.rollback()  # a fresh snapshot each time round
                assert time.monotonic() < deadline, f"{name} did not run\n{self.worker_tail()}"
                time.sleep(0.1)

    def worker_tail(self) -> str:
        return self.worker_log.read_text(encoding="utf-8", errors="replace")[-3000:]


def _environment(folder: Path, database_url: str, smtp: SmtpServer, sms: SmsServer,
                 port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(
        PORTAL_ENV="testing", FLASK_APP="wsgi.py", DATABASE_URL=database_url,
        PORTAL_INSTANCE_PATH=str(folder), PORTAL_BASE_DOMAIN=f"127.0.0.1:{port}",
        MAIL_URL=smtp.url, MAIL_FROM="portal@example.ge", SMS_API_URL=sms.url,
        SMS_API_KEY=sms.api_key,
    )
    for name in ("MAIL_USERNAME", "MAIL_PASSWORD"):
        env.pop(name, None)
    return env


#: How long the job worker may take to start: on a loaded machine importing the portal takes
#: a minute or more, and a flow whose first message comes early would otherwise wait for a
#: worker that is still starting (the flows' PATIENCE is for one job, not for the start).
WORKER_START = 300.0


def _wait_for_worker(worker: subprocess.Popen, log_path: Path) -> None:
    """Until huey says its consumer started (or the worker died, or WORKER_START passed)."""
    deadline = time.monotonic() + WORKER_START
    while "Huey consumer started" not in log_path.read_text(encoding="utf-8", errors="replace"):
        assert worker.poll() is None, f"the worker stopped:\n{log_path.read_text()[-3000:]}"
        assert time.monotonic() < deadline, "the worker did not start"
        time.sleep(0.2)


@contextmanager
def flow_site(folder: Path):
    """Start everything; yields a ``FlowSite``; stops everything and asserts that the
    worker logged no traceback."""
    from flask_migrate import upgrade

    from portal import create_app
    from portal.extensions import db
    from portal.tenancy.loader import load_tenants

    database_url = fresh_database(folder)
    port = _free_port()
    with SmtpServer() as smtp, SmsServer() as sms:
        env = _environment(folder, database_url, smtp, sms, port)
        saved = dict(os.environ)
        os.environ.update(env)
        try:
            # The provider signs the replies it delivers (STOP) with Poti's inbound secret.
            app = create_app({"TESTING": True, "PORTAL_TENANT_CACHE_SECONDS": 0,
                              "SMS_INBOUND_SECRETS": {"poti": sms.inbound_secret}})
        finally:
            os.environ.clear()
            os.environ.update(saved)
        with app.app_context():
            upgrade()
            load_tenants(PROJECT_ROOT / "tenants")
            db.session.commit()
            db.session.remove()
        log_path = folder / "worker.log"
        with log_path.open("wb") as log:
            worker = subprocess.Popen(
                [str(live.BIN / "flask"), "jobs", "worker", "--workers", "2", "--no-periodic"],
                cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_for_worker(worker, log_path)
            with serving(app, port) as url:
                yield FlowSite(app, url, smtp, sms, log_path)
        finally:
            live.stop(worker)
            with app.app_context():
                db.engine.dispose()
    errors = live.server_errors(log_path)
    assert not errors, "the worker logged errors:\n" + "\n".join(errors)
