"""Settings read from the environment; the default is an embedded SQLite portal under instance/."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET = "dev-only-secret-not-for-production"
#: PostgreSQL connections are replaced after this long (server-side memory, idle cut-offs).
POOL_RECYCLE_SECONDS = 1800


class ConfigError(RuntimeError):
    """Raised at start-up when the environment cannot run the portal safely."""


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def load_config(instance_path: str) -> dict:
    """Build the Flask config from the environment.

    ``PORTAL_ENV`` is ``production`` (default), ``development`` or ``testing``; only the
    last two may run without ``SECRET_KEY`` and ``PORTAL_BASE_DOMAIN``.
    """
    env = os.environ.get("PORTAL_ENV", "production")
    secret = os.environ.get("SECRET_KEY")
    if not secret:
        if env == "production":
            raise ConfigError("SECRET_KEY must be set in production (PORTAL_ENV=production).")
        secret = DEV_SECRET
    base_domain = _base_domain(env)
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance_path}/portal.db"
    database_url = _normalise_database_url(database_url)
    secure_cookies = _bool("PORTAL_SECURE_COOKIES", env == "production")
    return {
        "PORTAL_ENV": env,
        "SECRET_KEY": secret,
        "PORTAL_ENCRYPTION_KEYS": _encryption_keys(env),
        "PORTAL_LOOKUP_KEY": _lookup_key(env),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": _engine_options(database_url),
        "REDIS_URL": os.environ.get("REDIS_URL") or None,
        "PORTAL_BASE_DOMAIN": base_domain,
        "PORTAL_TENANTS_DIR": os.environ.get("PORTAL_TENANTS_DIR", str(PROJECT_ROOT / "tenants")),
        "PREFERRED_URL_SCHEME": "https" if secure_cookies else "http",
        "SESSION_COOKIE_SECURE": secure_cookies,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Written only when the session changes (every page a signed-in person sees updates
        # its idle clock), not on static files a shared cache may keep (web/caching.py).
        "SESSION_REFRESH_EACH_REQUEST": False,
        "PORTAL_SECURE_COOKIES": secure_cookies,
        "PORTAL_HSTS": _bool("PORTAL_HSTS", True),
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "ka",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Tbilisi",
        "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "portal" / "translations"),
        "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
        "SEND_FILE_MAX_AGE_DEFAULT": 3600,
        # Anonymous public pages served from memory this long (portal/web/pagecache.py).
        "PORTAL_PAGE_CACHE_SECONDS": float(
            os.environ.get("PORTAL_PAGE_CACHE_SECONDS", 10 if env == "production" else 0)
        ),
        "PORTAL_FILE_STORE": _file_store(),
        **_delivery_settings(),
        **_rate_limit_settings(instance_path),
        **_speech_settings(),
    }


def _speech_settings() -> dict:
    """Machine transcripts of the archive (sessions/sources/speech): off unless the operator
    names a backend. Google's credentials are the library's own (GOOGLE_APPLICATION_CREDENTIALS,
    a service account file kept by the operator), never stored here."""
    env = os.environ.get
    return {
        "ARCHIVE_SPEECH_BACKEND": (env("ARCHIVE_SPEECH_BACKEND") or "").strip().lower(),
        # A command template with {audio}, {language}, {output} (speech/command.py).
        "ARCHIVE_SPEECH_COMMAND": env("ARCHIVE_SPEECH_COMMAND") or "",
        "ARCHIVE_SPEECH_ENDPOINT": env("ARCHIVE_SPEECH_ENDPOINT") or None,
        "ARCHIVE_SPEECH_PRICE_PER_MINUTE": float(env("ARCHIVE_SPEECH_PRICE_PER_MINUTE") or 0),
        "ARCHIVE_SPEECH_CURRENCY": env("ARCHIVE_SPEECH_CURRENCY") or "USD",
        "ARCHIVE_SPEECH_PIECE_SECONDS": float(env("ARCHIVE_SPEECH_PIECE_SECONDS") or 0) or None,
        # Seconds one request (Google) or one run of the command may take; 503/429 retried.
        "ARCHIVE_SPEECH_TIMEOUT": float(env("ARCHIVE_SPEECH_TIMEOUT") or 0) or None,
        "ARCHIVE_SPEECH_RETRY_SECONDS": float(env("ARCHIVE_SPEECH_RETRY_SECONDS") or 60),
        "ARCHIVE_SPEECH_PER_RUN": int(env("ARCHIVE_SPEECH_PER_RUN") or 3),
        "ARCHIVE_SPEECH_MAX_SECONDS": int(env("ARCHIVE_SPEECH_MAX_SECONDS") or 6 * 3600),
    }


def _file_store() -> str:
    """Where uploaded files live (portal/services/storage.py): ``local``, the instance folder."""
    from portal.services.storage import BACK_ENDS

    name = os.environ.get("PORTAL_FILE_STORE") or "local"
    if name not in BACK_ENDS:
        raise ConfigError(f"PORTAL_FILE_STORE={name!r}: no such file store "
                          f"(known: {', '.join(BACK_ENDS)}).")
    return name


def _encryption_keys(env: str) -> tuple[str, ...]:
    """Keys for secrets at rest (TOTP secrets, links waiting in the outbox): the first
    encrypts, all decrypt (portal/services/crypto.py)."""
    from portal.services.crypto import DEV_KEY, parse_keys

    raw = os.environ.get("PORTAL_ENCRYPTION_KEY", "")
    if not raw.strip():
        if env == "production":
            raise ConfigError(
                "PORTAL_ENCRYPTION_KEY must be set in production: it encrypts two-factor secrets"
                " and sign-in links at rest. Make one with: python -c \"from cryptography.fernet"
                " import Fernet; print(Fernet.generate_key().decode())\"")
        return (DEV_KEY,)
    try:
        return parse_keys(raw)
    except ValueError as error:
        raise ConfigError(f"PORTAL_ENCRYPTION_KEY is not a comma-separated list of Fernet keys"
                          f" ({error}).") from None


def _lookup_key(env: str) -> str | None:
    """The key of lookup hashes (duplicate personal numbers; portal/services/crypto.py).

    Production refuses to start without it: petitions are live, and a missing key would only
    show at the first signature."""
    from portal.services.crypto import DEV_LOOKUP_KEY

    raw = os.environ.get("PORTAL_LOOKUP_KEY", "").strip()
    if raw:
        return raw
    if env == "production":
        raise ConfigError(
            "PORTAL_LOOKUP_KEY must be set in production: it keys the hashes that find a"
            " petition's duplicate signatures without storing personal numbers readably. Make"
            " one with: python -c \"import secrets; print(secrets.token_hex(32))\"")
    return DEV_LOOKUP_KEY


def _base_domain(env: str) -> str | None:
    """The shared host. Production needs it: links in e-mail are built from it (and from the
    municipalities' own domains), never from the Host header a request happens to carry."""
    from portal.tenancy.hosts import BASE_DOMAIN_RE

    value = (os.environ.get("PORTAL_BASE_DOMAIN") or "").strip().lower() or None
    if value is None and env == "production":
        raise ConfigError(
            "PORTAL_BASE_DOMAIN must be set in production (PORTAL_ENV=production): it is the "
            "portal's shared host, e.g. portal.gov.ge, and links in e-mail are built from it.")
    if value is not None and not BASE_DOMAIN_RE.match(value):
        raise ConfigError(
            f"PORTAL_BASE_DOMAIN={value!r} is not a host name: write it like portal.gov.ge "
            "(no https://, no path).")
    return value


def _rate_limit_settings(instance_path: str) -> dict:
    """Where sign-in rate limits count: Redis when ``REDIS_URL`` is set, else a SQLite file
    that every worker process on this machine shares (web/ratelimit_storage.py)."""
    from portal.web.ratelimit_storage import storage_uri

    redis_url = os.environ.get("REDIS_URL")
    return {"RATELIMIT_STORAGE_URI": redis_url or storage_uri(f"{instance_path}/ratelimits.sqlite")}


def _delivery_settings() -> dict:
    """Job queue, SMTP and SMS provider (docs/delivery.md); secrets only from the environment."""
    env = os.environ.get
    return {
        "JOBS_SQLITE_FILE": env("JOBS_SQLITE_FILE") or None,
        "MAIL_URL": env("MAIL_URL") or None,
        "MAIL_USERNAME": env("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": env("MAIL_PASSWORD") or None,
        "MAIL_FROM": env("MAIL_FROM", "noreply@localhost"),
        "SMS_API_URL": env("SMS_API_URL") or None,
        "SMS_API_KEY": env("SMS_API_KEY") or None,
        "OUTBOX_BATCH_SIZE": int(env("OUTBOX_BATCH_SIZE", "100")),
        "OUTBOX_LEASE_SECONDS": float(env("OUTBOX_LEASE_SECONDS", "300")),
        "OUTBOX_RETRY_BASE_SECONDS": float(env("OUTBOX_RETRY_BASE_SECONDS", "30")),
        "OUTBOX_MAX_ATTEMPTS": int(env("OUTBOX_MAX_ATTEMPTS", "8")),
        # Sent, failed and bounced messages (personal data) are deleted after this many days.
        "OUTBOX_RETENTION_DAYS": int(env("OUTBOX_RETENTION_DAYS", "30")),
    }


def _normalise_database_url(url: str) -> str:
    # psycopg 3 is the driver we ship; plain postgres URLs would ask for psycopg2.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _engine_options(url: str) -> dict:
    if url.startswith("sqlite"):
        # Several gunicorn workers share one file: wait for the write lock instead of failing.
        return {"connect_args": {"timeout": 30}}
    # No pool_pre_ping: a round trip on every checkout. The engine pings a connection only
    # after it rested in the pool (db.install_idle_ping); pool_recycle retires old ones.
    return {"pool_size": 5, "max_overflow": 10, "pool_recycle": POOL_RECYCLE_SECONDS,
            "connect_args": _postgres_timeouts()}


def _postgres_timeouts() -> dict:
    """Give up on an unreachable server (refusing, or accepting and never answering) after
    ``DATABASE_CONNECT_TIMEOUT`` seconds (default 3; psycopg's least is 2), and on a statement
    after ``DATABASE_STATEMENT_TIMEOUT`` seconds (default 30; 0 turns it off), so a page
    answers 503 (web/unavailable.py) instead of hanging its worker."""
    connect = int(float(os.environ.get("DATABASE_CONNECT_TIMEOUT") or 3))
    statement_ms = int(float(os.environ.get("DATABASE_STATEMENT_TIMEOUT") or 30) * 1000)
    return {"connect_timeout": connect, "options": f"-c statement_timeout={statement_ms}"}
