"""Page bench: a municipality's home page against a bare endpoint of the same gunicorn server.

Three URLs are measured in one run, in alternating rounds after a warm-up, so drift of a
shared machine hits them alike and the ratios stay meaningful when absolute figures move:
``/healthz`` (bare: no template, no database), ``/poti/`` as deployed (production settings,
page cache on), and ``/poti/`` on a second, identical server with the page cache off
(``render_*``: what rendering the page costs). Target: ``ratio`` = home_rps / bare_rps >= 0.5.

    .venv/bin/python bench/pages.py            # full run, about three and a half minutes
    .venv/bin/python bench/pages.py --quick    # under 30 s
    .venv/bin/python bench/pages.py --database-url postgresql://postgres@127.0.0.1/test_bench

Figures come last as ``key=value`` lines.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from harness import (
    BenchError,
    Measurement,
    ensure_wrk,
    gunicorn,
    portal_environment,
    prepared_portal,
    print_figures,
    run_wrk,
    wrk_script,
)

BARE_PATH = "/healthz"
HOME_PATH = "/poti/"

#: (warm-up seconds per URL, rounds, seconds per URL per round); wrk takes whole seconds.
#: The quick run warms up with a few requests instead (templates compiled in each worker).
FULL = (5, 6, 10)
QUICK = (0, 2, 2)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a reduced run, under 30 s")
    parser.add_argument("--database-url", help="a scratch PostgreSQL database, WIPED first "
                        "(e.g. postgresql://postgres@127.0.0.1:5432/test_bench); default SQLite")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--worker-class", default="sync", help="gunicorn worker class")
    parser.add_argument("--threads", type=int, default=1, help="threads per gthread worker")
    parser.add_argument("--connections", type=int, default=4,
                        help="concurrent wrk connections (default 4: two per worker)")
    return parser.parse_args(argv)


def count_home_queries(app) -> int:
    """SQL statements one warm home-page request runs (the tenant cache already filled)."""
    from sqlalchemy import event

    from portal.extensions import db

    app.config["PORTAL_PAGE_CACHE_SECONDS"] = 0  # count what rendering the page runs
    client = app.test_client()
    client.get(HOME_PATH)  # fills the per-process tenant directory, as a warm worker has it
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.get(HOME_PATH)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    if response.status_code != 200:
        raise BenchError(f"{HOME_PATH} answered {response.status_code} in process")
    return len(statements)


def warm_up(url: str, requests: int) -> None:
    """A few concurrent requests, so every worker has compiled its templates."""
    def fetch(_):
        with urllib.request.urlopen(url, timeout=10) as response:
            response.read()

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(fetch, range(requests)))


def measure(args: argparse.Namespace) -> dict[str, object]:
    warmup, rounds, seconds = QUICK if args.quick else FULL
    wrk = ensure_wrk()
    bare, home, render = Measurement(), Measurement(), Measurement()
    with portal_environment(args.database_url) as env, wrk_script() as script:
        uncached_env = {**env, "PORTAL_PAGE_CACHE_SECONDS": "0"}
        with gunicorn([env, uncached_env], args.workers, args.worker_class,
                      args.threads) as servers, prepared_portal(env) as app:
            queries = count_home_queries(app)
            servers.wait_until_up()
            base, uncached = servers.urls
            targets = [(base + BARE_PATH, bare), (base + HOME_PATH, home),
                       (uncached + HOME_PATH, render)]
            for url, _ in targets[1:]:  # /healthz has nothing to warm up
                if warmup:
                    run_wrk(wrk, url, warmup, args.connections, Measurement(), script)
                else:
                    warm_up(url, args.connections * 5)
            for _ in range(rounds):
                for url, into in targets:
                    run_wrk(wrk, url, seconds, args.connections, into, script)
    for name, m in (("bare", bare), ("home", home), ("render", render)):
        if m.errors or not m.requests:
            raise BenchError(f"{name}: {m.errors} errors in {m.requests} requests")
    round_ratios = [h / b for h, b in zip(home.round_rps, bare.round_rps, strict=True) if b]
    return {
        "home_rps": home.rps,
        "bare_rps": bare.rps,
        "ratio": home.rps / bare.rps,
        "p50_ms": home.percentile_ms(50),
        "p95_ms": home.percentile_ms(95),
        "bare_p50_ms": bare.percentile_ms(50),
        "bare_p95_ms": bare.percentile_ms(95),
        "ratio_min": min(round_ratios),
        "ratio_max": max(round_ratios),
        "render_rps": render.rps,
        "render_ratio": render.rps / bare.rps,
        "render_p50_ms": render.percentile_ms(50),
        "render_p95_ms": render.percentile_ms(95),
        "home_queries": queries,
        "home_requests": home.requests,
        "bare_requests": bare.requests,
        "render_requests": render.requests,
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started, load_before = time.monotonic(), os.getloadavg()[0]
    try:
        figures = measure(args)
    except BenchError as exc:
        print(f"bench failed: {exc}", file=sys.stderr)
        return 1
    database = "postgresql" if args.database_url else "sqlite"
    print(f"# {HOME_PATH} vs {BARE_PATH}; gunicorn {args.workers}x{args.worker_class}"
          f" (threads {args.threads}); wrk 1 thread, {args.connections} connections;"
          f" {database}; {os.cpu_count()} CPUs; Python {platform.python_version()};"
          f" {time.monotonic() - started:.1f} s; load average {load_before:.1f} before,"
          f" {os.getloadavg()[0]:.1f} after")
    print_figures(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
