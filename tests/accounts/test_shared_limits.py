"""Sign-in rate limits are shared by every worker when REDIS_URL is set: two separate
processes (as two gunicorn workers would be) count against one limit."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

WORKER = textwrap.dedent("""
    import re, sys
    from portal import create_app
    app = create_app({"TESTING": True, "PORTAL_SIGN_IN_LIMIT": "3 per minute"})
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "192.0.2.55"
    codes = []
    for _ in range(int(sys.argv[1])):
        page = client.get("/poti/accounts/sign-in").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
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
                             capture_output=True, text=True, timeout=120)
        return [int(code) for code in out.stdout.split()]

    assert worker(2) == [422, 422]
    assert worker(2) == [422, 429]  # the other worker's attempts counted
