"""``flask check`` / ``python -m portal.doctor``: every problem named in plain words (all
missing production settings at once, an unreachable or unmigrated database, Redis, the SMTP
server, the SMS provider and a refused key), and "everything answers" against real local
servers: the suite's database, the local SMTP server and SMS provider, Redis when it runs."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from portal.doctor import FAIL, OK, WARN, report, run_checks
from tests.conftest import PROJECT_ROOT
from tests.servers import SmsServer, SmtpServer, free_port

# The checks open their own connections: no test transaction may hold SQLite's lock.
pytestmark = pytest.mark.no_db_rollback


@pytest.fixture
def environment(monkeypatch, tmp_path):
    for name in ("SECRET_KEY", "PORTAL_ENCRYPTION_KEY", "PORTAL_LOOKUP_KEY", "PORTAL_BASE_DOMAIN",
                 "REDIS_URL", "MAIL_URL", "SMS_API_URL", "SMS_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PORTAL_ENV", "development")
    return monkeypatch


def _by_check(found):
    result = {}
    for finding in found:
        result.setdefault(finding.check, []).append(finding)
    return result


def test_production_without_its_settings_names_every_one(environment, database_url, tmp_path):
    environment.setenv("PORTAL_ENV", "production")
    environment.setenv("DATABASE_URL", database_url)
    found = _by_check(run_checks(str(tmp_path)))
    words = " ".join(f.words for f in found["configuration"])
    for name in ("SECRET_KEY", "PORTAL_ENCRYPTION_KEY", "PORTAL_LOOKUP_KEY", "PORTAL_BASE_DOMAIN"):
        assert name in words
    assert found["database"][0].status == OK  # the other checks still ran
    assert found["smtp"][0].status == FAIL and "no MAIL_URL" in found["smtp"][0].words
    assert found["redis"][0].status == WARN
    assert os.environ["PORTAL_ENV"] == "production"


def test_unreachable_and_empty_databases(environment, tmp_path):
    environment.setenv("DATABASE_URL", f"postgresql://postgres@127.0.0.1:{free_port()}/none")
    [database] = _by_check(run_checks(str(tmp_path)))["database"]
    assert database.status == FAIL and "cannot reach" in database.words
    environment.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/empty.db")
    [database] = _by_check(run_checks(str(tmp_path)))["database"]
    assert database.status == FAIL and "flask db upgrade" in database.words


def test_unreachable_servers_and_a_refused_key(environment, database_url, tmp_path):
    environment.setenv("DATABASE_URL", database_url)
    environment.setenv("REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")
    environment.setenv("MAIL_URL", f"smtp://127.0.0.1:{free_port()}")
    with SmsServer() as sms:
        environment.setenv("SMS_API_URL", sms.url)
        environment.setenv("SMS_API_KEY", "wrong-key")
        found = _by_check(run_checks(str(tmp_path)))
    assert found["redis"][0].status == FAIL and "cannot reach REDIS_URL" in found["redis"][0].words
    assert found["smtp"][0].status == FAIL and "unreachable" in found["smtp"][0].words
    assert found["sms"][0].status == FAIL and "key refused" in found["sms"][0].words


def test_everything_answers(environment, database_url, tmp_path, capsys):
    environment.setenv("DATABASE_URL", database_url)
    if os.environ.get("TEST_DATABASE_URL"):  # make test-pg runs Redis too
        environment.setenv("REDIS_URL", "redis://127.0.0.1:6379/9")
    with SmtpServer() as smtp, SmsServer() as sms:
        environment.setenv("MAIL_URL", smtp.url)
        environment.setenv("SMS_API_URL", sms.url)
        environment.setenv("SMS_API_KEY", sms.api_key)
        found = run_checks(str(tmp_path))
    assert [f for f in found if f.status == FAIL] == []
    assert report(found) == 0
    assert "everything answers" in capsys.readouterr().out


def test_the_module_runs_even_when_the_portal_would_not_start(tmp_path):
    env = {"PATH": os.environ["PATH"], "PORTAL_ENV": "production",
           "PORTAL_INSTANCE_PATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    done = subprocess.run([sys.executable, "-m", "portal.doctor"], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "SECRET_KEY must be set in production" in done.stdout
    assert "problem(s)" in done.stdout


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="PostgreSQL only")
def test_autovacuum_off_is_a_warning(environment, database_url, tmp_path):
    """The server's own setting decides (our CI's PostgreSQL runs with it off)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as connection:
        setting = connection.execute(text("SHOW autovacuum")).scalar()
    engine.dispose()
    environment.setenv("DATABASE_URL", database_url)
    found = _by_check(run_checks(str(tmp_path)))["database"]
    warned = [f for f in found if f.status == WARN and "autovacuum is off" in f.words]
    assert found[0].status == OK
    assert len(warned) == (1 if setting == "off" else 0)
