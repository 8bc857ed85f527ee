"""Sign-in rate limits are shared by every worker when REDIS_URL is set: two separate
processes (as two gunicorn workers would be) count against one limit."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

import pytest

# The run's own Redis database when it has one (make test-pg), so two runs never share it.
REDIS_URL = (os.environ.get("TEST_REDIS_URL") or os.environ.get("REDIS_URL")
             or "redis://127.0.0.1:6379/15")

WORKER = textwrap.dedent("""
    import re, sys
    from portal import create_app
    app = create_app({"TESTING": True, "PORTAL_SIGN_IN_LIMIT": "3 per minute"})
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "192.0.2.55"
    codes = []
    for _ in range(int(sys.argv[1])):
        page = client.get("/poti/accounts/sign-in").text
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        codes.append(client.post("/poti/accounts/sign-in", data={
            "csrf_token": token, "email": "nobody@example.org", "password": "x" * 20}).status_code)
    print(" ".join(map(str, codes)))
""")


def _redis_or_skip():
    import redis

    try:
        client = redis.Redis.from_url(REDIS_URL)
        client.ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    client.flushdb()


@pytest.mark.no_db_rollback
def test_two_workers_share_one_limit(app, database_url, tmp_path):
    _redis_or_skip()
    env = dict(os.environ, REDIS_URL=REDIS_URL, DATABASE_URL=database_url, PORTAL_ENV="testing",
               PORTAL_INSTANCE_PATH=str(tmp_path))

    def worker(attempts: int) -> list[int]:
        out = subprocess.run([sys.executable, "-c", WORKER, str(attempts)], env=env, check=True,
                             capture_output=True, text=True, timeout=300)
        return [int(code) for code in out.stdout.split()]

    assert worker(2) == [422, 422]
    assert worker(2) == [422, 429]  # the other worker's attempts counted


def _wrong_sign_ins(server, attempts: int) -> list[int]:
    """``attempts`` wrong sign-ins from one address, each with another unknown e-mail (so no
    account's lock-out plays a part): the status codes."""
    from tests.live import Client

    client = Client(server)
    token = client.token("/poti/accounts/sign-in")
    return [client.post("/poti/accounts/sign-in", {
        "csrf_token": token, "email": f"nobody{n}@example.org", "password": "x" * 20})[0]
        for n in range(attempts)]


def _through_gunicorn(tmp_path, tmp_path_factory, extra_env=None) -> list[int]:
    from tests.live import start_server, stop_server

    server, process, log_path = start_server(tmp_path, tmp_path_factory, extra_env)
    try:
        return _wrong_sign_ins(server, 30)
    finally:
        stop_server(process, log_path)


@pytest.mark.no_db_rollback
def test_gunicorn_workers_share_the_limit_without_redis(tmp_path, tmp_path_factory):
    """The embedded default: two gunicorn workers count in one file under instance/."""
    codes = _through_gunicorn(tmp_path, tmp_path_factory)
    assert codes.count(429) == 20 and codes[:10] == [422] * 10, codes  # 10 per minute
    assert (tmp_path / "ratelimits.sqlite").exists()


@pytest.mark.no_db_rollback
def test_gunicorn_workers_share_the_limit_on_redis(tmp_path, tmp_path_factory):
    # Only a Redis database this run owns (make test-pg sets REDIS_URL): another run flushing
    # a shared default database mid-test would reset the counts.
    url = os.environ.get("REDIS_URL") or os.environ.get("TEST_REDIS_URL")
    if not url:
        pytest.skip("set REDIS_URL (or TEST_REDIS_URL) to a Redis database of this run")
    import redis

    try:
        client = redis.Redis.from_url(url)
        client.ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {url}")
    for key in client.scan_iter("LIMITS*"):
        client.delete(key)
    codes = _through_gunicorn(tmp_path, tmp_path_factory, {"REDIS_URL": url})
    assert codes.count(429) == 20 and codes[:10] == [422] * 10, codes
    assert not (tmp_path / "ratelimits.sqlite").exists()
    assert any(client.scan_iter("LIMITS*"))


def test_the_sqlite_storage_counts_in_fixed_windows(tmp_path):
    from limits import parse
    from limits.storage import storage_from_string
    from limits.strategies import FixedWindowRateLimiter

    from portal.web.ratelimit_storage import storage_uri

    path = tmp_path / "limits.sqlite"
    first = FixedWindowRateLimiter(storage_from_string(storage_uri(str(path))))
    second = FixedWindowRateLimiter(storage_from_string(storage_uri(str(path))))
    limit = parse("3 per 1 second")
    assert [first.hit(limit, "a"), second.hit(limit, "a"), first.hit(limit, "a")] == [True] * 3
    assert not second.hit(limit, "a") and first.hit(limit, "b")  # one count, per key
    assert second.get_window_stats(limit, "a").remaining == 0
    time.sleep(1.1)
    assert first.hit(limit, "a")  # a new window
    assert second.get_window_stats(limit, "a").remaining == 2
