"""What is misconfigured, in plain words: ``python -m portal.doctor`` (works even when the
portal refuses to start) or ``flask check``.

Each check reads the same environment the portal does (``portal/config.py``) and reaches the
same servers the same way: the configuration itself (secrets, domain), the database and its
migration, Redis, the SMTP server (a connection and a greeting, with the login when one is
configured; nothing is sent), the SMS provider (a delivery-status question about a message
that does not exist, which proves the address and the key) and the file store. The exit
status is 1 when any check fails; a warning does not fail.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import click

PROJECT_ROOT = Path(__file__).resolve().parent.parent
OK, WARN, FAIL = "ok", "warning", "FAILED"


@dataclass(frozen=True)
class Finding:
    check: str
    status: str
    words: str


#: What production refuses to start without (portal/config.py says why for each).
REQUIRED_IN_PRODUCTION = ("SECRET_KEY", "PORTAL_ENCRYPTION_KEY", "PORTAL_LOOKUP_KEY",
                          "PORTAL_BASE_DOMAIN")


def _config(instance: str) -> tuple[dict | None, list[Finding]]:
    """The portal's configuration, and what is wrong with it. When production's settings are
    incomplete, every missing one is named, and the other checks still run (with the
    development stand-ins, so the database and servers are checked too)."""
    from portal.config import ConfigError, load_config

    try:
        config = load_config(instance)
    except ConfigError as error:
        found = [Finding("configuration", FAIL, str(error))]
        found += [Finding("configuration", FAIL, f"{name} is not set")
                  for name in REQUIRED_IN_PRODUCTION
                  if not os.environ.get(name, "").strip() and name not in str(error)]
        saved = os.environ.get("PORTAL_ENV")
        os.environ["PORTAL_ENV"] = "development"
        try:
            config = load_config(instance)
        except ConfigError:
            return None, found
        finally:
            if saved is None:
                os.environ.pop("PORTAL_ENV")
            else:
                os.environ["PORTAL_ENV"] = saved
        config["PORTAL_ENV"] = "production"
        return config, found
    found = [Finding("configuration", OK, f"PORTAL_ENV={config['PORTAL_ENV']}")]
    if config["PORTAL_ENV"] != "production":
        found.append(Finding("configuration", WARN, "not production: development secrets and "
                                                    "keys are in use; never serve the public so"))
    return config, found


def _database(config: dict) -> list[Finding]:
    from alembic.script import ScriptDirectory
    from sqlalchemy import create_engine, inspect, text

    url = config["SQLALCHEMY_DATABASE_URI"]
    engine = create_engine(url, **config["SQLALCHEMY_ENGINE_OPTIONS"])
    shown = engine.url.render_as_string(hide_password=True)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            revision = (connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
                        if "alembic_version" in inspect(connection).get_table_names() else None)
            vacuum = _autovacuum(connection)
    except Exception as error:  # noqa: BLE001 - every driver error is a finding, said plainly
        return [Finding("database", FAIL, f"cannot reach {shown}: {_first_line(error)}")]
    finally:
        engine.dispose()
    from alembic.config import Config

    head = ScriptDirectory.from_config(_alembic_config(Config)).get_current_head()
    if revision is None:
        return [Finding("database", FAIL, f"{shown} is reachable but empty: run flask db upgrade")]
    if revision != head:
        return [Finding("database", FAIL, f"{shown} is at migration {revision}, the code at {head}: "
                                          "run flask db upgrade")]
    return [Finding("database", OK, f"{shown}, migration {revision}"), *vacuum]


def _autovacuum(connection) -> list[Finding]:
    """PostgreSQL with autovacuum off: the outbox and the job log rewrite their rows several
    times each, and without vacuum every dead version stays in their indexes, so each claim of
    the outbox gets slower as the day goes on (measured: docs/performance.md, "Soak")."""
    if connection.dialect.name != "postgresql":
        return []
    from sqlalchemy import text

    if connection.execute(text("SHOW autovacuum")).scalar() == "on":
        return []
    return [Finding("database", WARN, "PostgreSQL's autovacuum is off: the outbox and job "
                                      "tables will bloat and slow down; turn it on "
                                      "(autovacuum = on, PostgreSQL's default)")]


def _alembic_config(config_class):
    config = config_class(str(PROJECT_ROOT / "migrations" / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    return config


def _redis(config: dict) -> list[Finding]:
    url = config.get("REDIS_URL")
    if not url:
        words = ("no REDIS_URL: the job queue and rate limits use files on this machine, "
                 "which is right for one machine only")
        return [Finding("redis", WARN if config["PORTAL_ENV"] == "production" else OK, words)]
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
    try:
        client.ping()
    except redis.RedisError as error:
        return [Finding("redis", FAIL, f"cannot reach REDIS_URL: {_first_line(error)}")]
    finally:
        client.close()
    return [Finding("redis", OK, "answers")]


def _smtp(config: dict) -> list[Finding]:
    from portal.services.mail import NotConfigured, SmtpSender, parse_mail_url

    try:
        settings = parse_mail_url(config.get("MAIL_URL"), config.get("MAIL_USERNAME"),
                                  config.get("MAIL_PASSWORD"))
    except NotConfigured:
        status = FAIL if config["PORTAL_ENV"] == "production" else WARN
        return [Finding("smtp", status, "no MAIL_URL: no e-mail is sent (sign-in links, "
                                        "confirmations, answers)")]
    except ValueError as error:
        return [Finding("smtp", FAIL, str(error))]
    sender = SmtpSender(settings)
    try:
        sender._connection()
    except Exception as error:  # noqa: BLE001 - TemporaryFailure and anything smtplib raises
        return [Finding("smtp", FAIL, _first_line(error))]
    finally:
        sender.close()
    login = " and accepts the login" if settings.username else ""
    return [Finding("smtp", OK, f"{settings.host}:{settings.port} greets{login}")]


def _sms(config: dict) -> list[Finding]:
    from portal.services.sms.http_api import HttpApiProvider

    url, key = config.get("SMS_API_URL"), config.get("SMS_API_KEY")
    if not url:
        return [Finding("sms", WARN, "no SMS_API_URL: no SMS is sent (codes, reminders, "
                                     "emergency announcements)")]
    if not key:
        return [Finding("sms", FAIL, "SMS_API_URL is set but SMS_API_KEY is not")]
    try:
        HttpApiProvider(base_url=url, api_key=key, timeout=5).lookup("portal-check")
    except Exception as error:  # noqa: BLE001 - the provider's failures, said plainly
        return [Finding("sms", FAIL, f"{url}: {_first_line(error)}")]
    return [Finding("sms", OK, f"{url} answers and accepts the key")]


def _file_store(instance: str, config: dict) -> list[Finding]:
    if config.get("PORTAL_FILE_STORE") != "local":
        return [Finding("files", OK, f"store {config.get('PORTAL_FILE_STORE')}")]
    root = Path(instance) / "archive"
    try:
        root.mkdir(parents=True, exist_ok=True)
        probe = root / ".portal-check"
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as error:
        return [Finding("files", FAIL, f"cannot write uploads under {root}: {error.strerror}")]
    return [Finding("files", OK, f"uploads under {root}")]


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]


def run_checks(instance: str | None = None) -> list[Finding]:
    instance = instance or os.environ.get("PORTAL_INSTANCE_PATH", str(PROJECT_ROOT / "instance"))
    config, found = _config(instance)
    if config is None:
        return found
    checks: list[Callable[[], list[Finding]]] = [
        lambda: _database(config), lambda: _redis(config), lambda: _smtp(config),
        lambda: _sms(config), lambda: _file_store(instance, config)]
    for check in checks:
        found.extend(check())
    return found


def report(found: list[Finding]) -> int:
    for finding in found:
        click.echo(f"{finding.status:>8}  {finding.check:<13} {finding.words}")
    failed = [f for f in found if f.status == FAIL]
    click.echo(f"{len(failed)} problem(s)" if failed else "everything answers")
    return 1 if failed else 0


@click.command("check")
def check_command():
    """Say in plain words what is misconfigured or unreachable (database, Redis, SMTP, SMS)."""
    sys.exit(report(run_checks()))


if __name__ == "__main__":
    sys.exit(report(run_checks()))
